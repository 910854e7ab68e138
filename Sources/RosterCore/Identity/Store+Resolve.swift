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
        for (kind, subject) in try locate(db, id) {
            let match = IDMatch(kind: kind, subject: subject)
            if seen.insert(match.target).inserted { found.append(match) }
        }
        return found
    }

    /// What an ID points to, under every kind it may be read as, each checked against the decrypted value (each
    /// record opened once, however many kinds name it).
    func locate(_ db: Database, _ id: String) throws -> [(IDKind, Subject)] {
        var found: [(IDKind, Subject)] = []
        var customers: [Int64: Customer] = [:]
        for probe in probes(for: id) {
            guard let rowID = try owner(db, probe.table, blindIndex: probe.blindIndex) else { continue }
            if probe.kind == .deviceId {
                let device = try loadDevice(db, rowID)
                guard device.deviceId == probe.value else {
                    throw RosterError.integrity(what: "the deviceId index entry of device #\(rowID)")
                }
                found.append((probe.kind, .device(device)))
                continue
            }
            let customer = try customers[rowID] ?? loadCustomer(db, rowID)
            customers[rowID] = customer
            // The row an index entry points to must hold the value looked up: anything else is a moved or forged
            // index entry.
            guard Store.holds(customer, probe) else {
                throw RosterError.integrity(what: "an index entry of customer #\(rowID)")
            }
            found.append((probe.kind, .customer(customer)))
        }
        return found
    }

    /// The blind indexes an ID is looked up under, one per kind it may be read as, in `locate`'s order.
    func probes(for id: String) -> [IDProbe] {
        let typed = TypedID(id)
        let trimmed = typed.value
        guard !trimmed.isEmpty else { return [] }
        var probes: [IDProbe] = []
        if typed.allows(.crmId) {
            probes.append(
                IDProbe(
                    kind: .crmId, value: trimmed, table: .identity,
                    blindIndex: keys.blindIndex.identity(externalCodes.code(for: trimmed))))
        }
        if typed.allows(.externalCode), trimmed.utf8.count == 64, let code = Hex.decode(trimmed.lowercased()) {
            probes.append(
                IDProbe(
                    kind: .externalCode, value: Hex.encode(code), table: .identity,
                    blindIndex: keys.blindIndex.identity(code)))
        }
        if typed.allows(.email), typed.kind == .email || trimmed.utf8.contains(UInt8(ascii: "@")),
            let email = try? EmailAddress.normalize(trimmed)
        {
            probes.append(
                IDProbe(kind: .email, value: email, table: .email, blindIndex: keys.blindIndex.index(.email, email)))
        }
        if typed.allows(.phone), typed.kind == .phone || trimmed.hasPrefix("+") || trimmed.hasPrefix("00"),
            let phone = try? PhoneNumber.parseInternational(trimmed)
        {
            probes.append(
                IDProbe(
                    kind: .phone, value: phone.e164, table: .phone,
                    blindIndex: keys.blindIndex.index(.phone, phone.e164)
                ))
        }
        if typed.allows(.deviceId) {
            probes.append(
                IDProbe(
                    kind: .deviceId, value: trimmed, table: .deviceId,
                    blindIndex: keys.blindIndex.index(.deviceId, trimmed)))
        }
        return probes
    }

    /// The customer of a row a blind index pointed to, if it has the value looked up: anything else is a moved or
    /// forged index entry.
    func verified(_ db: Database, _ rowID: Int64, _ matches: (Customer) -> Bool) throws -> Customer {
        let customer = try loadCustomer(db, rowID)
        guard matches(customer) else { throw RosterError.integrity(what: "an index entry of customer #\(rowID)") }
        return customer
    }
}

/// One way an ID is looked up: as `kind`, by the blind index of its normalized `value` in `table`'s index.
struct IDProbe: Sendable {
    let kind: IDKind
    /// The value a row found must hold (the customer's CRM id, hex externalCode, email or E.164 phone; the deviceId).
    let value: String
    let table: BlindIndexKind
    let blindIndex: Data
}
