import Crypto
import Dispatch
import Foundation
import GRDB

/// Building the decrypted working set: from the encrypted snapshot when it is current, else by decrypting every customer.
extension Store {
    /// The working set of all customers; `progress` goes from 0 to 1.
    public func loadWorkingSet(progress: (@Sendable (Double) -> Void)? = nil) throws -> WorkingSet {
        if let snapshot = try WorkingSetSnapshot.load(from: self) {
            progress?(1)
            return snapshot
        }
        let (set, version) = try scanWorkingSet(progress: progress)
        try? WorkingSetSnapshot.save(set, version: version, to: self)
        return set
    }

    /// Decrypts every customer (on all cores) into a working set, with the data version it reflects.
    func scanWorkingSet(progress: (@Sendable (Double) -> Void)? = nil) throws -> (WorkingSet, Int64) {
        try db.read { db in
            let version = try dataVersion(db)
            var deviceCounts: [Int64: Int32] = [:]
            for row in try Row.fetchAll(
                db, sql: "SELECT customerId, COUNT(*) FROM device WHERE customerId IS NOT NULL GROUP BY customerId")
            {
                deviceCounts[row[0]] = row[1]
            }
            let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM customer") ?? 0
            var builder = WorkingSetBuilder(capacity: total, fieldTypes: fieldTypes)
            let cursor = try Row.fetchCursor(db, sql: "SELECT id, keySalt, record FROM customer ORDER BY id")
            var batch: [(Int64, Data, Data)] = []
            batch.reserveCapacity(8192)
            func drain() throws {
                let decoded = try decrypt(batch)
                for customer in decoded { builder.append(customer, devices: deviceCounts[customer.rowID] ?? 0) }
                batch.removeAll(keepingCapacity: true)
                progress?(total == 0 ? 1 : Double(builder.count) / Double(total))
            }
            while let row = try cursor.next() {
                batch.append((row[0], row[1], row[2]))
                if batch.count == 8192 { try drain() }
            }
            try drain()
            return (builder.build(), version)
        }
    }

    /// Opens a batch of sealed customers on two threads, keeping their order.
    private func decrypt(_ rows: [(Int64, Data, Data)]) throws -> [Customer] {
        let parts = rows.count < 512 ? 1 : ProcessInfo.processInfo.activeProcessorCount
        let chunk = (rows.count + parts - 1) / max(parts, 1)
        let results = UnsafeSendableBox([Result<[Customer], Error>](repeating: .success([]), count: parts))
        DispatchQueue.concurrentPerform(iterations: parts) { part in
            let range = min(rows.count, part * chunk)..<min(rows.count, (part + 1) * chunk)
            results.value[part] = Result {
                try rows[range].map { rowID, salt, record in
                    let plain = try Sealer.open(
                        record, key: keys.customerKey(salt: Array(salt)), context: customerRecordContext(rowID))
                    do {
                        return try RecordCodec.decodeCustomer(plain, rowID: rowID)
                    } catch {
                        throw RosterError.integrity(what: "customer #\(rowID) (record layout)")
                    }
                }
            }
        }
        return try results.value.flatMap { try $0.get() }
    }

    /// A counter bumped by every write transaction, so a snapshot knows whether it is current.
    func dataVersion(_ db: Database) throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'dataVersion'") ?? 0
    }
}

/// A mutable box shared by the iterations of `concurrentPerform`, each writing its own slot.
final class UnsafeSendableBox<Value>: @unchecked Sendable {
    var value: Value
    init(_ value: Value) { self.value = value }
}

/// Accumulates customers into the columns of a working set.
struct WorkingSetBuilder {
    private var rowIDs: [Int64] = []
    private var externalCodes: [String] = []
    private var crmIds: [String] = []
    private var emails: [String?] = []
    private var phones: [String?] = []
    private var consent: [Consent] = []
    private var deviceCounts: [Int32] = []
    private var fieldKeys: [String]
    private var fieldNames: [String]
    private var fieldTypes: [FieldType]
    private var columns: [[String?]]

    init(capacity: Int, fieldTypes registry: [String: (name: String, type: FieldType)]) {
        let keys = registry.keys.sorted()
        fieldKeys = keys
        fieldNames = keys.map { registry[$0]!.name }
        fieldTypes = keys.map { registry[$0]!.type }
        columns = keys.map { _ in [] }
        for index in columns.indices { columns[index].reserveCapacity(capacity) }
        rowIDs.reserveCapacity(capacity)
        externalCodes.reserveCapacity(capacity)
        crmIds.reserveCapacity(capacity)
        emails.reserveCapacity(capacity)
        phones.reserveCapacity(capacity)
        consent.reserveCapacity(capacity)
        deviceCounts.reserveCapacity(capacity)
    }

    var count: Int { rowIDs.count }

    mutating func append(_ customer: Customer, devices: Int32) {
        rowIDs.append(customer.rowID)
        externalCodes.append(customer.externalCode)
        crmIds.append(customer.crmId)
        emails.append(customer.email)
        phones.append(customer.phone)
        consent.append(customer.consent)
        deviceCounts.append(devices)
        for index in fieldKeys.indices { columns[index].append(customer.fields[fieldKeys[index]]?.value) }
    }

    func build() -> WorkingSet {
        WorkingSet(
            rowIDs: rowIDs, externalCodes: externalCodes, crmIds: crmIds, emails: emails, phones: phones,
            consent: consent, deviceCounts: deviceCounts,
            columns: fieldKeys.indices.map {
                WorkingSet.Column(name: fieldNames[$0], type: fieldTypes[$0], values: columns[$0])
            })
    }
}
