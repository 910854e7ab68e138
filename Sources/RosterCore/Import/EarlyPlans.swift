import Foundation
import RosterCSV
import RosterConcurrency
import RosterModel
import Synchronization

extension Importer {
    /// The plans of the first rows of a file, made on another core while pass 1 reads them, so that pass 2's first
    /// batch is planned when pass 1 ends (at 100k rows into a million customers, pass 1 and the planning of the
    /// first batch each took ~0.2 s, one after the other).
    ///
    /// A row's plan depends only on the field types, and the type of a field is that of its first non-empty value
    /// in the file: the types pass 1 has learned when it hands over a row (from the rows up to it, and perhaps a
    /// few after) are those the row's own fields get from the whole file. Rows are planned whether or not they
    /// survive pass 1; pass 2 takes the plans of those that do.
    ///
    /// The scanning thread owns this value and its rows not yet handed over; the plans are made on a `WorkerThread`
    /// into `EarlyPlans`, which `finish` returns once the worker is done.
    struct EarlyPlanner: ~Copyable {
        /// Rows are planned from ordinal 0 up to this one (excluded).
        let limit: Int
        private let chunks = BlockingChannel<(first: Int, records: [CSVRecord], planner: RowPlanner)>(capacity: 2)
        private let plans: EarlyPlans
        private let worker: WorkerThread
        private var finished = false
        private var pending: [CSVRecord] = []
        private var pendingFirst = 0
        private static let chunkRows = 4096

        init(limit: Int) {
            self.limit = limit
            let plans = EarlyPlans(limit: limit)
            let chunks = chunks
            self.plans = plans
            worker = WorkerThread {
                while let chunk = chunks.take() {
                    plans.store(Importer.plan(chunk.records, with: chunk.planner), from: chunk.first)
                }
            }
        }

        /// Hands over a parsed row (ordinals increasing), after the planner has learned the types in it.
        mutating func add(_ record: CSVRecord, ordinal: Int, planner: RowPlanner) {
            guard ordinal < limit, !finished else { return }
            if pending.isEmpty { pendingFirst = ordinal }
            // Rows the reader refused leave gaps: a chunk holds consecutive ordinals.
            if ordinal != pendingFirst + pending.count {
                send(planner)
                pendingFirst = ordinal
            }
            pending.append(record)
            if pending.count == Self.chunkRows || ordinal == limit - 1 { send(planner) }
        }

        private mutating func send(_ planner: RowPlanner) {
            guard !pending.isEmpty else { return }
            chunks.put((pendingFirst, pending, planner))
            pending = []
        }

        /// Waits for the plans of the rows handed over (`planner` has learned the types of every row so far) and
        /// returns them; again, it only returns them.
        mutating func finish(_ planner: RowPlanner) -> EarlyPlans {
            guard !finished else { return plans }
            send(planner)
            finished = true
            chunks.put(nil)
            worker.wait()
            return plans
        }

        deinit {
            // An error in pass 1 leaves the worker waiting for rows: it is ended and joined.
            if !finished {
                chunks.put(nil)
                worker.wait()
            }
        }
    }

    /// The plans made early, taken by pass 2 (on its reading thread) once each.
    ///
    /// `Sendable` by construction: the plans are behind a mutex, taken once per chunk of 4,096 plans by the worker and
    /// once per planned row by pass 2 (the rows past `limit` do not take it).
    final class EarlyPlans: Sendable {
        /// Rows are planned from ordinal 0 up to this one (excluded).
        let limit: Int
        private let plans = Mutex<[Result<RowPlan, RowRejection>?]>([])

        fileprivate init(limit: Int) {
            self.limit = limit
        }

        fileprivate func store(_ results: [Result<RowPlan, RowRejection>], from first: Int) {
            plans.withLock { plans in
                // Grown as chunks come (a file of ten rows does not get room for a batch of plans).
                let end = first + results.count
                if plans.count < end { plans.append(contentsOf: repeatElement(nil, count: end - plans.count)) }
                for (offset, result) in results.enumerated() { plans[first + offset] = result }
            }
        }

        /// The plan of the row at `ordinal` (once), or nil when it was not planned early.
        func take(_ ordinal: Int) -> Result<RowPlan, RowRejection>? {
            guard ordinal < limit else { return nil }
            return plans.withLock { plans in
                guard ordinal < plans.count else { return nil }
                var plan: Result<RowPlan, RowRejection>?
                swap(&plan, &plans[ordinal])  // moved out, not copied
                return plan
            }
        }

        /// Frees the plans not taken.
        func release() {
            plans.withLock { $0 = [] }
        }
    }
}
