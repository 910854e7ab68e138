import Dispatch
import Foundation
import RosterCSV
import RosterConcurrency
import RosterModel

/// The bulk path: a first import into an empty store, in one pass over the file.
///
/// A reading thread parses records and fixes field types in file order; the caller's thread plans
/// and seals each batch on all cores; a writing thread appends the sealed rows to the store's
/// temporary copy. "Last row wins" and identifier conflicts are settled at the end from the sorted
/// blind indexes (rows found superseded are deleted from the copy), so the file is read once, not
/// twice. Row ids are the rows' ordinals in the file (plus one): the gaps left by rejected rows cost nothing.
extension Importer {
    /// A file that needs the incremental path after all: a customerId that looks like an email,
    /// a phone number or an externalCode may name another row's customer, which only it resolves.
    struct BulkNotApplicable: Error {}

    /// Records of the file in order, with the planner as it was after learning their field types.
    struct RecordBatch: Sendable {
        var firstOrdinal = 0
        /// Each row's fields (none for a row the reader refused), by position: kept apart from the lines so that a
        /// sealing thread hands a row's fields to the planner without copying a record out of a `Result` (retains).
        var fields: [[String]] = []
        var lines: [Int] = []
        /// Why the reader refused rows, by position (rare).
        var failures: [Int: String] = [:]
        var planner: RowPlanner
        var bytesRead = 0

        var count: Int { lines.count }

        mutating func reserve(_ rows: Int) {
            fields.reserveCapacity(rows)
            lines.reserveCapacity(rows)
        }

        mutating func append(_ result: Result<CSVRecord, CSVRowError>) {
            switch result {
            case .success(let record):
                fields.append(record.fields)
                lines.append(record.line)
            case .failure(let error):
                failures[lines.count] = error.reason
                fields.append([])
                lines.append(error.line)
            }
        }
    }

    /// What sealing one part of a batch found, besides the sealed rows.
    struct SealedPart: Sendable {
        var rows = BulkLoader.SealedRows()
        /// For each written row with fields: its row id and a bit per field column it sets.
        var fieldMasks: [(rowID: Int64, mask: UInt64)] = []
        var identity: [BulkLoader.Entry] = []
        var emails: [BulkLoader.Entry] = []
        var phones: [BulkLoader.Entry] = []
        /// Identities of rejected rows that had a key: they still supersede earlier rows with it.
        var rejectedKeys: [BulkLoader.Entry] = []
        var rejects: [(line: Int, reason: String)] = []
        var needsIncrementalPath = false
        /// The plain records of the sealed rows, for the working set built at the end.
        var plain = RecordSpill.Part()
    }

    func applyBulk(fingerprint: [String]) throws {
        let loader = BulkLoader(store: store)
        do {
            // Inside: a copy that fails half made (after the store was locked) is discarded too.
            try loader.open()
            try runBulk(loader: loader, fingerprint: fingerprint)
        } catch {
            loader.discard()
            throw error
        }
    }

    /// The phases of the bulk path: rows sealed and written to the copy, settled, the blind indexes and the working
    /// set built, the copy swapped in.
    private func runBulk(loader: BulkLoader, fingerprint: [String]) throws {
        let reader = try openReader()
        reader.keepsRawBytes = false
        let rejectsFile = try openRejectsFile(reader)
        var planner = try layout().planner(kind: options.kind, storeTypes: store.fieldTypes)
        planner.externalCodes = store.externalCodes
        // Everything that can fail before the threads start fails here: once they run, errors go through them.
        let spill = try RecordSpill(nextTo: store.path)
        var state = BulkState()
        let lastPlanner = try sealAndWrite(reader, planner: planner, loader: loader, spill: spill, into: &state)
        guard try fileFingerprint() == fingerprint else { throw fileChanged() }

        progress?(ImportProgressReport(phase: .indexing, rows: summary.read, bytesRead: 0, totalBytes: nil))
        Trace.mark("bulk: \(state.written) rows sealed and written")
        FreedBuffers.release()  // the threads' freed batches (~20 MB at 1M rows) before settling allocates
        try settle(
            &state, fieldKeys: planner.fieldKeys, lastPlanner: lastPlanner, loader: loader,
            rejectsFile: rejectsFile)
        try buildAndSwap(&state, loader: loader, spill: spill)
        summary.bulk = true
    }

    /// Reads, plans and seals the file (a reading thread hands batches to this one, which seals them on all cores),
    /// while a writing thread appends the sealed rows to the copy and their plain records to the spill. `state`
    /// gathers what was written; returns the planner as it was after the last row (its field types).
    private func sealAndWrite(
        _ reader: CSVReader, planner: RowPlanner, loader: BulkLoader, spill: RecordSpill, into state: inout BulkState
    ) throws -> RowPlanner {
        let sharedReader = UncheckedSendable(reader)  // read by the producer only, until it finishes
        let batchRows = options.bulkBatchRows
        // Stopped by this thread when the rest of the file is not needed; taken from until it finishes.
        let batches = Producer<Result<RecordBatch, any Error>>(capacity: 3) { outlet in
            Self.read(sharedReader.value, planner: planner, rows: batchRows, to: outlet)
        }
        let writes = BlockingChannel<[SealedPart]>(capacity: 2)
        let writeFailure = Locked<(any Error)?>(nil)
        let writer = WorkerThread { Self.write(writes, to: loader, spill: spill, failure: writeFailure) }

        var lastPlanner = planner
        var failure: (any Error)?
        let fileSize = reader.fileSize
        let now = Store.now()
        while let item = batches.next() {
            guard failure == nil else { continue }
            do {
                if let error = writeFailure.withLock({ $0 }) { throw error }
                let batch = try item.get()
                lastPlanner = batch.planner
                let parts = try seal(batch, now: now)
                summary.read += batch.count
                for part in parts {
                    if part.needsIncrementalPath { throw BulkNotApplicable() }
                    state.absorb(part)
                }
                for line in batch.lines { state.lines.append(Int32(clamping: line)) }
                writes.put(parts)
                TestHook.stop(at: "bulk-batch-sealed")
                progress?(
                    ImportProgressReport(
                        phase: .importing, rows: summary.read, bytesRead: batch.bytesRead, totalBytes: fileSize))
            } catch {
                failure = error
                batches.stop()
            }
        }
        writes.put(nil)
        writer.wait()
        if let failure { throw failure }
        if let error = writeFailure.withLock({ $0 }) { throw error }
        return lastPlanner
    }

    /// The writing thread: sealed parts into the copy, plain records into the spill, until `nil`; after a failure
    /// it only drains.
    private static func write(
        _ writes: BlockingChannel<[SealedPart]>, to loader: BulkLoader, spill: RecordSpill,
        failure: Locked<(any Error)?>
    ) {
        while let parts = writes.take() {
            guard failure.withLock({ $0 == nil }) else { continue }
            do {
                for part in parts {
                    try loader.insert(part.rows)
                    try spill.append(part.plain)
                }
            } catch {
                failure.withLock { $0 = error }
            }
        }
    }

    /// "Last row wins" and the identity rules applied to what was written, then the session's rules: --strict
    /// refuses, the superseded rows are deleted from the copy, the fields kept customers set are registered, and
    /// the rejects file is complete before the store is replaced (a failure to write it leaves the store as it was).
    private func settle(
        _ state: inout BulkState, fieldKeys: [String], lastPlanner: RowPlanner, loader: BulkLoader,
        rejectsFile: RejectsFile?
    ) throws {
        let removed = try state.settle(summary: &summary)
        Trace.mark("bulk: settled (\(removed.count) rows to remove)")
        let session = ImportSession(
            store: store, options: options, input: input, summary: summary, rejectsFile: rejectsFile, usesLanes: false)
        try session.refuseIfStrict()
        try loader.delete(removed)
        summary.created = state.written - removed.count
        // Field columns by bit (`RowPlan.fieldMask`), to register only the fields a customer of the import has (a
        // field seen only on rejected or superseded rows is not registered, as on the row-by-row path). Past 64
        // field keys, all are.
        let used = fieldKeys.count > 64 ? Set(fieldKeys) : state.usedFields(of: fieldKeys)
        let newFields = lastPlanner.fieldTypes.filter { store.fieldTypes[$0.key] == nil && used.contains($0.key) }.map {
            FieldAssignment(key: $0.key, name: $0.value.name, type: $0.value.type, value: "")
        }
        try session.writeRejects(Dictionary(summary.rejects.map { ($0.line, $0.reason) }) { first, _ in first }) {
            lines, file in try copyRows(lines: lines, to: file)
        }
        Trace.mark("bulk: rows removed, rejects copied")
        try loader.register(fields: newFields)
    }

    /// SQLite writes the blind indexes on one core while the others build the working set from the plain records;
    /// the copy, with its snapshot and the import's audit entry, then replaces the store. Each list of entries is
    /// freed as soon as it is written, so the working set grows as they shrink (the peak stays that of the settled
    /// lists; see docs/import.md).
    private func buildAndSwap(_ state: inout BulkState, loader: BulkLoader, spill: RecordSpill) throws {
        let layout = try loader.layout()
        let removedRows = state.removedRows
        let lists = Slots([state.identity, state.emails, state.phones])
        state = BulkState()
        FreedBuffers.release()
        progress?(ImportProgressReport(phase: .preparing, rows: summary.read, bytesRead: 0, totalBytes: nil))
        let writing = Parallel.Background {
            try loader.writeIndexes(from: lists)
            Trace.mark("bulk: blind indexes written")
        }
        let built = Result {
            try workingSet(from: spill, skipping: removedRows, count: summary.created, layout: layout)
        }
        try writing.wait()
        let set = try built.get()
        Trace.mark("bulk: working set of \(set.count) customers built from the plain records")
        try loader.finish(snapshot: set, audit: ImportSession.auditDetail(summary, kind: options.kind, bulk: true))
    }

    /// The reading thread: records in batches, field types learned in file order.
    private static func read(
        _ reader: CSVReader, planner start: RowPlanner, rows: Int,
        to outlet: Producer<Result<RecordBatch, any Error>>.Outlet
    ) {
        var planner = start
        var batch = RecordBatch(planner: planner)
        batch.reserve(rows)
        var ordinal = 0
        do {
            while let result = try reader.next() {
                if case .success(let record) = result { planner.learnTypes(from: record.fields) }
                batch.append(result)
                ordinal += 1
                if batch.count == rows {
                    if outlet.isStopped { break }
                    batch.planner = planner
                    batch.bytesRead = reader.bytesRead
                    outlet.send(.success(batch))
                    batch = RecordBatch(firstOrdinal: ordinal, planner: planner)
                    batch.reserve(rows)
                }
            }
            batch.planner = planner
            batch.bytesRead = reader.bytesRead
            outlet.send(.success(batch))
        } catch {
            outlet.send(.failure(error))
        }
        outlet.finish()
    }

    /// Plans and seals a batch on all cores, in parts that keep file order.
    private func seal(_ batch: RecordBatch, now: Int64) throws -> [SealedPart] {
        let kind = options.kind
        let store = self.store
        // Taken out of the batch once: reached through `batch` in the loop, each row copied them (retains).
        let planner = batch.planner
        let firstOrdinal = batch.firstOrdinal
        return try Parallel.tryRanges(batch.count, minimum: 512) { range in
            var sealer = BulkLoader.Sealer(store: store, kind: kind, now: now)
            var plan = RowPlan(line: 0)  // reused: its arrays keep their storage from row to row
            var out = SealedPart()
            out.rows.reserve(rows: range.count)
            for index in range {
                let rowID = Int64(firstOrdinal + index + 1)
                let line = batch.lines[index]
                if !batch.failures.isEmpty, let reason = batch.failures[index] {
                    out.rejects.append((line, reason))
                    continue
                }
                // A row's key (for "last row wins") is needed only when the row is rejected: a planned contacts or
                // email row has one, the same cell checked the same way. A phone without a countryCode is the
                // exception (the key refuses it, the plan reads it as international): an sms file looks first.
                if kind == .sms, case .failure(let rejection) = planner.key(of: batch.fields[index]) {
                    out.rejects.append((line, rejection.reason))
                    continue
                }
                if let rejection = planner.plan(batch.fields[index], line: line, into: &plan) {
                    switch planner.key(of: batch.fields[index]) {
                    case .failure(let keyRejection):
                        out.rejects.append((line, keyRejection.reason))
                    case .success(let key):
                        out.rejects.append((line, rejection.reason))
                        out.rejectedKeys.append(BulkLoader.Entry(sealer.identity(of: key), rowID))
                    }
                    continue
                }
                if kind == .contacts, let identity = plan.identity, Self.looksLikeOtherID(identity) {
                    out.needsIncrementalPath = true
                    return out
                }
                let identity = try sealer.seal(plan, rowID: rowID, into: &out.rows)
                sealer.lastRecord.withUnsafeBytes { out.plain.append(rowID: rowID, record: $0) }
                if !plan.fields.isEmpty { out.fieldMasks.append((rowID, plan.fieldMask)) }
                out.identity.append(BulkLoader.Entry(identity, rowID))
                if let email = plan.email {
                    out.emails.append(BulkLoader.Entry(sealer.blindIndex.indexWords(.email, email), rowID))
                }
                if let phone = plan.phone {
                    out.phones.append(BulkLoader.Entry(sealer.blindIndex.indexWords(.phone, phone), rowID))
                }
            }
            return out
        }
    }

    /// The working set of the imported customers, decoded from the plain records of the spill (a group of parts at a
    /// time on all cores), without the rows `settle` removed.
    private func workingSet(from spill: RecordSpill, skipping removed: Bitset, count: Int, layout: WorkingSetLayout)
        throws -> WorkingSet
    {
        let decoder = CustomerRecordDecoder(keys: store.keys, layout: layout)
        var rows = WorkingSetRows(fieldCount: layout.fields.count, capacity: count)
        let group = 4 * ProcessInfo.processInfo.activeProcessorCount
        for first in stride(from: 0, to: spill.partCount, by: group) {
            // One core is left to SQLite, which writes the blind indexes meanwhile: with every core decoding, the
            // writer (the longer of the two) was slowed by a fifth and the decoding ended no sooner.
            let parts = try Parallel.tryMap(min(group, spill.partCount - first), lanes: Parallel.lanesBesideWriter) {
                offset in
                try decoder.decode(plain: spill.read(first + offset), skipping: removed)
            }
            for part in parts { rows.append(contentsOf: part) }
            if first == 0 { rows.reserve(rows: count, maximumBytes: spill.byteCount) }
        }
        return rows.build(layout: layout, deviceCounts: [Int32](repeating: 0, count: rows.count))
    }

    /// Whether a customerId could be another customer's email, phone number or externalCode.
    static func looksLikeOtherID(_ identity: String) -> Bool {
        // Bytes, not `String.contains`: Foundation's substring search showed in the profile.
        identity.utf8.contains(UInt8(ascii: "@")) || identity.utf8.first == UInt8(ascii: "+")
            || (identity.utf8.count == 64 && Hex.decode(identity) != nil)
    }
}

/// What the bulk path collects while the rows are written, and how it settles it at the end.
struct BulkState {
    var identity: [BulkLoader.Entry] = []
    var emails: [BulkLoader.Entry] = []
    var phones: [BulkLoader.Entry] = []
    var rejectedKeys: [BulkLoader.Entry] = []
    /// The line of every row read, by ordinal (row id - 1), for the messages of late rejections.
    var lines: [Int32] = []
    var rejects: [(line: Int, reason: String)] = []
    var written = 0
    var fieldMasks: [(rowID: Int64, mask: UInt64)] = []
    /// The rows `settle` removed (superseded or rejected after they were written).
    private(set) var removedRows = Bitset(count: 0)

    mutating func absorb(_ part: Importer.SealedPart) {
        identity += part.identity
        emails += part.emails
        phones += part.phones
        rejectedKeys += part.rejectedKeys
        rejects += part.rejects
        fieldMasks += part.fieldMasks
        written += part.rows.rowIDs.count
    }

    private func line(_ rowID: Int64) -> Int { Int(lines[Int(rowID - 1)]) }

    /// The field columns (by bit, `keys[bit]`) that some kept customer sets; after `settle`.
    func usedFields(of keys: [String]) -> Set<String> {
        var mask: UInt64 = 0
        for row in fieldMasks where !removedRows.contains(Int(row.rowID)) { mask |= row.mask }
        return Set(keys.prefix(64).enumerated().filter { mask & (1 << UInt64($0.offset)) != 0 }.map(\.element))
    }

    /// The rows settling removes: a bit per row id, and the ids in the order they were found (to delete from the copy).
    private struct Removal {
        var rows: Bitset
        var deleted: [Int64] = []

        init(rowCount: Int) { rows = Bitset(count: rowCount + 1) }

        mutating func remove(_ rowID: Int64) {
            rows.insert(Int(rowID))
            deleted.append(rowID)
        }
    }

    /// Applies "last row wins" and "an identifier belongs to the earlier row" to what was written;
    /// fills the summary's rejects and duplicates; returns the row ids to delete from the copy.
    mutating func settle(summary: inout ImportSummary) throws -> [Int64] {
        var removal = Removal(rowCount: lines.count)
        var rejectedLines = Dictionary(rejects.map { ($0.line, $0.reason) }) { first, _ in first }
        let sorted = sortIndexes()
        // The email and phone groups are made on another core while the identities settle.
        let rowCount = lines.count
        let grouping = Parallel.Background {
            (Self.groups(sorted[1], rows: rowCount), Self.groups(sorted[2], rows: rowCount))
        }
        let duplicates = keepLatestRows(sorted[0], removal: &removal, rejectedLines: &rejectedLines)
        let (emailGroups, phoneGroups) = try grouping.wait()
        sorted[0] = []  // after the grouping thread is done with the slots
        settleChannels(emails: emailGroups, phones: phoneGroups, removal: &removal, rejectedLines: &rejectedLines)
        keepOnly(notIn: removal.rows, sorted: sorted)
        self.removedRows = removal.rows
        summary.duplicatesInFile = duplicates
        summary.rejects = rejectedLines.map { ImportSummary.Rejection(line: $0.key, reason: $0.value) }
        return removal.deleted
    }

    /// The three lists sorted by blind index, one per core, taken out of the state.
    private mutating func sortIndexes() -> Slots<[BulkLoader.Entry]> {
        let sorted = Slots([identity, emails, phones])
        identity = []
        emails = []
        phones = []
        Trace.mark("settle: sorting")
        DispatchQueue.concurrentPerform(iterations: 3) { sorted.modify($0) { BulkLoader.Entry.sort(&$0) } }
        Trace.mark("settle: sorted")
        return sorted
    }

    /// Last row wins: per identity, only the latest row stays, whether written or rejected; the kept identities go
    /// back into `identity`. A rejected row followed by a later row with the same key was superseded, not
    /// rejected. Returns the number of duplicates in the file.
    private mutating func keepLatestRows(
        _ allIdentities: [BulkLoader.Entry], removal: inout Removal, rejectedLines: inout [Int: String]
    ) -> Int {
        var latestRejected: [BlindIndexer.Words: Int64] = [:]
        for entry in rejectedKeys { latestRejected[entry.words] = max(latestRejected[entry.words] ?? 0, entry.rowID) }
        // The latest written row of each key that a rejected row also had (few: not one entry per customer).
        var latestWritten: [BlindIndexer.Words: Int64] = [:]
        var duplicates = 0
        identity.reserveCapacity(allIdentities.count)
        var start = 0
        while start < allIdentities.count {
            var end = start + 1
            while end < allIdentities.count && BulkLoader.Entry.sameIndex(allIdentities[end], allIdentities[start]) {
                end += 1
            }
            let last = allIdentities[end - 1]
            for entry in allIdentities[start..<end - 1] { removal.remove(entry.rowID) }
            duplicates += end - 1 - start
            start = end
            if let rejected = latestRejected[last.words] {
                latestWritten[last.words] = last.rowID
                if rejected > last.rowID {
                    removal.remove(last.rowID)
                    duplicates += 1
                    continue
                }
            }
            identity.append(last)
        }
        for entry in rejectedKeys {
            let latest = max(latestRejected[entry.words] ?? 0, latestWritten[entry.words] ?? 0)
            if entry.rowID < latest {
                rejectedLines[line(entry.rowID)] = nil
                duplicates += 1
            }
        }
        return duplicates
    }

    /// An email or phone belongs to the earliest row that keeps it. Rows are taken in file order and a row that
    /// meets an email or phone an earlier kept row has is rejected whole — it keeps neither, as a row rolled back
    /// on the row-by-row path. Each value is a group (its run in the sort), looked up by row id; a row removed by
    /// `keepLatestRows` owns nothing.
    private func settleChannels(
        emails emailGroups: (byRow: [Int32], count: Int), phones phoneGroups: (byRow: [Int32], count: Int),
        removal: inout Removal, rejectedLines: inout [Int: String]
    ) {
        var emailOwner = [Int64](repeating: 0, count: emailGroups.count)
        var phoneOwner = [Int64](repeating: 0, count: phoneGroups.count)
        for row in 1..<emailGroups.byRow.count where !removal.rows.contains(row) {
            let email = Int(emailGroups.byRow[row])
            let phone = Int(phoneGroups.byRow[row])
            var conflict: (noun: String, owner: Int64)?
            if email >= 0, emailOwner[email] != 0 {
                conflict = ("email", emailOwner[email])
            } else if phone >= 0, phoneOwner[phone] != 0 {
                conflict = ("phone", phoneOwner[phone])
            }
            if let conflict {
                rejectedLines[line(Int64(row))] =
                    "its \(conflict.noun) already belongs to the customer on line \(line(conflict.owner)); "
                    + "an identifier belongs to one customer only"
                removal.remove(Int64(row))
            } else {
                if email >= 0 { emailOwner[email] = Int64(row) }
                if phone >= 0 { phoneOwner[phone] = Int64(row) }
            }
        }
    }

    /// The kept identities and the sorted emails and phones (slots 1 and 2) without the removed rows, filtered in
    /// place on all cores, back into the state.
    private mutating func keepOnly(notIn removedRows: Bitset, sorted: Slots<[BulkLoader.Entry]>) {
        let kept = Slots([identity, sorted[1], sorted[2]])
        // Each list held once, so that it is filtered in place rather than copied.
        identity = []
        sorted[1] = []
        sorted[2] = []
        DispatchQueue.concurrentPerform(iterations: 3) { slot in
            kept.modify(slot) { entries in entries.removeAll { removedRows.contains(Int($0.rowID)) } }
        }
        identity = kept[0]
        emails = kept[1]
        phones = kept[2]
    }

    /// The groups of equal blind indexes in sorted `entries`: each row's group number (-1 for none) and how many.
    private static func groups(_ entries: [BulkLoader.Entry], rows: Int) -> (byRow: [Int32], count: Int) {
        var byRow = [Int32](repeating: -1, count: rows + 1)
        var count = 0
        var previous: BulkLoader.Entry?
        for entry in entries {
            if previous.map({ !BulkLoader.Entry.sameIndex($0, entry) }) ?? true { count += 1 }
            byRow[Int(entry.rowID)] = Int32(count - 1)
            previous = entry
        }
        return (byRow, count)
    }
}
