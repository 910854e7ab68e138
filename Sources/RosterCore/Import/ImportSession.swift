import Foundation
import GRDB
import RosterModel

/// Planned rows a front end hands to the import session, with the rows it rejected on the way.
struct ImportBatch: Sendable {
    var plans: [RowPlan] = []
    /// Rejected before they were applied (by the reader, pass 1 or the planner), with their raw bytes for the
    /// rejects file.
    var rejects: [(line: Int, raw: [UInt8], reason: String)] = []
    /// Rows read and bytes consumed so far, for the summary and the progress line.
    var rowsRead = 0
    var bytesRead = 0
    /// `Store.fastLaneKeys` of `plans`, made by the front end while the batch before was applied.
    var fastLane: Store.FastLaneKeys?
}

/// One import's rules and state, whatever its input.
///
/// The front ends (a CSV file on the two-pass path, a jsonl export; an upload is a CSV file read from a sealed
/// spill) only turn their input into `ImportBatch`es. The session owns what every import does the same way:
/// strict mode (nothing written, every rejected row listed), the dry run (the same counts, rolled back), each row
/// in a savepoint with the field registry reloaded when it rolls back, the customers merged away by a row, the
/// rejects file and the audit entries. The bulk path, which builds a copy of the store instead of writing to it,
/// takes the same decisions from it (`refuseIfStrict`, `writeRejects`, `auditDetail`).
final class ImportSession {
    let store: Store
    let options: ImportOptions
    /// The input, checked unchanged before each commit: nothing read after the file was written to is committed.
    let input: InputFile?
    /// Whether batches go through the lanes first (plainly new customers created together, rows that change
    /// nothing only counted) and the rest row by row; jsonl rows all go row by row.
    let usesLanes: Bool
    private(set) var summary: ImportSummary
    private var tally = ChangeTally()
    /// The tally as of the last commit.
    private var committed = ChangeTally()
    /// Rows refused while applied (conflicts), by line: their raw bytes are re-read for the rejects file at the end.
    private var lateRejects: [Int: String] = [:]
    private let rejectsFile: RejectsFile?

    init(
        store: Store, options: ImportOptions, input: InputFile?, summary: ImportSummary, rejectsFile: RejectsFile?,
        usesLanes: Bool
    ) {
        self.store = store
        self.options = options
        self.input = input
        self.summary = summary
        self.rejectsFile = rejectsFile
        self.usesLanes = usesLanes
    }

    /// Where a front end's batches come from.
    struct Feed {
        /// The next batch, or nil at the end of the input.
        var next: () -> Result<ImportBatch, any Error>?
        /// A batch was applied: called once its transaction committed (or, in one transaction, as the next starts).
        var applied: (ImportBatch) -> Void = { _ in }
    }

    // MARK: Transactions

    private struct DryRunRollback: Error {}

    /// Applies every batch of `feed`: in transactions of `batchesPerTransaction` batches, each audited in the
    /// transaction that commits it (a killed import leaves an entry for exactly what it committed); with --strict
    /// or --dry-run all in one transaction, rolled back at the end.
    func applyAll(_ feed: Feed, batchesPerTransaction: Int) throws {
        var queue = Lookahead(feed)
        if options.strict || options.dryRun {
            try applyInOneTransaction(&queue)
        } else {
            try applyCommittingEach(&queue, batchesPerTransaction: batchesPerTransaction)
        }
    }

    /// With --strict the rows after a rejected one are still checked, so that the refusal lists every rejected
    /// row; a dry run is the real run, rolled back.
    private func applyInOneTransaction(_ queue: inout Lookahead) throws {
        do {
            try store.write { db in
                if let last = try applyBatches(db, upTo: .max, from: &queue) { queue.feed.applied(last) }
                try refuseIfStrict()  // rolls the transaction back: nothing is written
                if options.dryRun { throw DryRunRollback() }
            }
        } catch is DryRunRollback {
            try? store.loadFieldTypes()
        }
    }

    private func applyCommittingEach(_ queue: inout Lookahead, batchesPerTransaction: Int) throws {
        do {
            while queue.next != nil {
                var last: ImportBatch?
                try store.write { db in
                    last = try applyBatches(db, upTo: batchesPerTransaction, from: &queue)
                    TestHook.stop(at: "batch-applied")
                    try auditCommit(db)
                }
                committed = tally
                TestHook.stop(at: "batch-committed")
                if let last { queue.feed.applied(last) }
            }
        } catch {
            // The transactions committed before the error stay, each audited as it was committed.
            committed.apply(to: &summary)
            throw error
        }
    }

    /// Applies up to `count` batches from `queue`; returns the last one, reported once its transaction commits.
    private func applyBatches(_ db: Database, upTo count: Int, from queue: inout Lookahead) throws -> ImportBatch? {
        var last: ImportBatch?
        var applied = 0
        while let item = queue.next, applied < count {
            if let last { queue.feed.applied(last) }
            let batch = try item.get()
            try apply(batch, db)
            applied += 1
            last = batch
            queue.advance()
        }
        TestPause.at("import-before-commit")
        try input?.checkUnchanged()
        return last
    }

    /// The audit entry of a commit: what it created and updated.
    private func auditCommit(_ db: Database) throws {
        let created = tally.created - committed.created
        let updated = tally.updated - committed.updated
        guard created + updated > 0 else { return }
        try store.audit(
            db, .import, subject: "*",
            detail: "\(options.kind.rawValue) file: batch committed: \(created) created, \(updated) updated")
    }

    // MARK: Rows

    /// Applies one batch: its rejected rows recorded, then the lanes, then every other row in a savepoint.
    func apply(_ batch: ImportBatch, _ db: Database) throws {
        try record(batch.rejects)
        summary.read = batch.rowsRead
        Trace.mark("import: batch of \(batch.plans.count) planned")
        let lanes = usesLanes ? try applyLanes(batch, db) : Lanes()
        var touched = Set<Int64>()
        for (index, plan) in batch.plans.enumerated() where lanes.created[index] == nil {
            if let rowID = lanes.unchanged[index], !touched.contains(rowID) {
                tally.record(rowID, .unchanged)
                continue
            }
            try applyRow(plan, db, touched: &touched)
        }
    }

    /// The rows of a batch the lanes took, by plan index: created together, or counted as changing nothing.
    private struct Lanes {
        var created: [Int: Int64] = [:]
        var unchanged: [Int: Int64] = [:]
    }

    /// Rows that plainly create a customer go together; rows that would change nothing are only counted, unless a
    /// row before them in the batch changed their customer (`apply` then applies them like the others).
    private func applyLanes(_ batch: ImportBatch, _ db: Database) throws -> Lanes {
        var lanes = Lanes()
        lanes.created = try store.createNewCustomers(
            db, batch.plans, kind: options.kind, unlessMostlyKnown: options.countsUnchangedTogether,
            prepared: batch.fastLane)
        Trace.mark("import: \(lanes.created.count) new customers created together")
        for rowID in lanes.created.values { tally.record(rowID, .created) }
        if options.countsUnchangedTogether {
            lanes.unchanged = try store.unchangedRows(db, batch.plans, skipping: lanes.created)
        }
        Trace.mark("import: \(lanes.unchanged.count) rows change nothing")
        return lanes
    }

    /// Applies one row in a savepoint, so that a refused row (a conflict, a suppressed identifier) rolls back
    /// alone. `touched` gathers the customers the batch's rows changed or merged away.
    private func applyRow(_ plan: RowPlan, _ db: Database, touched: inout Set<Int64>) throws {
        var absorbed: [Int64] = []
        do {
            try db.inSavepoint {
                absorbed.removeAll()
                let outcome = try store.apply(db, plan, kind: options.kind, absorbed: &absorbed)
                record(outcome, touched: &touched)
                return .commit
            }
            // A customer merged away is counted in its survivor only.
            touched.formUnion(absorbed)
            for rowID in absorbed { tally.forget(rowID) }
        } catch let error as RosterError where !error.isIntegrityFailure {
            // The rollback took any field the row registered with it: the registry in memory follows.
            try store.loadFieldTypes(db)
            refuse(line: plan.line, reason: error.description)
        }
    }

    private func record(_ outcome: RowOutcome, touched: inout Set<Int64>) {
        if options.kind == .push {
            if let device = outcome.device { tally.record(device.rowID, device.change) }
        } else if let customer = outcome.customer {
            tally.record(customer.rowID, customer.change)
        }
        if let customer = outcome.customer { touched.insert(customer.rowID) }
    }

    // MARK: Rejected rows

    /// Rows rejected before they were applied: listed, and written to the rejects file (never with --strict,
    /// which writes nothing).
    func record(_ rejects: [(line: Int, raw: [UInt8], reason: String)]) throws {
        for row in rejects {
            summary.rejects.append(.init(line: row.line, reason: row.reason))
            if !options.strict { try rejectsFile?.write(raw: row.raw, reason: row.reason) }
        }
    }

    /// A row refused while applied. With --strict it is listed at once (the refusal rolls everything back);
    /// otherwise its raw bytes are re-read for the rejects file once the batches are committed.
    private func refuse(line: Int, reason: String) {
        if options.strict {
            summary.rejects.append(.init(line: line, reason: reason))
        } else {
            lateRejects[line] = reason
        }
    }

    /// With --strict, any rejected row refuses the whole import, listing every rejected row.
    func refuseIfStrict() throws {
        guard options.strict && !summary.rejects.isEmpty else { return }
        summary.rejects.sort { $0.line < $1.line }
        throw ImportRefused(summary: summary)
    }

    /// Rows listed as rejected whose raw bytes the rejects file still needs (`copy` re-reads the input for them),
    /// then the file put in place. Before a bulk import's copy replaces the store: a failure to write the rejects
    /// leaves the store as it was.
    func writeRejects(_ lines: [Int: String], copy: ([Int: String], RejectsFile) throws -> Void) throws {
        guard let rejectsFile else { return }
        if !lines.isEmpty { try copy(lines, rejectsFile) }
        try rejectsFile.close()
    }

    /// After the last batch: the rows refused while applied join the list and the rejects file, the input is
    /// checked unchanged one last time, and the counts are final.
    func finish(copy: ([Int: String], RejectsFile) throws -> Void) throws -> ImportSummary {
        for (line, reason) in lateRejects { summary.rejects.append(.init(line: line, reason: reason)) }
        if let rejectsFile, !lateRejects.isEmpty { try copy(lateRejects, rejectsFile) }
        try input?.checkUnchanged()
        try rejectsFile?.close()
        tally.apply(to: &summary)
        summary.rejects.sort { $0.line < $1.line }
        return summary
    }

    // MARK: Audit

    /// The import's one entry with its counts (the commits' entries aside). A dry run writes none.
    static func audit(_ summary: ImportSummary, kind: ImportKind, in store: Store) throws {
        guard !summary.dryRun else { return }
        try store.audit(.import, subject: "*", detail: auditDetail(summary, kind: kind, bulk: false))
    }

    /// The detail of the import's entry (the bulk path writes it in its copy, before the swap).
    static func auditDetail(_ summary: ImportSummary, kind: ImportKind, bulk: Bool) -> String {
        if bulk {
            return "\(kind.rawValue) file (bulk): \(summary.created) created, \(summary.rejected) rejected"
        }
        let source = kind == .jsonl ? "jsonl export" : "\(kind.rawValue) file"
        return "\(source): \(summary.created) created, \(summary.updated) updated, \(summary.unchanged) unchanged, "
            + "\(summary.rejected) rejected"
    }
}

/// A front end's batches with the next one taken ahead, so that a transaction knows whether another follows.
private struct Lookahead {
    let feed: ImportSession.Feed
    private(set) var next: Result<ImportBatch, any Error>?

    init(_ feed: ImportSession.Feed) {
        self.feed = feed
        self.next = feed.next()
    }

    mutating func advance() { next = feed.next() }
}
