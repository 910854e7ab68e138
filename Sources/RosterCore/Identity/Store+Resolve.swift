import Foundation
import GRDB
import RosterModel

/// Finding customers and devices from any ID a user types.
extension Store {
    /// The one customer or device an ID names, as a CRM id, an externalCode, an email, an E.164 phone or a deviceId;
    /// an ID that names different ones under different kinds is refused as ambiguous (`RosterError.ambiguousID`).
    public func resolve(_ id: String) throws -> Subject {
        try db.read { try resolve($0, id) }
    }

    /// The customer an ID names; a deviceId names the customer logged in on that device.
    public func customer(_ id: String) throws -> Customer {
        try db.read { try customer($0, id) }
    }

    func customer(_ db: Database, _ id: String) throws -> Customer {
        switch try resolve(db, id) {
        case .customer(let customer): return customer
        case .device(let device):
            guard let rowID = device.customerRowID else {
                throw RosterError.invalidValue(.anonymousDevice(id: id))
            }
            return try loadCustomer(db, rowID)
        }
    }

    func resolve(_ db: Database, _ id: String) throws -> Subject {
        let found = try candidates(db, id)
        guard let first = found.first else { throw RosterError.unknownID(id) }
        guard found.count == 1 else {
            throw RosterError.ambiguousID(
                id, candidates: try found.map { try $0.candidate { try loadCustomer(db, $0) } })
        }
        return first.subject
    }

    /// Every customer (or anonymous device) an ID names, one match each, in the order CRM id, externalCode, email,
    /// phone, deviceId: more than one means the ID is ambiguous and only a typed form (`email:…`) names one.
    public func candidates(_ id: String) throws -> [IDMatch] {
        try db.read { try candidates($0, id) }
    }

    func candidates(_ db: Database, _ id: String) throws -> [IDMatch] {
        var seen: Set<String> = []
        var found: [IDMatch] = []
        for (kind, rowID) in try locate(db, id) {
            let subject: Subject =
                kind == .deviceId ? .device(try loadDevice(db, rowID)) : .customer(try loadCustomer(db, rowID))
            let match = IDMatch(kind: kind, subject: subject)
            if seen.insert(match.target).inserted { found.append(match) }
        }
        return found
    }

    /// Which table rows an ID points to, under every kind it may be read as, each checked against the decrypted value.
    func locate(_ db: Database, _ id: String) throws -> [(IDKind, Int64)] {
        let typed = TypedID(id)
        let trimmed = typed.value
        guard !trimmed.isEmpty else { return [] }
        var found: [(IDKind, Int64)] = []
        if typed.allows(.crmId), let rowID = try owner(db, crmId: trimmed) {
            try verify(db, rowID, \.crmId, trimmed)
            found.append((.crmId, rowID))
        }
        if typed.allows(.externalCode), trimmed.utf8.count == 64, let code = Hex.decode(trimmed.lowercased()),
            let rowID = try owner(db, externalCode: code)
        {
            try verify(db, rowID, \.externalCode, Hex.encode(code))
            found.append((.externalCode, rowID))
        }
        if typed.allows(.email), typed.kind == .email || trimmed.contains("@"),
            let email = try? EmailAddress.normalize(trimmed), let rowID = try owner(db, .email, email)
        {
            try verify(db, rowID, \.email, email)
            found.append((.email, rowID))
        }
        if typed.allows(.phone), typed.kind == .phone || trimmed.hasPrefix("+") || trimmed.hasPrefix("00"),
            let phone = try? PhoneNumber.parseInternational(trimmed), let rowID = try owner(db, .phone, phone.e164)
        {
            try verify(db, rowID, \.phone, phone.e164)
            found.append((.phone, rowID))
        }
        if typed.allows(.deviceId), let rowID = try owner(db, .deviceId, trimmed) {
            guard try loadDevice(db, rowID).deviceId == trimmed else {
                throw RosterError.integrity(what: "the deviceId index entry of device #\(rowID)")
            }
            found.append((.deviceId, rowID))
        }
        return found
    }

    /// The customer of a row a blind index pointed to, if it has the value looked up: anything else is a moved or
    /// forged index entry.
    func verified(_ db: Database, _ rowID: Int64, _ matches: (Customer) -> Bool) throws -> Customer {
        let customer = try loadCustomer(db, rowID)
        guard matches(customer) else { throw RosterError.integrity(what: "an index entry of customer #\(rowID)") }
        return customer
    }

    private func verify(_ db: Database, _ rowID: Int64, _ path: KeyPath<Customer, String?>, _ value: String) throws {
        _ = try verified(db, rowID) { $0[keyPath: path] == value }
    }

    private func verify(_ db: Database, _ rowID: Int64, _ path: KeyPath<Customer, String>, _ value: String) throws {
        _ = try verified(db, rowID) { $0[keyPath: path] == value }
    }
}
