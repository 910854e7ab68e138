import Foundation

/// A JSON value from a request body, read strictly: `1` is not `true`, `"1"` is not `1`.
enum JSONInput: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONInput])
    case object([String: JSONInput])

    /// Parses a body; anything that is not JSON is a 400 with code 4000.
    static func parse(_ bytes: [UInt8]) throws(APIError) -> JSONInput {
        guard !bytes.isEmpty else { throw .malformedJSON("the body is empty") }
        do {
            return try JSONParser.parse(bytes)
        } catch {
            throw .malformedJSON("it could not be parsed")
        }
    }

    /// The value of a customer field as text: strings as given, numbers without a needless `.0`, booleans as words.
    var fieldText: String? {
        switch self {
        case .string(let value): return value
        case .bool(let value): return value ? "true" : "false"
        case .number(let value):
            if value.rounded() == value, abs(value) < 1e15 { return String(Int64(value)) }
            return String(value)
        default: return nil
        }
    }
}

/// A JSON object whose keys are checked against the ones an endpoint knows.
struct JSONFields {
    let members: [String: JSONInput]

    /// The object, refusing keys not in `allowed` (a typo must not be silently ignored).
    init(_ value: JSONInput, allowed: Set<String>, what: String = "the body") throws(APIError) {
        guard case .object(let members) = value else { throw .wrongType(what, expected: "a JSON object") }
        for key in members.keys.sorted() where !allowed.contains(key) {
            throw .unknownKey(key, allowed: Array(allowed))
        }
        self.members = members
    }

    func string(_ key: String) throws(APIError) -> String? {
        switch members[key] {
        case nil, .null: return nil
        case .string(let value): return value
        default: throw .wrongType(key, expected: "a string")
        }
    }

    func requiredString(_ key: String) throws(APIError) -> String {
        guard let value = try string(key) else { throw .missing("\"\(key)\"") }
        return value
    }

    func bool(_ key: String) throws(APIError) -> Bool? {
        switch members[key] {
        case nil, .null: return nil
        case .bool(let value): return value
        default: throw .wrongType(key, expected: "true or false")
        }
    }

    func int(_ key: String) throws(APIError) -> Int? {
        switch members[key] {
        case nil, .null: return nil
        case .number(let value) where value.rounded() == value && abs(value) < 1e9: return Int(value)
        default: throw .wrongType(key, expected: "a whole number")
        }
    }

    func object(_ key: String) throws(APIError) -> [String: JSONInput]? {
        switch members[key] {
        case nil, .null: return nil
        case .object(let value): return value
        default: throw .wrongType(key, expected: "a JSON object")
        }
    }

    func strings(_ key: String) throws(APIError) -> [String]? {
        switch members[key] {
        case nil, .null: return nil
        case .array(let items):
            var result: [String] = []
            for item in items {
                guard case .string(let value) = item else { throw .wrongType(key, expected: "an array of strings") }
                result.append(value)
            }
            return result
        default: throw .wrongType(key, expected: "an array of strings")
        }
    }
}
