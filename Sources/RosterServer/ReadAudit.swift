import Foundation
import RosterCore
import RosterModel
import Synchronization

/// Reads through the API, audited per key in summary: one `reveal` entry per key and minute that saw reads, naming
/// how many requests of each route showed values in clear, never which customers.
///
/// An entry per read would make every read a write (an audit row with its chained MAC, a commit), which is what
/// a read pool is there to avoid, and would fill the log with the traffic of a sync job; a summary still tells an
/// auditor which key read how much and when. The export endpoint, which returns everything about one customer, is
/// audited per call as before.
final class ReadAudit: Sendable {
    /// A window of counted reads: it opens at its first read, so an idle server never writes an entry, and the
    /// entry's "since" is when reading began.
    private struct Counts {
        var since = Date()
        var startedAt = ContinuousClock.now
        var byKey: [String: [String: Int]] = [:]
    }

    private let counts = Mutex(Counts?.none)
    private let executor: StoreExecutor
    private let interval: Duration

    /// - Parameter interval: how long a window of counted reads stays open before it is written.
    init(executor: StoreExecutor, interval: Duration) {
        self.executor = executor
        self.interval = interval
    }

    /// Counts one read that showed values in clear; writes the counts when the window has been open long enough.
    func record(key: String, route: String) {
        let due: Counts? = counts.withLock { open in
            var window = open ?? Counts()
            window.byKey[key, default: [:]]["GET \(route)", default: 0] += 1
            guard ContinuousClock.now - window.startedAt >= interval else {
                open = window
                return nil
            }
            open = nil
            return window
        }
        if let due { Task { await write(due) } }
    }

    /// Writes what is counted (at shutdown; blocks until the store thread wrote it).
    func flush() {
        let due = counts.withLock { open in
            defer { open = nil }
            return open
        }
        guard let due else { return }
        try? executor.runAndWait { store in try ReadAudit.write(due, to: store) }
    }

    private func write(_ due: Counts) async {
        guard !due.byKey.isEmpty else { return }
        _ = try? await executor.run { store in try ReadAudit.write(due, to: store) }
    }

    private static func write(_ due: Counts, to store: Store) throws {
        let since = Timestamp.iso8601(Int64(due.since.timeIntervalSince1970))
        for (key, routes) in due.byKey.sorted(by: { $0.key < $1.key }) {
            let total = routes.values.reduce(0, +)
            let detail =
                "\(total) sync API read\(total == 1 ? "" : "s") since \(since): "
                + routes.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            try store.attributed(to: key) { try $0.audit(.reveal, subject: "*", detail: detail) }
        }
    }
}
