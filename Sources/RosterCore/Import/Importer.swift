import Dispatch
import Foundation
import GRDB
import RosterCSV
import RosterConcurrency
import RosterModel

/// How to run one import.
public struct ImportOptions: Sendable {
    public var kind: ImportKind
    public var path: String
    /// Compute the same summary and write nothing.
    public var dryRun = false
    /// Any rejected row fails the whole import, and nothing is written.
    public var strict = false
    /// Where to write the rejected rows, as they were, with a `reason` column.
    public var rejectsPath: String?
    /// Files besides the store and the input that the rejects file must never replace (the key file).
    public var protectedFiles = ProtectedFiles()
    public var delimiter: UInt8?
    public var encoding: CSVEncoding?
    /// Where targets come from when the headers are not Roster's own (`--map`, `--mapping`, `--preset`).
    public var mapping = ColumnMapping()
    /// The day/month order of date columns whose values leave it open (else the mapping's).
    public var dateOrder: DateOrder?
    /// The calling code of phones written without one and without a countryCode cell (else the mapping's).
    public var defaultCountry: String?
    /// Rows per transaction on the incremental path. Each transaction rewrites the index pages its
    /// rows touch, and new rows land all over the (random) blind indexes: at 2,000 rows a batch, 100k
    /// rows into a 1M store wrote 3 GB of WAL (46 s); at 50,000, a few hundred MB (8 s); at 100,000 the
    /// 100k rows commit once (~0.2 s less than twice).
    public var batchSize = defaultBatchSize
    public static let defaultBatchSize = 100_000
    /// The most rows planned at a time on the incremental path (a transaction of `batchSize` rows applies
    /// several such batches): their plans are most of what an import holds in memory. Tests make it small.
    var planningBatchRows = 50_000
    /// Rows per planning batch: `batchSize` split into equal batches of at most `planningBatchRows`, so that a
    /// transaction is a whole number of them (`batchSize` rows, or up to one fewer than batches more).
    var planningRows: Int {
        let batches = (batchSize + planningBatchRows - 1) / planningBatchRows
        return (batchSize + batches - 1) / batches
    }
    /// Planning batches per transaction.
    var planningBatchesPerTransaction: Int { (batchSize + planningRows - 1) / planningRows }
    /// Rows that change nothing are found a batch at a time and only counted, and the fast lane gives up a batch of
    /// known customers (tests turn both off to compare with applying every row).
    var countsUnchangedTogether = true
    /// Records per batch handed from the bulk path's reading thread to the sealing cores (tests make it small to
    /// exercise many batches and spill parts with few rows).
    var bulkBatchRows = 8192

    public init(kind: ImportKind, path: String) {
        self.kind = kind
        self.path = path
    }
}

/// Where a running import is, for a progress line.
public struct ImportProgressReport: Sendable {
    public enum Phase: String, Sendable {
        case scanning, importing, indexing
        /// Saving the encrypted working set that filters and the console load.
        case preparing = "preparing filters"
    }
    public let phase: Phase
    public let rows: Int
    public let bytesRead: Int
    public let totalBytes: Int?
}

/// An import refused as a whole (`--strict` with rejected rows): nothing was written.
public struct ImportRefused: Error, CustomStringConvertible {
    public let summary: ImportSummary
    public var description: String {
        "\(summary.rejected) row\(summary.rejected == 1 ? " was" : "s were") rejected; with --strict nothing was imported"
    }
}

/// Imports one CSV file into a store in two streaming passes.
///
/// Pass 1 reads every row's key (and fixes new fields' types) to know which row is the last for its
/// key; pass 2 validates and applies the surviving rows. Memory holds a 16-byte digest per key, and the
/// plans of one planning batch at a time (the first made during pass 1). Bad rows are rejected with their line
/// and reason; they never stop the import.
public final class Importer {
    let store: Store
    let options: ImportOptions
    let progress: (@Sendable (ImportProgressReport) -> Void)?
    var summary: ImportSummary
    /// The file, opened once by `run()`: every pass reads it.
    var input: InputFile?
    /// The columns' roles and the fields' readings, settled from the header, the mapping and a sample of the file.
    private var settledLayout: ImportLayout?

    public init(store: Store, options: ImportOptions, progress: (@Sendable (ImportProgressReport) -> Void)? = nil) {
        self.store = store
        self.options = options
        self.progress = progress
        self.summary = ImportSummary(kind: options.kind)
        self.summary.dryRun = options.dryRun
    }

    /// Runs the import and returns its summary; throws only when it could not run (then nothing was written).
    public func run() throws -> ImportSummary {
        if !options.strict { try OutputFile.check(options.rejectsPath, protecting: rejectsProtection) }
        try openInput()
        if options.kind == .jsonl { return try JSONLImport(importer: self).run() }
        let fingerprint = try fileFingerprint()
        Trace.mark("import: start")
        let layout = try self.layout()
        Trace.mark("import: layout settled from a sample")
        do {
            if try bulkApplies() {
                do {
                    try applyBulk(fingerprint: fingerprint)
                } catch is BulkNotApplicable {
                    // Start again on the incremental path, which resolves such customerIds.
                    summary = ImportSummary(kind: options.kind)
                    summary.dryRun = options.dryRun
                }
            }
            if !summary.bulk { try applyTwoPass(fingerprint: fingerprint) }
        } catch {
            try? store.loadFieldTypes()
            // A full disk (the bulk path's copy is beside the store), a busy or read-only store: said in words.
            if let error = error as? DatabaseError { throw storeError(error, path: store.path) }
            throw error
        }
        summary.rejects.sort { $0.line < $1.line }
        summary.dialect = try? openReader().dialect
        summary.formats = layout.formats
        Trace.mark("import: rows applied")
        try prepareWorkingSet()
        // The bulk path audited in its copy.
        if !summary.bulk { try ImportSession.audit(summary, kind: options.kind, in: store) }
        return summary
    }

    /// Whether the file goes the bulk path: an empty store and rows that each create one customer.
    private func bulkApplies() throws -> Bool {
        try BulkLoader.applies(to: store, options: options, map: layout().map)
    }

    /// The layout of the file, settled once (the sample is read on first use).
    func layout() throws -> ImportLayout {
        if let settledLayout { return settledLayout }
        let layout = try ImportLayout.make(
            reader: openReader(), kind: options.kind, mapping: options.mapping,
            dateOrder: options.dateOrder ?? options.mapping.dateOrder,
            defaultCountry: options.defaultCountry ?? options.mapping.defaultCountry, storeTypes: store.fieldTypes)
        settledLayout = layout
        return layout
    }

    /// The incremental path: pass 1 finds the last row of each key, pass 2 applies the rows.
    private func applyTwoPass(fingerprint: [String]) throws {
        // The blind indexes of a million customers take about 100 MB: a page cache that holds them
        // turns the random index reads and writes of an import into memory accesses (kernel time 2 s → 0.4 s).
        // The checkpoint bound goes back to what it was (the sync server's writer has its own).
        let checkpointPages = try store.checkpointPages()
        defer {
            try? store.setPageCache(megabytes: Store.pageCacheMegabytes)
            try? store.setCheckpointPages(checkpointPages)
        }
        try store.setPageCache(megabytes: 128)
        try store.setCheckpointPages(max(16384, checkpointPages))
        // Pass 1 reads the file without the database: meanwhile another thread reads the blind indexes into the
        // page cache, so that the first batch does not fetch them page by page (~0.2 s at a million customers).
        let warming = Parallel.Background { try self.store.warmBlindIndexes(upToMegabytes: 128) }
        defer { _ = try? warming.wait() }  // an error in pass 1 still waits for it: nothing outlives the import
        let scan = try scanKeys()
        Trace.mark("import: pass 1 read \(scan.rows) rows")
        try warming.wait()
        Trace.mark("import: blind indexes in the page cache")
        TestPause.at("import-between-passes")
        guard try fileFingerprint() == fingerprint else { throw fileChanged() }
        // With --strict, rows pass 1 rejected do not stop it here: pass 2 goes on in one transaction, rolled back at
        // the end, so that the refusal lists every rejected row (those refused while planning or applying too), as
        // the bulk path's does.
        summary.duplicatesInFile = scan.duplicates
        try applyIncrementally(scan)
    }

    /// Saves the working-set snapshot when the next query would otherwise decrypt every customer: after a first
    /// import (there is no snapshot yet) or one that changed more than a tenth of the store. Smaller changes are
    /// patched in by the next load (about 1.4 s for 100,000 changed customers of a million).
    private func prepareWorkingSet() throws {
        let changed = summary.created + summary.updated
        // The bulk path saved the snapshot in its copy, built from the plain records.
        guard !options.dryRun, !summary.bulk, changed > 0 else { return }
        // The highest row id: about the number of customers (ids have gaps), without counting a million rows.
        let total = try store.db.read { try Int.fetchOne($0, sql: "SELECT COALESCE(MAX(id), 0) FROM customer") } ?? 0
        guard Store.shouldRescan(changes: changed, of: total - summary.created) else { return }
        progress?(ImportProgressReport(phase: .preparing, rows: summary.read, bytesRead: 0, totalBytes: nil))
        Trace.mark("import: written; saving the working-set snapshot")
        try store.refreshWorkingSetSnapshot()
    }

    // MARK: Pass 1

    struct KeyScan {
        var planner: RowPlanner
        var survivors: Bitset
        var rows: Int
        var duplicates: Int
        /// Rows rejected in pass 1, by line.
        var rejects: [Int: String]
        /// The plans of the first rows, made while pass 1 read them.
        var early: EarlyPlans
    }

    /// Opens the import's file once (a pipe or standard input is read into a sealed copy): every pass and the
    /// dry run's preview read that one input.
    func openInput() throws {
        guard input == nil else { return }
        input = try InputFile(path: options.path, spillFolder: PathResolution.parent(of: store.path))
    }

    func openReader() throws -> CSVReader {
        guard let input else { preconditionFailure("openReader() before run() opened the input") }
        do {
            return try CSVReader(input: input, delimiter: options.delimiter, encoding: options.encoding)
        } catch let error as CSVReaderError {
            throw RosterError.io(path: options.path, detail: error.description)
        }
    }

    func scanKeys() throws -> KeyScan {
        let reader = try openReader()
        reader.keepsRawBytes = false  // pass 2 reads the rows again for the rejects file
        var planner = try layout().planner(kind: options.kind, storeTypes: store.fieldTypes)
        planner.externalCodes = store.externalCodes
        var keys = KeyIndex()
        var rejects: [Int: String] = [:]
        var ordinal = 0
        // The first batch is planned on another core meanwhile.
        var early = EarlyPlanner(limit: options.planningRows)
        // Past the rows planned early, a row is decoded only in the columns that make its key or may teach a type.
        var untyped = -1
        while true {
            if ordinal >= early.limit && planner.untypedColumnCount != untyped {
                untyped = planner.untypedColumnCount
                reader.decodedColumns = planner.keyAndUntypedColumns
            }
            guard let result = try reader.next() else { break }
            switch result {
            case .success(let record):
                switch planner.key(of: record.fields) {
                case .success(let key):
                    keys.record(key, ordinal: ordinal)
                case .failure(let rejection): rejects[record.line] = rejection.reason
                }
                planner.learnTypes(from: record.fields)
                early.add(record, ordinal: ordinal, planner: planner)
            case .failure(let error):
                rejects[error.line] = error.reason
            }
            ordinal += 1
            if ordinal % 50_000 == 0 { report(.scanning, rows: ordinal, reader: reader) }
        }
        report(.scanning, rows: ordinal, reader: reader)
        return KeyScan(
            planner: planner, survivors: keys.survivors(rowCount: ordinal), rows: ordinal, duplicates: keys.duplicates,
            rejects: rejects, early: early.finish(planner))
    }

    // MARK: Pass 2, incremental

    /// Pass 2 reads and plans the next batch on another thread while the session applies the current one: planning
    /// does not depend on what was written (field types are fixed by pass 1).
    private func applyIncrementally(_ scan: KeyScan) throws {
        let reader = try openReader()
        let session = ImportSession(
            store: store, options: options, input: input, summary: summary, rejectsFile: try openRejectsFile(reader),
            usesLanes: true)
        let batches = planningThread(reader, scan: scan)
        var drained = false
        defer {
            // On an error the reading thread is told to stop, and what it still sends is drained so that it ends.
            if !drained { batches.cancel() }
        }
        let fileSize = reader.fileSize
        let feed = ImportSession.Feed(
            next: {
                let item = batches.next()
                if item == nil { drained = true }
                return item
            },
            applied: { [progress] batch in
                progress?(
                    ImportProgressReport(
                        phase: .importing, rows: batch.rowsRead, bytesRead: batch.bytesRead, totalBytes: fileSize))
            })
        try session.applyAll(feed, batchesPerTransaction: options.planningBatchesPerTransaction)
        summary = try session.finish { lines, file in try copyRows(lines: lines, to: file) }
    }

    /// Pass 2's reading and planning, started on its own thread.
    private func planningThread(_ reader: CSVReader, scan: KeyScan) -> Producer<Result<ImportBatch, any Error>> {
        let sharedReader = UncheckedSendable(reader)  // used by the reading thread only, until it sends nil
        let planningRows = options.planningRows
        let store = store
        let kind = options.kind
        let fastLane = !store.hasSuppressions  // a store with suppressions applies every row one by one
        return Producer<Result<ImportBatch, any Error>>(capacity: 1) { outlet in
            Self.readAndPlan(
                sharedReader.value, scan: scan, batchSize: planningRows,
                prepare: { fastLane ? store.fastLaneKeys(of: $0, kind: kind) : nil }, to: outlet)
        }
    }

    /// Pass 2's reading thread: the rows that survive pass 1 in batches of `batchSize`, each planned on all cores.
    private static func readAndPlan(
        _ reader: CSVReader, scan: KeyScan, batchSize: Int, prepare: ([RowPlan]) -> Store.FastLaneKeys?,
        to outlet: Producer<Result<ImportBatch, any Error>>.Outlet
    ) {
        var batch = ImportBatch()
        var records: [CSVRecord] = []
        records.reserveCapacity(batchSize)
        /// The plans pass 1 made of `records` (nil for the rows planned here), by position.
        var early: [Result<RowPlan, RowRejection>?] = []
        var ordinal = 0
        func send() {
            let unplanned =
                early.allSatisfy { $0 == nil }
                ? records : records.indices.filter { early[$0] == nil }.map { records[$0] }
            // Plans are moved out of both lists, not copied (a copy retains every string of a plan).
            var planned = Array(plan(unplanned, with: scan.planner).reversed())
            batch.plans.reserveCapacity(records.count)
            for index in records.indices {
                var earlyPlan: Result<RowPlan, RowRejection>?
                swap(&earlyPlan, &early[index])
                switch earlyPlan ?? planned.removeLast() {
                case .success(let plan): batch.plans.append(plan)
                case .failure(let rejection):
                    batch.rejects.append((records[index].line, records[index].raw, rejection.reason))
                }
            }
            // The fast lane's keys are made here, while the writing thread applies the batch before.
            batch.fastLane = prepare(batch.plans)
            records.removeAll(keepingCapacity: true)
            early.removeAll(keepingCapacity: true)
            if ordinal >= scan.early.limit { scan.early.release() }
            batch.rejects.sort { $0.line < $1.line }
            batch.rowsRead = ordinal
            batch.bytesRead = reader.bytesRead
            outlet.send(.success(batch))
            batch = ImportBatch()
        }
        do {
            while true {
                // A row planned in pass 1, or one that does not survive it, is read for its line and raw bytes only.
                let plannedEarly = scan.early.take(ordinal)
                let survives = scan.survivors.contains(ordinal)
                reader.decodesFields = plannedEarly == nil && survives
                // Raw bytes are kept for the rows that may be rejected (a surviving row is not a pass 1 reject).
                if case .success = plannedEarly, survives {
                    reader.keepsRawBytes = false
                } else {
                    reader.keepsRawBytes = true
                }
                guard let result = try reader.next() else { break }
                ordinal += 1
                switch result {
                case .failure(let error):
                    batch.rejects.append((error.line, error.raw, error.reason))
                case .success(let record):
                    if let reason = scan.rejects[record.line] {
                        batch.rejects.append((record.line, record.raw, reason))
                    } else if survives {
                        records.append(record)
                        early.append(plannedEarly)
                    }
                }
                if records.count >= batchSize {
                    if outlet.isStopped { break }
                    send()
                }
            }
            if !outlet.isStopped { send() }
        } catch {
            outlet.send(.failure(error))
        }
        outlet.finish()
    }

    /// Plans rows on all cores, in their order.
    static func plan(_ records: [CSVRecord], with planner: RowPlanner) -> [Result<RowPlan, RowRejection>] {
        Parallel.ranges(records.count, minimum: 1024) { range in
            range.map { planner.plan(records[$0].fields, line: records[$0].line) }
        }
        .flatMap { $0 }
    }

    /// Re-reads the file for the rows rejected while applying, so the rejects file has them as they were.
    func copyRows(lines: [Int: String], to file: RejectsFile) throws {
        let reader = try openReader()
        reader.decodesFields = false  // lines and raw bytes only
        while let result = try reader.next() {
            switch result {
            case .success(let record):
                if let reason = lines[record.line] { try file.write(raw: record.raw, reason: reason) }
            case .failure(let error):
                if let reason = lines[error.line] { try file.write(raw: error.raw, reason: reason) }
            }
        }
    }

    // MARK: Helpers

    func report(_ phase: ImportProgressReport.Phase, rows: Int, reader: CSVReader) {
        progress?(
            ImportProgressReport(phase: phase, rows: rows, bytesRead: reader.bytesRead, totalBytes: reader.fileSize))
    }

    /// The input's size, times and inode as opened (its descriptor's, not the path's: see `InputFile`).
    func fileFingerprint() throws -> [String] {
        guard let input else { return [] }
        return try input.fingerprint()
    }

    func fileChanged() -> RosterError {
        input?.changed() ?? RosterError.io(path: options.path, detail: "the file changed while it was being read")
    }
}
