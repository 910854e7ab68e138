import RosterModel

/// An ID as a user typed it: bare (`bob@example.com`, tried as every kind) or typed (`email:bob@example.com`).
///
/// A bare ID can name different customers under different kinds — a CRM id that is another customer's email, or
/// another customer's externalCode. The typed forms `crm:`, `code:`, `email:`, `phone:` and `device:` name one kind,
/// so such an ID can still be reached. The prefix is matched without regard to case; `crm:code:x` is the CRM id
/// `code:x`.
public struct TypedID: Sendable, Equatable {
    /// The kind the prefix named, or nil for a bare ID.
    public let kind: IDKind?
    /// The ID without its prefix, trimmed.
    public let value: String

    /// The prefixes of the typed forms, each with the kind it names.
    public static let prefixes: [(prefix: String, kind: IDKind)] = [
        ("crm:", .crmId), ("code:", .externalCode), ("email:", .email), ("phone:", .phone), ("device:", .deviceId),
    ]

    public init(_ raw: String) {
        let trimmed = CRMID.trim(raw)
        for (prefix, kind) in TypedID.prefixes where trimmed.utf8.count >= prefix.utf8.count {
            let head = trimmed.prefix(prefix.count)
            if head.lowercased() == prefix {
                self.kind = kind
                self.value = CRMID.trim(String(trimmed.dropFirst(prefix.count)))
                return
            }
        }
        self.kind = nil
        self.value = trimmed
    }

    /// Whether this ID may be looked up as `kind`.
    func allows(_ kind: IDKind) -> Bool { self.kind == nil || self.kind == kind }
}

extension IDKind {
    /// The prefix of the typed form that names this kind (`email:`).
    public var prefix: String {
        switch self {
        case .crmId: return "crm:"
        case .externalCode: return "code:"
        case .email: return "email:"
        case .phone: return "phone:"
        case .deviceId: return "device:"
        }
    }
}

/// One way an ID matched: the kind it matched as and the customer or device it names.
public struct IDMatch: Sendable {
    public let kind: IDKind
    public let subject: Subject

    /// The customer this match stands for: the customer itself, or the one logged in on the device.
    var customerRowID: Int64? {
        switch subject {
        case .customer(let customer): return customer.rowID
        case .device(let device): return device.customerRowID
        }
    }

    /// Matches naming the same customer (or the same anonymous device) are one candidate.
    var target: String {
        switch subject {
        case .customer(let customer): return "customer \(customer.rowID)"
        case .device(let device):
            return device.customerRowID.map { "customer \($0)" } ?? "device \(device.rowID)"
        }
    }

    /// What the match names, in words that hold no personal value: the customer by its externalCode.
    func candidate(_ db: (Int64) throws -> Customer) rethrows -> IDCandidate {
        switch subject {
        case .customer(let customer):
            return IDCandidate(kind: kind, externalCode: customer.externalCode)
        case .device(let device):
            return IDCandidate(kind: kind, externalCode: try device.customerRowID.map { try db($0).externalCode })
        }
    }
}

/// One customer (or anonymous device) an ambiguous ID could mean, for messages.
public struct IDCandidate: Sendable, Equatable {
    /// The kind the ID matched as.
    public let kind: IDKind
    /// The customer's externalCode; nil for an anonymous device.
    public let externalCode: String?

    var phrase: String {
        let owner = externalCode.map { "customer \($0)" } ?? "an anonymous device"
        switch kind {
        case .crmId: return "the CRM id of \(owner)"
        case .externalCode: return "the externalCode of \(owner)"
        case .email: return "the email of \(owner)"
        case .phone: return "the phone of \(owner)"
        case .deviceId: return "a deviceId of \(owner)"
        }
    }
}
