import Crypto
import Foundation
import GRDB
import RosterModel

/// Reading and writing sealed customer rows and their blind indexes inside a transaction.
///
/// Each customer has its own data key, derived from a random salt kept in its row; the record is
/// sealed under that key. Erasure deletes the salt, and with it every way to open the record.
extension Store {
    static func now() -> Int64 { Int64(Date().timeIntervalSince1970) }

    func customerRecordContext(_ rowID: Int64) -> SealContext {
        SealContext(kind: "customer", id: rowID, column: "record")
    }

    /// The row id that a blind index of `kind` points to, if any.
    func owner(_ db: Database, _ kind: BlindIndexKind, _ value: String) throws -> Int64? {
        try owner(db, kind, blindIndex: keys.blindIndex.index(kind, value))
    }

    /// The customer whose CRM id is `crmId` (already normalized), if any.
    func owner(_ db: Database, crmId: String) throws -> Int64? {
        try owner(db, externalCode: externalCodes.code(for: crmId))
    }

    /// The customer whose externalCode is `code` (raw 32 bytes), if any.
    func owner(_ db: Database, externalCode code: [UInt8]) throws -> Int64? {
        try owner(db, .identity, blindIndex: keys.blindIndex.identity(code))
    }

    /// The row id a blind index entry of `kind` points to, if any.
    func owner(_ db: Database, _ kind: BlindIndexKind, blindIndex: Data) throws -> Int64? {
        let column = kind == .deviceId ? "deviceId" : "customerId"
        return try Int64.fetchOne(
            try db.cachedStatement(sql: "SELECT \(column) FROM \(kind.table) WHERE blindIndex = ?"),
            arguments: [blindIndex])
    }

    /// Decrypts one customer and checks that its externalCode matches its CRM id.
    func loadCustomer(_ db: Database, _ rowID: Int64) throws -> Customer {
        guard
            let row = try Row.fetchOne(
                try db.cachedStatement(sql: "SELECT keySalt, record FROM customer WHERE id = ?"), arguments: [rowID])
        else {
            throw RosterError.integrity(what: "the index entry for customer #\(rowID), which has no record,")
        }
        return try openCustomer(salt: row["keySalt"], record: row["record"], rowID: rowID)
    }

    /// Decrypts one customer from its row's salt and sealed record and checks that its externalCode matches its CRM
    /// id. Touches no database: an import opens many at once on all cores.
    func openCustomer(salt: Data, record: Data, rowID: Int64) throws -> Customer {
        let plain = try Sealer.open(
            record, key: keys.customerKey(salt: Array(salt)), context: customerRecordContext(rowID))
        let customer: Customer
        do {
            customer = try RecordCodec.decodeCustomer(plain, rowID: rowID)
        } catch {
            throw RosterError.integrity(what: "customer #\(rowID) (record layout)")
        }
        guard externalCode(for: customer.crmId) == customer.externalCode else {
            throw RosterError.integrity(what: "customer #\(rowID) (externalCode)")
        }
        return customer
    }

    /// Inserts a new customer with a fresh key salt; its row id is chosen here so it can be bound into the seal.
    func insertCustomer(
        _ db: Database, crmId: String, origin: CustomerOrigin, build: (inout Customer) throws -> Void
    ) throws -> Customer {
        // Inside a group (the sync server's), one past the row the group inserted last: the group holds the write
        // lock, so nobody else inserts meanwhile.
        let inGroup = auditHeadDeferredOn == ObjectIdentifier(db)
        let rowID =
            try (inGroup ? nextCustomerRowID : nil)
            ?? Int64.fetchOne(try db.cachedStatement(sql: "SELECT COALESCE(MAX(id), 0) + 1 FROM customer")) ?? 1
        let now = Store.now()
        var customer = Customer(
            rowID: rowID, externalCode: externalCode(for: crmId), crmId: crmId, origin: origin, email: nil,
            phone: nil, consent: .allEnabled, fields: [:], history: [], createdAt: now, updatedAt: now)
        try build(&customer)
        let salt = Random.bytes(16)
        let record = try Sealer.seal(
            RecordCodec.encode(customer), key: keys.customerKey(salt: salt), context: customerRecordContext(rowID))
        try db.exec(
            "INSERT INTO customer(id, keySalt, record) VALUES (?, ?, ?)", arguments: [rowID, Data(salt), record])
        if inGroup { nextCustomerRowID = rowID + 1 }
        try updateIndexes(db, old: nil, new: customer)
        return customer
    }

    /// Re-seals a changed customer under its existing data key and moves its blind indexes.
    func updateCustomer(_ db: Database, old: Customer, new: Customer) throws {
        var changed = new
        changed.updatedAt = Store.now()
        guard
            let salt = try Data.fetchOne(
                try db.cachedStatement(sql: "SELECT keySalt FROM customer WHERE id = ?"), arguments: [old.rowID])
        else { throw RosterError.integrity(what: "customer #\(old.rowID)") }
        let record = try Sealer.seal(
            RecordCodec.encode(changed), key: keys.customerKey(salt: Array(salt)),
            context: customerRecordContext(old.rowID))
        try db.exec("UPDATE customer SET record = ? WHERE id = ?", arguments: [record, old.rowID])
        try updateIndexes(db, old: old, new: changed)
    }

    /// Deletes a customer row and its index entries (its devices are the caller's business).
    func deleteCustomer(_ db: Database, _ customer: Customer) throws {
        try updateIndexes(db, old: customer, new: nil)
        try db.exec("DELETE FROM customer WHERE id = ?", arguments: [customer.rowID])
    }

    private func updateIndexes(_ db: Database, old: Customer?, new: Customer?) throws {
        let identity = { (customer: Customer) in
            self.keys.blindIndex.identity(Hex.decode(customer.externalCode) ?? [])
        }
        let pairs: [(BlindIndexKind, Data?, Data?)] = [
            (.identity, old.map(identity), new.map(identity)),
            (
                .email, old?.email.map { keys.blindIndex.index(.email, $0) },
                new?.email.map { keys.blindIndex.index(.email, $0) }
            ),
            (
                .phone, old?.phone.map { keys.blindIndex.index(.phone, $0) },
                new?.phone.map { keys.blindIndex.index(.phone, $0) }
            ),
        ]
        for (kind, before, after) in pairs where before != after {
            if let before {
                try db.exec("DELETE FROM \(kind.table) WHERE blindIndex = ?", arguments: [before])
            }
            if let after, let rowID = new?.rowID {
                try checkNotSuppressed(db, after, kind)
                try db.exec(
                    "INSERT INTO \(kind.table)(blindIndex, customerId) VALUES (?, ?)", arguments: [after, rowID])
            }
        }
    }
}
