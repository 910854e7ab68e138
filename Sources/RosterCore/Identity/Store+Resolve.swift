import Foundation
import GRDB

/// Finding customers and devices from any ID a user types.
extension Store {
    /// Resolves an ID as a CRM id, then an externalCode, then an email, then an E.164 phone, then a deviceId.
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
                throw RosterError.invalidValue(
                    "\"\(id)\" is an anonymous device (no customer is logged in on it): use `roster device login`")
            }
            return try loadCustomer(db, rowID)
        }
    }

    func resolve(_ db: Database, _ id: String) throws -> Subject {
        guard let (kind, rowID) = try locate(db, id) else { throw RosterError.unknownID(id) }
        if kind == .deviceId { return .device(try loadDevice(db, rowID)) }
        return .customer(try loadCustomer(db, rowID))
    }

    /// Which table row an ID points to, checked against the decrypted value.
    func locate(_ db: Database, _ id: String) throws -> (IDKind, Int64)? {
        let trimmed = CRMID.trim(id)
        guard !trimmed.isEmpty else { return nil }
        if let rowID = try owner(db, crmId: trimmed) {
            try verify(db, rowID, \.crmId, trimmed)
            return (.crmId, rowID)
        }
        if trimmed.utf8.count == 64, let code = Hex.decode(trimmed), let rowID = try owner(db, externalCode: code) {
            try verify(db, rowID, \.externalCode, Hex.encode(code))
            return (.externalCode, rowID)
        }
        if trimmed.contains("@"), let email = try? EmailAddress.normalize(trimmed),
            let rowID = try owner(db, .email, email)
        {
            try verify(db, rowID, \.email, email)
            return (.email, rowID)
        }
        if trimmed.hasPrefix("+") || trimmed.hasPrefix("00"), let phone = try? PhoneNumber.parseInternational(trimmed),
            let rowID = try owner(db, .phone, phone.e164)
        {
            try verify(db, rowID, \.phone, phone.e164)
            return (.phone, rowID)
        }
        if let rowID = try owner(db, .deviceId, trimmed) {
            guard try loadDevice(db, rowID).deviceId == trimmed else {
                throw RosterError.integrity(what: "the deviceId index entry of device #\(rowID)")
            }
            return (.deviceId, rowID)
        }
        return nil
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
