import Crypto
import Dispatch
import Foundation
import GRDB
import GRDBSQLite
import RosterConcurrency
import RosterModel
import Synchronization

/// The fast path for a first import into an empty store (docs/import.md, "Bulk path").
///
/// Rows are sealed on all cores while one writer appends them to a temporary copy of the store
/// (no journal, no fsync per batch); blind indexes are collected in memory, sorted, and written
/// in key order so each B-tree only grows at its end. At the end the copy is switched to WAL,
/// synced and renamed over the store: an import killed at any moment leaves the old (empty)
/// store untouched.
///
/// `Sendable` by construction: the copy's queue (which serializes its own use) and the stamp are behind a mutex,
/// taken once per batch or step. The copy is used by one thread at a time all the same, handed over at joins — the
/// importer's thread opens it, the writing thread alone inserts until it is joined, then the importer deletes and
/// registers, one background thread writes the indexes until it is waited for, and the importer finishes or
/// discards it.
final class BulkLoader: Sendable {
    let store: Store
    let tempPath: String
    private let copy = Mutex<Copy>(Copy())

    private struct Copy {
        var target: DatabaseQueue?
        /// The data version and audit head of the store when it was copied: the swap checks that they did not move.
        var stamp: [String]?
    }

    /// The copy, until it is finished or discarded.
    private var target: DatabaseQueue? { copy.withLock { $0.target } }

    /// Index entries: a 16-byte blind index (as two words, so sorting compares integers) and a row id.
    struct Entry {
        let high: UInt64
        let low: UInt64
        let rowID: Int64

        init(_ words: BlindIndexer.Words, _ rowID: Int64) {
            self.high = words.high
            self.low = words.low
            self.rowID = rowID
        }

        var words: BlindIndexer.Words { BlindIndexer.Words(high: high, low: low) }

        /// Blind index order, then file order.
        static func inOrder(_ a: Entry, _ b: Entry) -> Bool {
            (a.high, a.low, a.rowID) < (b.high, b.low, b.rowID)
        }

        static func sameIndex(_ a: Entry, _ b: Entry) -> Bool { a.high == b.high && a.low == b.low }

        /// Sorts entries `inOrder`, in place. Blind indexes are uniformly random, so the entries are distributed
        /// by the top byte of their index (an in-place bucket permutation), each bucket again by the next byte,
        /// and the buckets left — about n / 65,536 entries — are insertion-sorted; a bucket still crowded after
        /// two bytes (one key repeated on many rows) gets the standard library's sort. A byte at a time keeps the
        /// permutation's 256 write positions in the cache (one pass over 65,536 buckets missed it on every move).
        /// The three arrays of a million-row import (~2.9M entries) sort in 0.16–0.18 s on two cores; the
        /// standard library's sort with a comparison closure took ~450 ms per million entries. No second buffer.
        static func sort(_ entries: inout [Entry]) {
            entries.withUnsafeMutableBufferPointer { distribute($0, shift: 56) }
        }

        private static func distribute(_ entries: UnsafeMutableBufferPointer<Entry>, shift: UInt64) {
            let count = entries.count
            guard count > 32 else {
                insertionSort(entries, 0..<count)
                return
            }
            guard shift >= 48 else {
                var crowded = entries
                crowded.sort(by: inOrder)
                return
            }
            withUnsafeTemporaryAllocation(of: Int.self, capacity: 257 + 256) { scratch in
                let ends = UnsafeMutableBufferPointer(rebasing: scratch[0..<257])
                let next = UnsafeMutableBufferPointer(rebasing: scratch[257...])
                for index in ends.indices { ends[index] = 0 }
                for entry in entries { ends[Int(truncatingIfNeeded: (entry.high >> shift) & 0xff) + 1] += 1 }
                for index in 1..<257 { ends[index] += ends[index - 1] }
                for index in 0..<256 { next[index] = ends[index] }
                for target in 0..<256 {
                    while next[target] < ends[target + 1] {
                        let home = Int(truncatingIfNeeded: (entries[next[target]].high >> shift) & 0xff)
                        if home == target {
                            next[target] += 1
                        } else {
                            entries.swapAt(next[target], next[home])
                            next[home] += 1
                        }
                    }
                }
                for target in 0..<256 where ends[target + 1] - ends[target] > 1 {
                    distribute(
                        UnsafeMutableBufferPointer(rebasing: entries[ends[target]..<ends[target + 1]]), shift: shift - 8
                    )
                }
            }
        }

        private static func insertionSort(_ entries: UnsafeMutableBufferPointer<Entry>, _ range: Range<Int>) {
            guard range.count > 1 else { return }
            for index in range.lowerBound + 1..<range.upperBound {
                let entry = entries[index]
                var slot = index
                while slot > range.lowerBound, inOrder(entry, entries[slot - 1]) {
                    entries[slot] = entries[slot - 1]
                    slot -= 1
                }
                entries[slot] = entry
            }
        }
    }

    /// Sealed rows of one part of a batch, in flat buffers: no allocation per row on the way to SQLite.
    struct SealedRows: Sendable {
        var rowIDs: [Int64] = []
        /// Per row: its 16-byte key salt, then its sealed record (nonce, ciphertext, tag).
        var bytes: [UInt8] = []
        /// Where each row's bytes end in `bytes` (a row starts where the previous one ends).
        var ends: [Int] = []

        mutating func reserve(rows: Int) {
            rowIDs.reserveCapacity(rows)
            ends.reserveCapacity(rows)
            bytes.reserveCapacity(rows * 256)
        }

    }

    init(store: Store) {
        self.store = store
        self.tempPath = StagingFile.path(of: store.path)
    }

    /// Whether the bulk path applies: an empty store, a kind whose rows each create one customer.
    static func applies(to store: Store, options: ImportOptions, map: ColumnMap) throws -> Bool {
        guard !options.dryRun, [.contacts, .email, .sms].contains(options.kind), map.column(.deviceId) == nil,
            !store.hasSuppressions
        else { return false }
        if options.kind != .contacts, !map.identityColumns.isEmpty { return false }
        return try store.db.read { db in
            // EXISTS, not COUNT(*): counting reads every page of the customer table (~0.1 s at a million).
            try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM customer) OR EXISTS (SELECT 1 FROM device)")
                == false
        }
    }

    /// Makes the temporary copy: the store's header, fields and audit log, bigger pages, no journal.
    func open() throws {
        StagingFile.removeLeftovers(of: store.path)
        try? FileManager.default.removeItem(atPath: tempPath)
        // VACUUM INTO accepts an empty file: create it 0600 first, as every store file.
        try FileSecurity.createPrivateFile(at: tempPath, contents: [])
        // The stamp is read before the copy: a write that lands after it (another process's `customer add`) changes
        // it, and the swap then refuses the copy instead of losing that write. Other processes keep writing
        // meanwhile: the store is not locked while the copy is built (docs/store.md, "Many processes, one store").
        let stamp = try store.db.writeWithoutTransaction { db in
            let stamp = try store.contentStamp(db)
            try db.execute(sql: "VACUUM INTO ?", arguments: [tempPath])
            return stamp
        }
        copy.withLock { $0.stamp = stamp }
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
            try store.discardWorkingSetSnapshot(db)
            // With no snapshot the working-set triggers record nothing, but SQLite still runs each one per row
            // (~0.85 µs a row, a third of the writer's time at a million rows): the copy's connection does not
            // run them (they stay in its schema for the store it becomes).
            try db.setTriggers(enabled: false)
        }
        copy.withLock { $0.target = queue }
        // Row ids are the rows' ordinals: a customer written before the copy was made (by another process since
        // the store was found empty) needs the incremental path.
        let empty = try queue.read { db in
            try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM customer) OR EXISTS (SELECT 1 FROM device)")
                == false
        }
        guard empty else { throw Importer.BulkNotApplicable() }
    }

    /// The sealing work of one thread: reused buffers for records and associated data.
    struct Sealer {
        /// The key states a row needs, copied out of the key ring once: plain values, so nothing is retained per row.
        let blindIndex: BlindIndexer
        let customerKeys: KeyedSHA256
        let codes: ExternalCodeDeriver
        let kind: ImportKind
        let now: Int64
        private var record = RecordWriter(version: RecordCodec.customerVersion, capacity: 512)
        /// The plain record of the customer sealed last (for the working set built at the end of the import).
        var lastRecord: [UInt8] { record.bytes }
        private var associatedData = CustomerRecordAAD()
        private var random: [UInt8] = []
        private var randomUsed = 0

        init(store: Store, kind: ImportKind, now: Int64) {
            self.blindIndex = store.keys.blindIndex
            self.customerKeys = store.keys.customerKeys
            self.codes = store.externalCodes
            self.kind = kind
            self.now = now
        }

        /// Appends 28 random bytes (a salt and a nonce) to `bytes`, from a pool refilled with one system call per
        /// 1,024 rows (copied through a pointer: a slice of the pool retained it per row).
        private mutating func appendSaltAndNonce(to bytes: inout [UInt8]) {
            if randomUsed + 28 > random.count {
                random = Random.bytes(28 * 1024)
                randomUsed = 0
            }
            let used = randomUsed
            random.withUnsafeBufferPointer {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: $0[used..<used + 28]))
            }
            randomUsed += 28
        }

        /// The CRM id a new customer gets from a row: its customerId, else its email or phone (channel-only files).
        func crmId(of plan: RowPlan) -> String {
            plan.identity ?? (kind == .email ? plan.email : plan.phone) ?? ""
        }

        /// The identity blind index of a CRM id.
        func identity(of crmId: String) -> BlindIndexer.Words {
            codes.withCode(for: crmId) { blindIndex.identityWords($0) }
        }

        /// Seals one new customer into `rows` and returns its identity blind index.
        mutating func seal(_ plan: RowPlan, rowID: Int64, into rows: inout SealedRows) throws -> BlindIndexer.Words {
            // The code as a value: a closure around the sealing would copy the whole plan (a retain per member).
            let code = codes.rawCode(for: crmId(of: plan))
            try seal(plan, code: code, rowID: rowID, into: &rows)
            return code.withUnsafeBytes { blindIndex.identityWords($0) }
        }

        /// `seal(_:rowID:into:)` with the customer's raw externalCode already computed.
        mutating func seal(_ plan: RowPlan, code: RawCode, rowID: Int64, into rows: inout SealedRows) throws {
            let crmId = crmId(of: plan)
            var consent = Consent.allEnabled
            for (channel, value) in plan.consent { consent[channel] = value }
            let origin: CustomerOrigin = plan.identity != nil ? .explicit : (kind == .email ? .email : .sms)
            if Self.strictlyInKeyOrder(plan.fields) {
                RecordCodec.encodeNew(
                    into: &record, crmId: crmId, code: code, origin: origin, email: plan.email, phone: plan.phone,
                    consent: consent, sortedFields: plan.fields, at: now)
            } else {
                // A planner's wide-file plans come sorted; others (jsonl, `fields`) may not. Stable: a repeated key
                // keeps its columns' order, and then its last value wins (two columns whose names differ only in
                // case), as in a customer's field dictionary.
                var fields = plan.fields
                RowPlanner.sortByKey(&fields)
                fields = fields.enumerated().filter {
                    $0.offset + 1 == fields.count || fields[$0.offset + 1].key != $0.element.key
                }
                .map(\.element)
                RecordCodec.encodeNew(
                    into: &record, crmId: crmId, code: code, origin: origin, email: plan.email, phone: plan.phone,
                    consent: consent, sortedFields: fields, at: now)
            }
            associatedData.set(rowID: rowID)
            // Salt (16), nonce (12), ciphertext, tag (16), written in place at the end of the part's buffer.
            let start = rows.bytes.count
            let plainCount = record.bytes.count
            let customerKeys = self.customerKeys
            appendSaltAndNonce(to: &rows.bytes)
            rows.bytes.appendZeros(plainCount + BoringPrimitives.GCM.tagCount)
            let sealed = rows.bytes.withUnsafeMutableBytes { out in
                record.bytes.withUnsafeBytes { plain in
                    associatedData.withUnsafeBytes { aad in
                        customerKeys.authenticate(UnsafeRawBufferPointer(rebasing: out[start..<start + 16])) {
                            key in
                            BoringPrimitives.GCM.seal(
                                key: key, nonce: UnsafeRawBufferPointer(rebasing: out[start + 16..<start + 28]),
                                plaintext: plain, associatedData: aad, into: out.baseAddress! + start + 28)
                        }
                    }
                }
            }
            // Only a key or nonce of the wrong length makes BoringSSL refuse to seal: a programming error.
            precondition(sealed, "AES-GCM refused to seal customer #\(rowID)")
            rows.rowIDs.append(rowID)
            rows.ends.append(rows.bytes.count)
        }

        /// Whether fields are in increasing key order without a repeated key: what a record stores as it is.
        private static func strictlyInKeyOrder(_ fields: [FieldAssignment]) -> Bool {
            var index = 1
            while index < fields.count {
                if fields[index - 1].key >= fields[index].key { return false }
                index += 1
            }
            return true
        }
    }

    /// Appends sealed customer rows to the copy.
    func insert(_ rows: SealedRows) throws {
        guard let target, !rows.rowIDs.isEmpty else { return }
        try target.write { try BulkLoader.insert(rows, $0) }
        startWriteback()
    }

    /// Starts writing what the copy has so far to disk (Linux `sync_file_range`) while the import goes on
    /// computing: the fsync before the swap then finds little left to write (it wrote ~500 MB at a million
    /// customers, ~0.3 s). Best effort: that fsync is what makes the copy durable. The call itself can block
    /// (~0.15 s after the blind indexes, when the device's queue is full), so it runs on its own thread, one at
    /// a time, and at most one more waits: a request made while one waits adds nothing (that one writes them).
    func startWriteback() {
        guard let syncFileRange = Self.syncFileRange,
            writebackPending.withLock({ pending in
                defer { pending = true }
                return !pending
            })
        else { return }
        let path = tempPath
        let pending = writebackPending
        Self.writeback.async {
            pending.withLock { $0 = false }
            let fd = Foundation.open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { return }
            _ = syncFileRange(fd, 0, 0, 2)  // SYNC_FILE_RANGE_WRITE: start writing the dirty pages
            close(fd)
        }
    }

    private static let writeback = DispatchQueue(label: "roster.bulk.writeback")
    private let writebackPending = Locked(false)

    private typealias SyncFileRange = @convention(c) (Int32, Int64, Int64, UInt32) -> Int32
    private static let syncFileRange = GlibcExtension.function("sync_file_range", as: SyncFileRange.self)

    /// Inserts sealed customer rows (64 to a statement, bound straight from the buffers), but those whose row id is
    /// in `dropped`.
    static func insert(_ rows: SealedRows, _ db: Database, dropping dropped: Set<Int64> = []) throws {
        let kept = dropped.isEmpty ? nil : rows.rowIDs.indices.filter { !dropped.contains(rows.rowIDs[$0]) }
        try rows.bytes.withUnsafeBytes { bytes in
            try RawInsert.run(
                db, table: "customer(id, keySalt, record)", columns: 3, rows: kept?.count ?? rows.rowIDs.count,
                perStatement: 64
            ) { statement, parameter, index in
                let row = kept?[index] ?? index
                let start = row == 0 ? 0 : rows.ends[row - 1]
                let end = rows.ends[row]
                sqlite3_bind_int64(statement, parameter, rows.rowIDs[row])
                sqlite3_bind_blob(statement, parameter + 1, bytes.baseAddress! + start, 16, nil)
                sqlite3_bind_blob(
                    statement, parameter + 2, bytes.baseAddress! + start + 16, Int32(end - start - 16), nil)
            }
        }
    }

    /// Inserts blind index entries into one index table (in the order given: sorted grows the B-tree at its end).
    /// With `skipped`, entries whose blind index the table already holds are left out, and `skipped` gets the
    /// entries of each statement that left some out.
    static func insert(
        _ entries: [Entry], into kind: BlindIndexKind, _ db: Database, skipped: ((Range<Int>) throws -> Void)? = nil
    ) throws {
        // Each statement's blind indexes are laid out big-endian in one scratch buffer bound in place.
        let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 16 * 128, alignment: 8)
        defer { scratch.deallocate() }
        try RawInsert.run(
            db, table: "\(kind.table)(blindIndex, customerId)", columns: 2, rows: entries.count, perStatement: 128,
            skipped: skipped
        ) { statement, parameter, row in
            let slot = scratch.baseAddress! + 16 * (Int(parameter - 1) / 2)
            slot.storeBytes(of: entries[row].high.bigEndian, toByteOffset: 0, as: UInt64.self)
            slot.storeBytes(of: entries[row].low.bigEndian, toByteOffset: 8, as: UInt64.self)
            sqlite3_bind_blob(statement, parameter, slot, 16, nil)
            sqlite3_bind_int64(statement, parameter + 1, entries[row].rowID)
        }
    }

    /// Removes customers rejected after they were written (an identifier given to an earlier row).
    func delete(_ rowIDs: [Int64]) throws {
        guard !rowIDs.isEmpty else { return }
        // The copy is written without secure_delete (nothing is freed while rows are appended); rows deleted here
        // were sealed customers — a superseded version, a rejected row — whose bytes must not stay in free space.
        try target?.writeWithoutTransaction { try $0.execute(sql: "PRAGMA secure_delete = ON") }
        try target?.write { db in
            let statement = try db.makeStatement(sql: "DELETE FROM customer WHERE id = ?")
            for rowID in rowIDs { try statement.execute(arguments: [rowID]) }
        }
    }

    /// Registers the fields the imported customers have that the store did not know.
    func register(fields: [FieldAssignment]) throws {
        guard let target, !fields.isEmpty else { return }
        try target.write { db in
            for field in fields {
                try store.writeFieldType(db, key: field.key, name: field.name, type: field.type, ifAbsent: true)
            }
        }
    }

    /// Writes the blind indexes — identity, email and phone entries in `lists`, each sorted by the caller — into
    /// the copy, emptying each list once written and giving its memory back.
    func writeIndexes(from lists: Slots<[Entry]>) throws {
        guard let target else { return }
        for (slot, kind) in [BlindIndexKind.identity, .email, .phone].enumerated() {
            try target.write { db in try BulkLoader.insert(lists[slot], into: kind, db) }
            lists[slot] = []
            FreedBuffers.release()
        }
        startWriteback()  // while the working set is finished
    }

    /// The field registry of the copy (after `register(fields:)`), for the working set of the imported customers.
    func layout() throws -> WorkingSetLayout {
        guard let target else { return WorkingSetLayout(fields: []) }
        return try target.read { try WorkingSetLayout.current($0) }
    }

    /// Bumps the data version, saves the working-set snapshot of the imported customers (`set`, built from the
    /// plain records) and the audit entry in the copy, then swaps the copy in.
    func finish(snapshot set: WorkingSet?, audit detail: String) throws {
        guard let target else { return }
        try target.write { db in
            try db.execute(
                sql: """
                    INSERT INTO meta(key, value) VALUES ('dataVersion', 1)
                    ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1
                    """)
            if let set, set.count > 0 { try store.saveWorkingSetSnapshot(set, db) }
            try store.audit(db, .import, subject: "*", detail: detail)
        }
        Trace.mark("bulk: snapshot saved in the copy")
        // Closing any descriptor of a file drops this process's POSIX locks on it, SQLite's included: harmless on
        // the private copy, not on the store it is about to become. Every writeback ends before the switch.
        Self.writeback.sync {}
        try target.writeWithoutTransaction { db in
            _ = try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL")
        }
        try target.close()
        copy.withLock { $0.target = nil }
        try swapIn()
        Trace.mark("bulk: copy synced and swapped in")
    }

    /// Throws the copy away (a failed or refused import).
    func discard() {
        Self.writeback.sync {}
        try? copy.withLock { copy in
            defer { copy.target = nil }
            try copy.target?.close()
        }
        for suffix in ["", "-wal", "-shm", "-journal"] {
            try? FileManager.default.removeItem(atPath: tempPath + suffix)
        }
    }

    /// Renames the copy over the store, unless another process changed the store since the copy was made: then
    /// nothing is replaced and the import starts again on the incremental path, on top of that change.
    private func swapIn() throws {
        try FileSecurity.sync(path: tempPath)
        TestHook.stop(at: "bulk-before-swap")
        guard let stamp = copy.withLock({ $0.stamp }), try store.replace(with: tempPath, madeFrom: stamp) else {
            Trace.mark("bulk: the store changed meanwhile; going the incremental way")
            throw Importer.BulkNotApplicable()
        }
    }
}

/// Multi-row `INSERT ... VALUES (...), (...)` with values bound straight from memory.
///
/// GRDB's `StatementArguments` box every value in an existential and copy every blob: at a million
/// rows that was a fifth of the bulk import. Here the caller binds with `sqlite3_bind_*` (blobs as
/// `SQLITE_STATIC`: the memory must outlive the call).
enum RawInsert {
    /// Binds one row: the statement, the 1-based index of the row's first parameter, and the row.
    typealias Bind = (_ statement: OpaquePointer, _ parameter: Int32, _ row: Int) -> Void

    /// With `skipped`, rows whose key exists are left out (`INSERT OR IGNORE`) and `skipped` gets the rows of
    /// each statement that left some out.
    static func run(
        _ db: Database, table: String, columns: Int, rows: Int, perStatement: Int,
        skipped: ((Range<Int>) throws -> Void)? = nil, bind: Bind
    ) throws {
        let placeholder = "(" + Array(repeating: "?", count: columns).joined(separator: ", ") + ")"
        let verb = skipped == nil ? "INSERT" : "INSERT OR IGNORE"
        var statements: [Int: Statement] = [:]
        var start = 0
        while start < rows {
            let count = min(perStatement, rows - start)
            if statements[count] == nil {
                statements[count] = try db.makeStatement(
                    sql: "\(verb) INTO \(table) VALUES "
                        + Array(repeating: placeholder, count: count).joined(separator: ", "))
            }
            let handle = statements[count]!.sqliteStatement
            for offset in 0..<count { bind(handle, Int32(offset * columns + 1), start + offset) }
            let code = sqlite3_step(handle)
            sqlite3_reset(handle)
            guard code == SQLITE_DONE else { throw RawQuery.error(code, db) }
            if let skipped, sqlite3_changes(db.sqliteConnection) < count { try skipped(start..<start + count) }
            start += count
        }
    }
}
