/// Why an identifier (email, phone, deviceId, CRM id) was refused, in words a person understands.
public struct IdentifierError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Which kind of identifier was refused.
    public enum Kind: String, Sendable {
        case email, phone, countryCode, deviceId, crmId

        /// The identifier's name as it reads inside a sentence.
        var name: String {
            switch self {
            case .email: "email address"
            case .phone: "phone number"
            case .countryCode: "country calling code"
            case .deviceId: "device id"
            case .crmId: "CRM id"
            }
        }

        /// The name with its indefinite article.
        var noun: String { self == .email ? "an \(name)" : "a \(name)" }
    }

    /// Values longer than this are shortened in `description`, so one bad cell cannot flood a report.
    static let quotedLimit = 80

    /// Which kind of identifier was refused.
    public let kind: Kind
    /// The value as the user gave it.
    public let value: String
    /// What is wrong, as a clause that follows "it": "has no domain", "contains letters".
    public let reason: String

    /// Creates the error for `value`, refused as `kind` for `reason`.
    public init(kind: Kind, value: String, reason: String) {
        self.kind = kind
        self.value = value
        self.reason = reason
    }

    /// The whole sentence: `"jane.doe@" is not an email address: it has no domain`; a blank value reads
    /// `no phone number was given`.
    public var description: String {
        if value.unicodeScalars.allSatisfy(\.properties.isWhitespace) {
            return "no \(kind.name) was given"
        }
        // Reasons are written to follow "it"; one that already starts with "it " is used as it is.
        let clause = reason.hasPrefix("it ") ? reason : "it \(reason)"
        return "\(Self.quoted(value)) is not \(kind.noun): \(clause)"
    }

    /// The value in double quotes with control and invisible characters escaped, so it is safe on a terminal.
    static func quoted(_ value: String) -> String {
        var result = "\""
        var written = 0
        for scalar in value.unicodeScalars {
            if written == quotedLimit {
                result += "…"
                break
            }
            written += 1
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\t": result += "\\t"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case _ where !scalar.isASCII && scalar.properties.isWhitespace:
                result += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
            default:
                switch scalar.properties.generalCategory {
                case .control, .format, .lineSeparator, .paragraphSeparator, .privateUse, .surrogate, .unassigned:
                    result += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
                default:
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }
}
