import Foundation
import GRDB
import RosterModel
import Synchronization

/// A field change worked out on a read-only connection, off the store thread, for the store thread to check and
/// write.
///
/// The sync server's store thread is its only writer, so its work per write bounds the writes per second. A
/// `setFields` is therefore prepared on the request's own task, on a reader: the ID looked up (the blind indexes
/// and the rows they named), the customer opened, the fields checked against the field registry and merged, an
/// existing customer's new record sealed. The store thread then only checks that nothing the preparation relied on
/// has changed since — every blind index still names the same row (or none), the customer's row still holds the
/// salt and sealed record that were read (each seal has a fresh nonce, so any rewrite changes them), every field
/// still has the type it was checked as — and writes. When anything differs (an earlier write of the same group,
/// another process), the change is applied from the start on the store thread, as it would be unprepared:
/// preparation changes where the work runs, never the outcome.
public final class PreparedChange: Sendable {
    /// One blind index the ID was looked up under, and the row it named (nil: none).
    struct Lookup: Sendable {
        let probe: IDProbe
        let rowID: Int64?
    }

    enum Target: Sendable {
        /// The ID named nobody: a customer is created with this CRM id.
        case create(crmId: String)
        /// One customer, whose row held `salt` and `record` when read; `sealed` is its new record.
        case update(salt: Data, record: Data, sealed: Data)
    }

    let lookups: [Lookup]
    let target: Target
    /// The customer with its fields set (a new customer's row id is chosen on the store thread: 0 here).
    let customer: Customer
    /// The type each field was checked as, by key.
    let types: [String: FieldType]
    /// The audit entry's detail.
    let detail: String
    private let written = Mutex(false)

    init(lookups: [Lookup], target: Target, customer: Customer, types: [String: FieldType], detail: String) {
        self.lookups = lookups
        self.target = target
        self.customer = customer
        self.types = types
        self.detail = detail
    }

    /// Whether the store thread wrote it as prepared (false: it applied the change from the start, or not yet).
    public var wasWritten: Bool { written.withLock { $0 } }

    func markWritten() { written.withLock { $0 = true } }

    /// Its write was rolled back with the rest of its group, which is applied again.
    func markNotWritten() { written.withLock { $0 = false } }
}

extension Store {
    /// Prepares a change on this connection (a reader of the server), or nil when the store thread must do all of
    /// it: a change other than setting fields, a field the registry does not know yet (registering it is a write),
    /// an ID that names a device or more than one customer, or anything refused (the store thread refuses it again,
    /// in its own words).
    public func prepare(_ change: StoreChange) -> PreparedChange? {
        guard case .setFields(let id, let fields) = change, !fields.isEmpty else { return nil }
        return try? db.read { db in try prepareFields(db, id, fields) }
    }

    private func prepareFields(_ db: Database, _ id: String, _ fields: [FieldChange]) throws -> PreparedChange? {
        try Store.checkDistinct(fields)
        var lookups: [PreparedChange.Lookup] = []
        var rows: Set<Int64> = []
        for probe in probes(for: id) {
            let rowID = try owner(db, probe.table, blindIndex: probe.blindIndex)
            if let rowID {
                // A device names its customer through its own record: left to the store thread.
                guard probe.kind != .deviceId else { return nil }
                rows.insert(rowID)
            }
            lookups.append(PreparedChange.Lookup(probe: probe, rowID: rowID))
        }
        guard rows.count <= 1 else { return nil }
        let now = Store.now()
        var customer: Customer
        var read: (salt: Data, record: Data)?
        if let rowID = rows.first {
            guard
                let row = try Row.fetchOne(
                    try db.cachedStatement(sql: "SELECT keySalt, record FROM customer WHERE id = ?"),
                    arguments: [rowID])
            else { return nil }
            let salt: Data = row["keySalt"]
            let record: Data = row["record"]
            customer = try openCustomer(salt: salt, record: record, rowID: rowID)
            // As `locate` checks: the row an index entry points to holds the value looked up.
            for lookup in lookups where lookup.rowID != nil {
                guard Store.holds(customer, lookup.probe) else { return nil }
            }
            customer.updatedAt = now
            read = (salt, record)
        } else {
            let crmId = try identifier { try CRMID.normalize(try Store.crmIdToCreate(id)) }
            customer = Customer(
                rowID: 0, externalCode: externalCode(for: crmId), crmId: crmId, origin: .explicit, email: nil,
                phone: nil, consent: .allEnabled, fields: [:], history: [], createdAt: now, updatedAt: now)
        }
        var types: [String: FieldType] = [:]
        let registry = fieldTypes
        for field in fields {
            // A field met for the first time is registered by `applyField`: a write, left to the store thread.
            guard let known = registry[field.name.trimmed.lowercased()] else { return nil }
            try applyField(db, &customer, name: field.name, value: field.value)
            types[field.name.trimmed.lowercased()] = known.type
        }
        let detail = "set " + fields.map { $0.name.trimmed.lowercased() }.joined(separator: ", ")
        guard let read else {
            return PreparedChange(
                lookups: lookups, target: .create(crmId: customer.crmId), customer: customer, types: types,
                detail: detail)
        }
        let sealed = try Sealer.seal(
            RecordCodec.encode(customer), key: keys.customerKey(salt: Array(read.salt)),
            context: customerRecordContext(customer.rowID))
        return PreparedChange(
            lookups: lookups, target: .update(salt: read.salt, record: read.record, sealed: sealed),
            customer: customer, types: types, detail: detail)
    }

    /// Whether a customer holds the value a probe looked up (a device probe never names a customer).
    static func holds(_ customer: Customer, _ probe: IDProbe) -> Bool {
        switch probe.kind {
        case .crmId: customer.crmId == probe.value
        case .externalCode: customer.externalCode == probe.value
        case .email: customer.email == probe.value
        case .phone: customer.phone == probe.value
        case .deviceId: false
        }
    }

    /// Writes a prepared change if nothing it was prepared from has changed since; nil, having written nothing, when
    /// something has (the caller then applies the change from the start).
    func applyPrepared(_ db: Database, _ prepared: PreparedChange) throws -> StoreChangeResult? {
        for lookup in prepared.lookups {
            guard try owner(db, lookup.probe.table, blindIndex: lookup.probe.blindIndex) == lookup.rowID else {
                return nil
            }
        }
        let registry = fieldTypes
        for (key, type) in prepared.types where registry[key]?.type != type { return nil }
        switch prepared.target {
        case .update(let salt, let record, let sealed):
            let rowID = prepared.customer.rowID
            guard
                let row = try Row.fetchOne(
                    try db.cachedStatement(sql: "SELECT keySalt, record FROM customer WHERE id = ?"),
                    arguments: [rowID]),
                (row["keySalt"] as Data?) == salt, (row["record"] as Data?) == record
            else { return nil }
            // Fields only: the customer's identifiers, and so its blind indexes, are as they were.
            try db.exec("UPDATE customer SET record = ? WHERE id = ?", arguments: [sealed, rowID])
            try audit(db, .field, subject: prepared.customer.externalCode, detail: prepared.detail)
            prepared.markWritten()
            return .customer(prepared.customer, created: false)
        case .create(let crmId):
            let fields = prepared.customer.fields
            let inserted = try insertCustomer(db, crmId: crmId, origin: .explicit) { $0.fields = fields }
            try audit(db, .field, subject: inserted.externalCode, detail: prepared.detail)
            prepared.markWritten()
            return .customer(inserted, created: true)
        }
    }
}
