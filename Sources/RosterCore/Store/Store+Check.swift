import Foundation
import GRDB
import RosterConcurrency
import RosterModel

/// One thing `roster check` found wrong, in words for the person who runs it.
public struct CheckProblem: Sendable, Equatable {
    /// What was checked: `sqlite`, `records`, `indexes`, `fields`, `settings`, `audit` or `snapshot`.
    public let area: String
    public let message: String
}

/// What `roster check` looked at and what it found.
public struct CheckReport: Sendable {
    public var customers = 0
    public var devices = 0
    public var indexEntries = 0
    public var fields = 0
    public var auditEntries = 0
    public var snapshotRows: Int?
    public var problems: [CheckProblem] = []
    /// How many problems are listed at most per area; the count of all is in `problemCount`.
    static let listedPerArea = 50
    public var problemCount = 0
    /// Index entries found pointing back at the record that holds their value, by kind.
    var verifiedEntries: [BlindIndexKind: Int] = [:]

    mutating func add(_ area: String, _ message: String) {
        problemCount += 1
        guard problems.filter({ $0.area == area }).count < CheckReport.listedPerArea else { return }
        problems.append(CheckProblem(area: area, message: message))
    }
}

/// `roster check`: verifies a whole store without changing it.
///
/// - SQLite's own `integrity_check` (pages, B-trees, indexes).
/// - Every customer and device record opens (authenticated decryption under its own key and context).
/// - Blind indexes both ways: every record's identifiers (externalCode, email, phone, deviceId) are indexed and
///   point back at it, and every index entry points at a record that holds that value; a missing `emailIndex` row
///   would make an address look free to the next import.
/// - The field registry: every row's MAC, and every customer field value of a registered type.
/// - Every setting and saved segment opens, under the name it is indexed by.
/// - The audit chain (as `roster audit --verify`).
/// - The working-set snapshot, when there is one, against the records it caches.
extension Store {
    /// Checks everything; `progress` gets a phase name and the share done (0…1) of it.
    public func check(progress: ((String, Double) -> Void)? = nil) throws -> CheckReport {
        var report = CheckReport()
        try db.read { db in
            progress?("SQLite integrity", 0)
            for message in try String.fetchAll(db, sql: "PRAGMA integrity_check") where message != "ok" {
                report.add("sqlite", message)
            }
            let fieldTypes = try checkFieldTypes(db, &report)
            var snapshot = try SnapshotCheck(db, store: self, report: &report)
            try checkCustomers(db, fieldTypes: fieldTypes, snapshot: &snapshot, report: &report, progress: progress)
            snapshot.reportMissing(&report)
            try checkDevices(db, &report, progress: progress)
            try checkReverseIndexes(db, &report, progress: progress)
            checkSettingsAndSegments(db, &report)
            for problem in try serverKeyProblems(db) { report.add("server keys", problem) }
        }
        progress?("audit chain", 0)
        let audit = try verifyAudit()
        for problem in audit { report.add("audit", problem) }
        report.auditEntries = try db.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM audit") ?? 0 }
        return report
    }

    private func checkFieldTypes(_ db: Database, _ report: inout CheckReport) throws -> [String: FieldType] {
        let authenticated = try fieldTypesAuthenticated(db)
        var types: [String: FieldType] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT key, name, type, mac FROM field") {
            report.fields += 1
            if let problem = fieldTypeProblem(row, authenticated: authenticated) {
                report.add("fields", problem)
            } else if let type = FieldType(rawValue: row["type"]) {
                types[row["key"]] = type
            }
        }
        return types
    }

    private func checkCustomers(
        _ db: Database, fieldTypes: [String: FieldType], snapshot: inout SnapshotCheck, report: inout CheckReport,
        progress: ((String, Double) -> Void)?
    ) throws {
        let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM customer") ?? 0
        let lookups = Dictionary(
            uniqueKeysWithValues: [BlindIndexKind.identity, .email, .phone].map { kind in
                (kind, try? db.makeStatement(sql: "SELECT customerId FROM \(kind.table) WHERE blindIndex = ?"))
            })
        // Records are opened (and their blind indexes computed) on all cores a batch at a time; the look-ups,
        // on the one connection, follow in row order.
        let rows = try Row.fetchCursor(db, sql: "SELECT id, keySalt, record FROM customer ORDER BY id")
        var batch: [(rowID: Int64, salt: Data, record: Data)] = []
        func flush() throws {
            let opened = Parallel.ranges(batch.count, minimum: 512) { range in
                range.map { index in openForCheck(batch[index]) }
            }
            for part in opened {
                for item in part {
                    try checkCustomer(item, lookups: lookups, fieldTypes: fieldTypes, snapshot: &snapshot, &report)
                }
            }
            report.customers += batch.count
            progress?("customers", total > 0 ? Double(report.customers) / Double(total) : 1)
            batch.removeAll(keepingCapacity: true)
        }
        while let row = try rows.next() {
            batch.append((row["id"], row["keySalt"], row["record"]))
            if batch.count == 8_192 { try flush() }
        }
        try flush()
    }

    /// A customer opened for the check, with the blind indexes its identifiers should have.
    private struct OpenedCustomer {
        let rowID: Int64
        let customer: Customer?
        let expected: [(kind: BlindIndexKind, blindIndex: Data, what: String)]
    }

    private func openForCheck(_ row: (rowID: Int64, salt: Data, record: Data)) -> OpenedCustomer {
        guard let customer = try? openCustomer(salt: row.salt, record: row.record, rowID: row.rowID) else {
            return OpenedCustomer(rowID: row.rowID, customer: nil, expected: [])
        }
        var expected: [(kind: BlindIndexKind, blindIndex: Data, what: String)] = [
            (.identity, keys.blindIndex.identity(Hex.decode(customer.externalCode) ?? []), "externalCode")
        ]
        if let email = customer.email { expected.append((.email, keys.blindIndex.index(.email, email), "email")) }
        if let phone = customer.phone { expected.append((.phone, keys.blindIndex.index(.phone, phone), "phone")) }
        return OpenedCustomer(rowID: row.rowID, customer: customer, expected: expected)
    }

    private func checkCustomer(
        _ opened: OpenedCustomer, lookups: [BlindIndexKind: Statement?], fieldTypes: [String: FieldType],
        snapshot: inout SnapshotCheck, _ report: inout CheckReport
    ) throws {
        let rowID = opened.rowID
        guard let customer = opened.customer else {
            report.add("records", "customer #\(rowID) does not open: its record or key salt was altered")
            snapshot.markSeen(rowID)
            return
        }
        snapshot.compare(customer, &report)
        for (kind, blindIndex, what) in opened.expected {
            guard let statement = lookups[kind] ?? nil else { continue }
            let owner = try Int64.fetchOne(statement, arguments: [blindIndex])
            if owner == rowID { report.verifiedEntries[kind, default: 0] += 1 }
            if owner == nil {
                report.add(
                    "indexes",
                    "the \(what) of customer \(customer.externalCode) is not indexed: it cannot be found by it "
                        + "and would look free to the next import")
            } else if owner != rowID {
                report.add(
                    "indexes", "the \(what) of customer \(customer.externalCode) is indexed as customer #\(owner!)'s")
            }
        }
        for (key, value) in customer.fields {
            guard let type = fieldTypes[key] else {
                report.add(
                    "fields",
                    "customer \(customer.externalCode) has a value for field \(TerminalText.escape(key)), which is "
                        + "not registered")
                continue
            }
            if value.type != type {
                report.add(
                    "fields",
                    "customer \(customer.externalCode) holds field \(TerminalText.escape(key)) as \(value.type.phrase), "
                        + "but the field is \(type.phrase)")
            }
        }
    }

    private func checkDevices(
        _ db: Database, _ report: inout CheckReport, progress: ((String, Double) -> Void)?
    ) throws {
        progress?("devices", 0)
        let lookup = try db.makeStatement(sql: "SELECT deviceId FROM deviceIdIndex WHERE blindIndex = ?")
        let rows = try Row.fetchCursor(db, sql: "SELECT id, customerId FROM device ORDER BY id")
        while let row = try rows.next() {
            let rowID: Int64 = row["id"]
            report.devices += 1
            let device: Device
            do {
                device = try loadDevice(db, rowID)
            } catch {
                report.add("records", "device #\(rowID) does not open: its record was altered")
                continue
            }
            if let customerID: Int64 = row["customerId"],
                try Int.fetchOne(db, sql: "SELECT 1 FROM customer WHERE id = ?", arguments: [customerID]) == nil
            {
                report.add("records", "device #\(rowID) is logged in as customer #\(customerID), who does not exist")
            }
            let owner = try Int64.fetchOne(lookup, arguments: [keys.blindIndex.index(.deviceId, device.deviceId)])
            if owner == rowID { report.verifiedEntries[.deviceId, default: 0] += 1 }
            if owner != rowID {
                report.add(
                    "indexes",
                    owner == nil
                        ? "device #\(rowID) is not indexed by its deviceId: it cannot be found by it"
                        : "the deviceId of device #\(rowID) is indexed as device #\(owner!)'s")
            }
        }
    }

    /// Every index entry must point at a row that holds its value: counted against the rows checked above, and
    /// listed one by one only when the counts differ.
    private func checkReverseIndexes(
        _ db: Database, _ report: inout CheckReport, progress: ((String, Double) -> Void)?
    ) throws {
        progress?("index entries", 0)
        for kind in BlindIndexKind.allCases {
            let entries = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(kind.table)") ?? 0
            report.indexEntries += entries
            // Each verified entry is a distinct row of the table: when they are all of it, none is stray.
            guard entries != report.verifiedEntries[kind, default: 0] else { continue }
            let column = kind == .deviceId ? "deviceId" : "customerId"
            let owners = kind == .deviceId ? "device" : "customer"
            let rows = try Row.fetchCursor(db, sql: "SELECT blindIndex, \(column) AS owner FROM \(kind.table)")
            var cache: [Int64: Data?] = [:]
            while let row = try rows.next() {
                let blindIndex: Data = row["blindIndex"]
                let owner: Int64 = row["owner"]
                let value: Data?
                if let known = cache[owner] {
                    value = known
                } else {
                    value = indexedValue(db, kind, owner)
                    if cache.count < 100_000 { cache.updateValue(value, forKey: owner) }
                }
                guard let value else {
                    report.add(
                        "indexes",
                        "a \(kind.rawValue) index entry points at \(owners) #\(owner), which does not exist or does not open"
                    )
                    continue
                }
                if value != blindIndex {
                    report.add(
                        "indexes",
                        "a \(kind.rawValue) index entry points at \(owners) #\(owner), which does not hold that "
                            + "\(kind == .identity ? "externalCode" : kind.rawValue) (a moved or forged entry)")
                }
            }
        }
    }

    /// The blind index a row should have under `kind`, or nil when the row is missing or does not open.
    private func indexedValue(_ db: Database, _ kind: BlindIndexKind, _ rowID: Int64) -> Data? {
        if kind == .deviceId {
            guard let device = try? loadDevice(db, rowID) else { return nil }
            return keys.blindIndex.index(.deviceId, device.deviceId)
        }
        guard let customer = try? loadCustomer(db, rowID) else { return nil }
        switch kind {
        case .identity: return keys.blindIndex.identity(Hex.decode(customer.externalCode) ?? [])
        case .email: return customer.email.map { keys.blindIndex.index(.email, $0) } ?? Data()
        case .phone: return customer.phone.map { keys.blindIndex.index(.phone, $0) } ?? Data()
        case .deviceId: return nil
        }
    }
}

/// The working-set snapshot compared with the records it caches: a customer written since it was saved
/// (`workingSetChange`) is not expected to match.
struct SnapshotCheck {
    private var rows: [Int64: Int] = [:]
    private var seen: Set<Int64> = []
    private var changed: Set<Int64> = []
    private var set: WorkingSet?

    init(_ db: Database, store: Store, report: inout CheckReport) throws {
        guard try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM snapshot") ?? 0 > 0 else { return }
        guard let manifest = try WorkingSetSnapshot.manifest(db, keys: store.keys),
            let set = try WorkingSetSnapshot.load(manifest, db, keys: store.keys)
        else {
            report.add(
                "snapshot",
                "the working-set snapshot does not open or does not add up (altered or damaged); the records are "
                    + "intact if nothing else is reported, and the next command that loads customers rebuilds it")
            return
        }
        self.set = set
        report.snapshotRows = set.count
        for (index, rowID) in set.rowIDs.enumerated() { rows[rowID] = index }
        changed = Set(try Int64.fetchAll(db, sql: "SELECT customerId FROM workingSetChange"))
    }

    mutating func markSeen(_ rowID: Int64) { seen.insert(rowID) }

    mutating func compare(_ customer: Customer, _ report: inout CheckReport) {
        guard let set, !changed.contains(customer.rowID) else { return }
        guard let index = rows[customer.rowID] else {
            report.add("snapshot", "customer \(customer.externalCode) is missing from the working-set snapshot")
            return
        }
        seen.insert(customer.rowID)
        let same =
            set.externalCodes[index] == customer.externalCode && set.crmIds[index] == customer.crmId
            && set.emails[index] == customer.email && set.phones[index] == customer.phone
        if !same {
            report.add(
                "snapshot",
                "the working-set snapshot holds other identifiers for customer \(customer.externalCode) than its "
                    + "record (filters would answer wrongly)")
        }
    }

    func reportMissing(_ report: inout CheckReport) {
        guard set != nil else { return }
        for rowID in rows.keys where !seen.contains(rowID) && !changed.contains(rowID) {
            report.add("snapshot", "the working-set snapshot holds customer #\(rowID), whose record does not exist")
        }
    }
}
