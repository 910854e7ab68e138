import Dispatch
import Foundation

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
        var records: [Result<CSVRecord, CSVRowError>] = []
        var planner: RowPlanner
        var bytesRead = 0
    }

    /// What sealing one part of a batch found, besides the sealed rows.
    struct SealedPart: Sendable {
        var rows = BulkLoader.SealedRows()
        var identity: [BulkLoader.Entry] = []
        var emails: [BulkLoader.Entry] = []
        var phones: [BulkLoader.Entry] = []
        /// Identities of rejected rows that had a key: they still supersede earlier rows with it.
        var rejectedKeys: [BulkLoader.Entry] = []
        var rejects: [(line: Int, reason: String)] = []
        var needsIncrementalPath = false
    }

    /// A bounded hand-over between two threads; `nil` ends the stream.
    final class Channel<Item>: @unchecked Sendable {
        private var items: [Item?] = []
        private let lock = NSCondition()
        private let capacity: Int

        init(capacity: Int) { self.capacity = capacity }

        func put(_ item: Item?) {
            lock.lock()
            while items.count >= capacity { lock.wait() }
            items.append(item)
            lock.broadcast()
            lock.unlock()
        }

        func take() -> Item? {
            lock.lock()
            while items.isEmpty { lock.wait() }
            let item = items.removeFirst()
            lock.broadcast()
            lock.unlock()
            return item
        }
    }

    /// Results written by several threads, each into its own slot (or under `lock`).
    final class Slots<Value>: @unchecked Sendable {
        var values: [Value]
        let lock = NSLock()
        init(_ values: [Value]) { self.values = values }
    }

    func applyBulk(fingerprint: [String]) throws {
        let loader = BulkLoader(store: store)
        try loader.open()
        do {
            try runBulk(loader: loader, fingerprint: fingerprint)
        } catch {
            loader.discard()
            throw error
        }
    }

    private func runBulk(loader: BulkLoader, fingerprint: [String]) throws {
        let reader = try openReader()
        reader.keepsRawBytes = false
        let rejectsFile = try options.rejectsPath.map {
            try RejectsFile(path: $0, header: reader.header, dialect: reader.dialect)
        }
        let planner = RowPlanner(
            kind: options.kind, map: try ColumnMap(header: reader.header, kind: options.kind),
            storeFieldTypes: store.fieldTypes)
        let batches = Channel<Result<RecordBatch, Error>>(capacity: 3)
        nonisolated(unsafe) let sharedReader = reader  // read by the producer only, until it finishes
        let stop = Slots([false])  // set by this thread when the rest of the file is not needed
        let producer = Thread { Self.read(sharedReader, planner: planner, into: batches, until: stop) }
        producer.start()

        let writes = Channel<[SealedPart]>(capacity: 2)
        let writeFailure = Slots<Error>([])
        let writerDone = DispatchSemaphore(value: 0)
        let writer = Thread {
            while let parts = writes.take() {
                guard writeFailure.values.isEmpty else { continue }
                do {
                    for part in parts { try loader.insert(part.rows) }
                } catch {
                    writeFailure.values.append(error)
                }
            }
            writerDone.signal()
        }
        writer.start()

        var state = BulkState()
        var lastPlanner = planner
        var failure: Error?
        let fileSize = reader.fileSize
        let now = Store.now()
        while let item = batches.take() {
            guard failure == nil else { continue }
            do {
                let batch = try item.get()
                lastPlanner = batch.planner
                let parts = try seal(batch, now: now)
                summary.read += batch.records.count
                for part in parts {
                    if part.needsIncrementalPath { throw BulkNotApplicable() }
                    state.absorb(part)
                }
                for record in batch.records {
                    switch record {
                    case .success(let record): state.lines.append(Int32(clamping: record.line))
                    case .failure(let error): state.lines.append(Int32(clamping: error.line))
                    }
                }
                writes.put(parts)
                progress?(
                    ImportProgressReport(
                        phase: .importing, rows: summary.read, bytesRead: batch.bytesRead, totalBytes: fileSize))
            } catch {
                failure = error
                stop.lock.withLock { stop.values[0] = true }
            }
        }
        writes.put(nil)
        writerDone.wait()
        if let failure { throw failure }
        if let error = writeFailure.values.first { throw error }
        guard try fileFingerprint() == fingerprint else { throw fileChanged() }

        progress?(ImportProgressReport(phase: .indexing, rows: summary.read, bytesRead: 0, totalBytes: nil))
        let removed = state.settle(summary: &summary)
        if options.strict && !summary.rejects.isEmpty {
            summary.rejects.sort { $0.line < $1.line }
            throw ImportRefused(summary: summary)
        }
        try loader.delete(removed)
        summary.created = state.written - removed.count
        let newFields = lastPlanner.fieldTypes.filter { store.fieldTypes[$0.key] == nil }.map {
            FieldAssignment(key: $0.key, name: $0.value.name, type: $0.value.type, value: "")
        }
        try loader.finish(
            identity: state.identity, email: state.emails, phone: state.phones, fields: newFields,
            audit: "\(options.kind.rawValue) file (bulk): \(summary.created) created, \(summary.rejected) rejected")
        if let rejectsFile {
            if !summary.rejects.isEmpty {
                try copyRows(
                    lines: Dictionary(summary.rejects.map { ($0.line, $0.reason) }) { first, _ in first },
                    to: rejectsFile)
            }
            try rejectsFile.close()
        }
        summary.bulk = true
    }

    /// The reading thread: records in batches, field types learned in file order.
    private static func read(
        _ reader: CSVReader, planner start: RowPlanner, into batches: Channel<Result<RecordBatch, Error>>,
        until stop: Slots<Bool>
    ) {
        var planner = start
        var batch = RecordBatch(planner: planner)
        batch.records.reserveCapacity(8192)
        var ordinal = 0
        do {
            while let result = try reader.next() {
                if case .success(let record) = result { planner.learnTypes(from: record.fields) }
                batch.records.append(result)
                ordinal += 1
                if batch.records.count == 8192 {
                    if stop.lock.withLock({ stop.values[0] }) { break }
                    batch.planner = planner
                    batch.bytesRead = reader.bytesRead
                    batches.put(.success(batch))
                    batch = RecordBatch(firstOrdinal: ordinal, planner: planner)
                    batch.records.reserveCapacity(8192)
                }
            }
            batch.planner = planner
            batch.bytesRead = reader.bytesRead
            batches.put(.success(batch))
        } catch {
            batches.put(.failure(error))
        }
        batches.put(nil)
    }

    /// Plans and seals a batch on all cores, in parts that keep file order.
    private func seal(_ batch: RecordBatch, now: Int64) throws -> [SealedPart] {
        let count = batch.records.count
        // More parts than cores, so a core that finishes early takes another part.
        let parts = count < 512 ? 1 : 4 * ProcessInfo.processInfo.activeProcessorCount
        let chunk = (count + parts - 1) / parts
        let results = Slots([Result<SealedPart, Error>](repeating: .success(SealedPart()), count: parts))
        let kind = options.kind
        let store = self.store
        DispatchQueue.concurrentPerform(iterations: parts) { part in
            let range = min(count, part * chunk)..<min(count, (part + 1) * chunk)
            results.values[part] = Result {
                var sealer = BulkLoader.Sealer(store: store, kind: kind, now: now)
                var out = SealedPart()
                out.rows.reserve(rows: range.count)
                for index in range {
                    let rowID = Int64(batch.firstOrdinal + index + 1)
                    let record: CSVRecord
                    switch batch.records[index] {
                    case .failure(let error):
                        out.rejects.append((error.line, error.reason))
                        continue
                    case .success(let value): record = value
                    }
                    let key: String
                    switch batch.planner.key(of: record.fields) {
                    case .failure(let rejection):
                        out.rejects.append((record.line, rejection.reason))
                        continue
                    case .success(let value): key = value
                    }
                    switch batch.planner.plan(record.fields, line: record.line) {
                    case .failure(let rejection):
                        out.rejects.append((record.line, rejection.reason))
                        out.rejectedKeys.append(BulkLoader.Entry(sealer.identity(of: key), rowID))
                    case .success(let plan):
                        if kind == .contacts, let identity = plan.identity, Self.looksLikeOtherID(identity) {
                            out.needsIncrementalPath = true
                            return out
                        }
                        let identity = try sealer.seal(plan, rowID: rowID, into: &out.rows)
                        out.identity.append(BulkLoader.Entry(identity, rowID))
                        if let email = plan.email {
                            out.emails.append(BulkLoader.Entry(store.keys.blindIndex.indexWords(.email, email), rowID))
                        }
                        if let phone = plan.phone {
                            out.phones.append(BulkLoader.Entry(store.keys.blindIndex.indexWords(.phone, phone), rowID))
                        }
                    }
                }
                return out
            }
        }
        return try results.values.map { try $0.get() }
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

    mutating func absorb(_ part: Importer.SealedPart) {
        identity += part.identity
        emails += part.emails
        phones += part.phones
        rejectedKeys += part.rejectedKeys
        rejects += part.rejects
        written += part.rows.rowIDs.count
    }

    private func line(_ rowID: Int64) -> Int { Int(lines[Int(rowID - 1)]) }

    /// Applies "last row wins" and "an identifier belongs to the earlier row" to what was written;
    /// fills the summary's rejects and duplicates; returns the row ids to delete from the copy.
    mutating func settle(summary: inout ImportSummary) -> [Int64] {
        var removed = Bitset(count: lines.count + 1)
        var removedRows: [Int64] = []
        func remove(_ rowID: Int64) {
            removed.insert(Int(rowID))
            removedRows.append(rowID)
        }
        var rejectedLines = Dictionary(rejects.map { ($0.line, $0.reason) }) { first, _ in first }

        // The three sorts are independent: one per core.
        let sorted = Importer.Slots([identity, emails, phones])
        identity = []
        emails = []
        phones = []
        DispatchQueue.concurrentPerform(iterations: 3) { sorted.values[$0].sort(by: BulkLoader.Entry.inOrder) }

        // Last row wins: per identity, only the latest row stays, whether written or rejected.
        var latestRejected: [BlindIndexer.Words: Int64] = [:]
        for entry in rejectedKeys { latestRejected[entry.words] = max(latestRejected[entry.words] ?? 0, entry.rowID) }
        // The latest written row of each key that a rejected row also had (few: not one entry per customer).
        var latestWritten: [BlindIndexer.Words: Int64] = [:]
        var duplicates = 0
        let allIdentities = sorted.values[0]
        identity.reserveCapacity(allIdentities.count)
        var start = 0
        while start < allIdentities.count {
            var end = start + 1
            while end < allIdentities.count && BulkLoader.Entry.sameIndex(allIdentities[end], allIdentities[start]) {
                end += 1
            }
            let last = allIdentities[end - 1]
            for entry in allIdentities[start..<end - 1] { remove(entry.rowID) }
            duplicates += end - 1 - start
            if let rejected = latestRejected[last.words] {
                latestWritten[last.words] = last.rowID
                if rejected > last.rowID {
                    remove(last.rowID)
                    duplicates += 1
                    start = end
                    continue
                }
            }
            identity.append(last)
            start = end
        }
        // A rejected row followed by a later row with the same key was superseded, not rejected.
        for entry in rejectedKeys {
            let latest = max(latestRejected[entry.words] ?? 0, latestWritten[entry.words] ?? 0)
            if entry.rowID < latest {
                rejectedLines[line(entry.rowID)] = nil
                duplicates += 1
            }
        }

        // An email or phone on two rows stays with the earlier row; the later row is rejected.
        for (slot, noun) in [(1, "email"), (2, "phone")] {
            var survivors: [BulkLoader.Entry] = []
            survivors.reserveCapacity(sorted.values[slot].count)
            var owner: BulkLoader.Entry?
            for entry in sorted.values[slot] where !removed.contains(Int(entry.rowID)) {
                if let first = owner, BulkLoader.Entry.sameIndex(first, entry) {
                    rejectedLines[line(entry.rowID)] =
                        "its \(noun) already belongs to the customer on line \(line(first.rowID)); "
                        + "an identifier belongs to one customer only"
                    remove(entry.rowID)
                } else {
                    owner = entry
                    survivors.append(entry)
                }
            }
            if noun == "email" { emails = survivors } else { phones = survivors }
        }
        emails.removeAll { removed.contains(Int($0.rowID)) }
        identity.removeAll { removed.contains(Int($0.rowID)) }

        summary.duplicatesInFile = duplicates
        summary.rejects = rejectedLines.map { ImportSummary.Rejection(line: $0.key, reason: $0.value) }
        return removedRows
    }
}
