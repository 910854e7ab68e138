import Crypto
import Dispatch
import Foundation
import GRDB

/// The fast path for a first import into an empty store (DESIGN.md, "Encrypted bulk import").
///
/// Rows are sealed on all cores while one writer appends them to a temporary copy of the store
/// (no journal, no fsync per batch); blind indexes are collected in memory, sorted, and written
/// in key order so each B-tree only grows at its end. At the end the copy is switched to WAL,
/// synced and renamed over the store: an import killed at any moment leaves the old (empty)
/// store untouched.
final class BulkLoader: @unchecked Sendable {
    let store: Store
    let tempPath: String
    private var target: DatabaseQueue?
    /// The data version of the store when it was copied; the store is locked from then on.
    private var copiedVersion: Int64?

    /// Index entries: a 16-byte blind index (as two words, so sorting compares integers) and a row id.
    struct Entry {
        let high: UInt64
        let low: UInt64
        let rowID: Int64

        init(_ blindIndex: Data, _ rowID: Int64) {
            var high: UInt64 = 0
            var low: UInt64 = 0
            blindIndex.withUnsafeBytes { raw in
                high = UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self))
                low = UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
            }
            self.high = high
            self.low = low
            self.rowID = rowID
        }

        var blindIndex: Data {
            var bytes = Data(count: 16)
            bytes.withUnsafeMutableBytes { raw in
                raw.storeBytes(of: high.bigEndian, toByteOffset: 0, as: UInt64.self)
                raw.storeBytes(of: low.bigEndian, toByteOffset: 8, as: UInt64.self)
            }
            return bytes
        }
    }

    /// One row ready for the writer.
    struct SealedRow {
        let plan: RowPlan
        let rowID: Int64
        let code: [UInt8]
        let salt: Data
        let record: Data
        let identity: Data
        let email: Data?
        let phone: Data?
    }

    init(store: Store) {
        self.store = store
        self.tempPath = store.path + ".import-\(getpid())"
    }

    /// Whether the bulk path applies: an empty store, a kind whose rows each create one customer.
    static func applies(to store: Store, options: ImportOptions, map: ColumnMap) throws -> Bool {
        guard !options.dryRun, [.contacts, .email, .sms].contains(options.kind), map.column(.deviceId) == nil,
            !store.hasSuppressions
        else { return false }
        if options.kind != .contacts, !map.identityColumns.isEmpty { return false }
        return try store.db.read { db in
            try Int.fetchOne(db, sql: "SELECT (SELECT COUNT(*) FROM customer) + (SELECT COUNT(*) FROM device)") == 0
        }
    }

    /// Removes temporary files left by bulk imports that were killed.
    static func removeLeftovers(of storePath: String) {
        let directory = (storePath as NSString).deletingLastPathComponent
        let prefix = (storePath as NSString).lastPathComponent + ".import-"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.isEmpty ? "." : directory)) ?? []
        for name in names where name.hasPrefix(prefix) {
            let pidText = name.dropFirst(prefix.count).prefix { $0.isNumber }
            if let pid = Int32(pidText), pid != getpid(), kill(pid, 0) == 0 { continue }
            try? FileManager.default.removeItem(atPath: (directory.isEmpty ? "." : directory) + "/" + name)
        }
    }

    /// Makes the temporary copy: the store's header, fields and audit log, bigger pages, no journal.
    func open() throws {
        BulkLoader.removeLeftovers(of: store.path)
        try? FileManager.default.removeItem(atPath: tempPath)
        // VACUUM INTO accepts an empty file: create it 0600 first, as every store file.
        try FileSecurity.createPrivateFile(at: tempPath, contents: [])
        let version = try store.db.writeWithoutTransaction { db in
            try db.execute(sql: "VACUUM INTO ?", arguments: [tempPath])
            // Other processes' writes wait (then fail loudly) until the copy replaces the store,
            // instead of landing in a file about to be replaced.
            try db.execute(sql: "BEGIN EXCLUSIVE")
            return try store.dataVersion(db)
        }
        copiedVersion = version
        var config = Configuration()
        config.prepareDatabase { db in
            try db.execute(
                sql: """
                    PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA temp_store = MEMORY;
                    PRAGMA cache_size = -16384; PRAGMA secure_delete = OFF
                    """)
        }
        let queue = try DatabaseQueue(path: tempPath, configuration: config)
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA page_size = 16384; VACUUM")
        }
        target = queue
    }

    /// Seals a batch of plans on all cores; row ids are given in order from `firstRowID`.
    func seal(_ plans: [RowPlan], firstRowID: Int64, kind: ImportKind) throws -> [SealedRow] {
        let keys = store.keys
        let codes = store.externalCodes
        let parts = plans.count < 256 ? 1 : ProcessInfo.processInfo.activeProcessorCount
        let chunk = (plans.count + parts - 1) / parts
        let results = UnsafeSendableBox([Result<[SealedRow], Error>](repeating: .success([]), count: parts))
        let now = Store.now()
        DispatchQueue.concurrentPerform(iterations: parts) { part in
            let range = min(plans.count, part * chunk)..<min(plans.count, (part + 1) * chunk)
            results.value[part] = Result {
                // One CSPRNG call per chunk for all salts (and nonces), not two syscalls per row.
                let random = Random.bytes(range.count * 28)
                var out: [SealedRow] = []
                out.reserveCapacity(range.count)
                for (offset, index) in range.enumerated() {
                    let plan = plans[index]
                    let rowID = firstRowID + Int64(index)
                    let crmId = plan.identity ?? (kind == .email ? plan.email : plan.phone) ?? ""
                    let code = codes.code(for: crmId)
                    var consent = Consent.allEnabled
                    for (channel, value) in plan.consent { consent[channel] = value }
                    var fields = plan.fields
                    if !fields.isEmpty {
                        // Last value wins for a repeated key, as in a customer's field dictionary.
                        fields.sort { $0.key < $1.key }
                        fields = fields.enumerated().filter {
                            $0.offset + 1 == fields.count || fields[$0.offset + 1].key != $0.element.key
                        }
                        .map(\.element)
                    }
                    let plainRecord = RecordCodec.encodeNew(
                        crmId: crmId, externalCode: Hex.encode(code),
                        origin: plan.identity != nil ? .explicit : (kind == .email ? .email : .sms), email: plan.email,
                        phone: plan.phone, consent: consent, sortedFields: fields, at: now)
                    let base = offset * 28
                    let salt = Array(random[base..<base + 16])
                    let nonce = try AES.GCM.Nonce(data: random[base + 16..<base + 28])
                    let box = try AES.GCM.seal(
                        plainRecord, using: keys.customerKey(salt: salt), nonce: nonce,
                        authenticating: store.customerRecordContext(rowID).bytes)
                    out.append(
                        SealedRow(
                            plan: plan, rowID: rowID, code: code, salt: Data(salt), record: box.combined!,
                            identity: keys.blindIndex.identity(code),
                            email: plan.email.map { keys.blindIndex.index(.email, $0) },
                            phone: plan.phone.map { keys.blindIndex.index(.phone, $0) }))
                }
                return out
            }
        }
        return try results.value.flatMap { try $0.get() }
    }

    /// Appends customer rows (64 to a statement).
    func insert(_ rows: [SealedRow]) throws {
        try target?.write { db in
            try BulkLoader.append(rows, into: "customer(id, keySalt, record)", columns: 3, perStatement: 64, db) {
                [$0.rowID, $0.salt, $0.record]
            }
        }
    }

    /// Multi-row `INSERT`s: one statement per `perStatement` rows, compiled once per size.
    private static func append<Rows: Collection>(
        _ rows: Rows, into table: String, columns: Int, perStatement: Int, _ db: Database,
        values: (Rows.Element) -> [DatabaseValueConvertible]
    ) throws where Rows.Index == Int {
        let placeholder = "(" + Array(repeating: "?", count: columns).joined(separator: ", ") + ")"
        var start = rows.startIndex
        while start < rows.endIndex {
            let slice = rows[start..<min(rows.endIndex, start + perStatement)]
            let sql =
                "INSERT INTO \(table) VALUES "
                + Array(repeating: placeholder, count: slice.count).joined(separator: ", ")
            var arguments: [DatabaseValueConvertible] = []
            arguments.reserveCapacity(slice.count * columns)
            for row in slice { arguments += values(row) }
            try db.cachedStatement(sql: sql).execute(arguments: StatementArguments(arguments))
            start += perStatement
        }
    }

    /// Removes customers rejected after they were written (an identifier given to an earlier row).
    func delete(_ rowIDs: Set<Int64>) throws {
        try target?.write { db in
            for rowID in rowIDs { try db.execute(sql: "DELETE FROM customer WHERE id = ?", arguments: [rowID]) }
        }
    }

    /// Writes the blind indexes (sorted by the caller), the field registry and the header bump, then swaps the copy in.
    func finish(
        identity: [Entry], email: [Entry], phone: [Entry], fields: [FieldAssignment],
        audit detail: String
    ) throws {
        guard let target else { return }
        try target.write { db in
            for (table, entries) in [("identityIndex", identity), ("emailIndex", email), ("phoneIndex", phone)] {
                try BulkLoader.append(
                    entries, into: "\(table)(blindIndex, customerId)", columns: 2, perStatement: 100, db
                ) { [$0.blindIndex, $0.rowID] }
            }
            for field in fields {
                try db.execute(
                    sql: "INSERT OR IGNORE INTO field(key, name, type) VALUES (?, ?, ?)",
                    arguments: [field.key, field.name, field.type.rawValue])
            }
            try db.execute(
                sql: """
                    INSERT INTO meta(key, value) VALUES ('dataVersion', 1)
                    ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1
                    """)
            try store.audit(db, .import, subject: "*", detail: detail)
        }
        try target.writeWithoutTransaction { db in
            _ = try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL")
        }
        try target.close()
        self.target = nil
        try swapIn()
    }

    /// Ends the exclusive lock on the store (before the swap, or when the import is abandoned).
    private func unlockStore() {
        guard copiedVersion != nil else { return }
        copiedVersion = nil
        try? store.db.writeWithoutTransaction { try $0.execute(sql: "ROLLBACK") }
    }

    /// Throws the copy away (a failed or refused import).
    func discard() {
        unlockStore()
        try? target?.close()
        target = nil
        for suffix in ["", "-wal", "-shm", "-journal"] {
            try? FileManager.default.removeItem(atPath: tempPath + suffix)
        }
    }

    private func swapIn() throws {
        try FileSecurity.sync(path: tempPath)
        let unchanged = try store.db.writeWithoutTransaction { try store.dataVersion($0) } == copiedVersion
        unlockStore()
        guard unchanged else {
            throw RosterError.conflict(
                "the store \(store.path) changed while the file was imported; nothing was imported: run the import again"
            )
        }
        try store.closeForReplacement()
        guard rename(tempPath, store.path) == 0 else {
            let reason = String(cString: strerror(errno))
            try store.reopen()
            throw RosterError.io(path: store.path, detail: "cannot replace the store with the imported copy: \(reason)")
        }
        // The store is replaced from here on: reopen it whatever happens to the directory sync.
        let directorySync = Result {
            try FileSecurity.sync(path: (store.path as NSString).deletingLastPathComponent, directory: true)
        }
        try store.reopen()
        if case .failure(let error) = directorySync {
            throw RosterError.io(
                path: store.path, detail: "the file was imported, but its folder could not be flushed to disk: \(error)"
            )
        }
    }
}
