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
        for (prefix, kind) in TypedID.prefixes where TypedID.starts(trimmed, with: prefix) {
            self.kind = kind
            self.value = CRMID.trim(String(trimmed.dropFirst(prefix.count)))
            return
        }
        self.kind = nil
        self.value = trimmed
    }

    /// Whether `text`'s first characters are `prefix` without regard to case.
    ///
    /// Read over the bytes (the sync server parses every ID it writes): each prefix is ASCII letters and a colon, and
    /// the only character outside ASCII that lowercases to an ASCII letter is the Kelvin sign (`k`, in no prefix),
    /// so bytes that differ mean characters that differ. Bytes that match are the same characters unless the next
    /// one starts a character outside ASCII, which may be a mark joined to the colon: then characters decide.
    static func starts(_ text: String, with prefix: String) -> Bool {
        let bytes = text.utf8
        let expected = prefix.utf8
        guard bytes.count >= expected.count else { return false }
        for (byte, wanted) in zip(bytes, expected) where (byte >= 0x41 && byte <= 0x5a ? byte | 0x20 : byte) != wanted {
            return false
        }
        if let next = bytes.dropFirst(expected.count).first, next >= 0x80 {
            return startsByCharacters(text, with: prefix)
        }
        return true
    }

    /// `starts(_:with:)` by characters: the first characters of `text`, lower-cased, are `prefix`.
    static func startsByCharacters(_ text: String, with prefix: String) -> Bool {
        text.utf8.count >= prefix.utf8.count && text.prefix(prefix.count).lowercased() == prefix
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
