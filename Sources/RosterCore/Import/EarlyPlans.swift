import Foundation
import RosterCSV
import RosterConcurrency
import RosterModel

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
    /// Unchecked: `plans` is written only by the worker until `finish` has waited for it, and read only after;
    /// `pending` and `finished` belong to the thread that adds rows.
    final class EarlyPlans: @unchecked Sendable {
        /// Rows are planned from ordinal 0 up to this one (excluded).
        let limit: Int
        private let chunks = BlockingChannel<(first: Int, records: [CSVRecord], planner: RowPlanner)>(capacity: 2)
        private var plans: [Result<RowPlan, RowRejection>?]
        private var worker: WorkerThread?
        private var finished = false
        private var pending: [CSVRecord] = []
        private var pendingFirst = 0
        private static let chunkRows = 4096

        init(limit: Int) {
            self.limit = limit
            plans = []
            plans.reserveCapacity(limit)  // address space only: pages are touched as plans are stored
            worker = WorkerThread { [self] in
                while let chunk = chunks.take() {
                    // Grown as chunks come (a file of ten rows does not get room for a batch of plans).
                    let end = chunk.first + chunk.records.count
                    if plans.count < end { plans.append(contentsOf: repeatElement(nil, count: end - plans.count)) }
                    for (offset, result) in Importer.plan(chunk.records, with: chunk.planner).enumerated() {
                        plans[chunk.first + offset] = result
                    }
                }
            }
        }

        /// Hands over a parsed row (ordinals increasing), after the planner has learned the types in it.
        func add(_ record: CSVRecord, ordinal: Int, planner: RowPlanner) {
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

        private func send(_ planner: RowPlanner) {
            guard !pending.isEmpty else { return }
            chunks.put((pendingFirst, pending, planner))
            pending = []
        }

        /// Waits for the plans of the rows handed over; `planner` has learned the types of every row so far.
        func finish(_ planner: RowPlanner) {
            guard !finished else { return }
            send(planner)
            finished = true
            chunks.put(nil)
            worker?.wait()
        }

        /// The plan of the row at `ordinal` (once), or nil when it was not planned early. Called after `finish`,
        /// by one thread.
        func take(_ ordinal: Int) -> Result<RowPlan, RowRejection>? {
            guard finished, ordinal < plans.count else { return nil }
            var plan: Result<RowPlan, RowRejection>?
            swap(&plan, &plans[ordinal])  // moved out, not copied
            return plan
        }

        /// Frees the plans not taken.
        func release() {
            plans = []
        }
    }
}
