import Foundation
import RosterConcurrency
import Synchronization

/// A bound on how long a request may take to send its body: a client that trickles bytes (or stops) would
/// otherwise hold a connection and a task for as long as it likes, within the idle timeout of each byte.
enum Deadline {
    /// Runs `body`, or throws 408 when it has not finished after `limit` (it is then cancelled: reading a request
    /// body stops at cancellation).
    ///
    /// One task for the body and an entry in a shared watch, rather than a task group racing the body against a
    /// sleeping task: every write request reads its body through here, and the group, its second task and the
    /// sleep's timer cost several hand-overs between threads per request.
    static func run<T: Sendable>(_ limit: Duration, _ body: @escaping @Sendable () async throws -> T) async throws -> T
    {
        let task = Task { try await body() }
        let ticket = DeadlineWatch.shared.watch(ContinuousClock.now + limit) { task.cancel() }
        let outcome = await withTaskCancellationHandler {
            await task.result
        } onCancel: {
            task.cancel()
        }
        // Past the deadline the body was cancelled, and what it returned may be cut short (a stream ends quietly
        // at cancellation): it is not used.
        if DeadlineWatch.shared.end(ticket) { throw APIError.timeout(limit) }
        // The request itself was cancelled (its client went away): what the body returned may be cut short too.
        try Task.checkCancellation()
        return try outcome.get()
    }
}

/// One thread that cancels what has outlived its deadline: it sleeps until the earliest one.
final class DeadlineWatch: Sendable {
    static let shared = DeadlineWatch()

    private struct Entry {
        let at: ContinuousClock.Instant
        let cancel: @Sendable () -> Void
    }

    private struct State {
        var entries: [Int: Entry] = [:]
        var next = 0
        /// The tickets whose deadline passed before they ended.
        var expired: Set<Int> = []
        /// When the thread wakes next on its own (nil: only when signalled).
        var wakeAt: ContinuousClock.Instant?
    }

    private let state = Mutex(State())
    private let wakeUp = DispatchSemaphore(value: 0)

    private init() {
        let thread = Thread { [self] in self.loop() }
        thread.name = "roster-deadlines"
        thread.start()
    }

    /// Calls `cancel` at `deadline` unless `end` was called first; returns the ticket to end it with.
    func watch(_ deadline: ContinuousClock.Instant, cancel: @escaping @Sendable () -> Void) -> Int {
        let (ticket, wake) = state.withLock { state -> (Int, Bool) in
            let ticket = state.next
            state.next += 1
            state.entries[ticket] = Entry(at: deadline, cancel: cancel)
            let wake = state.wakeAt.map { deadline < $0 } ?? true
            if wake { state.wakeAt = deadline }
            return (ticket, wake)
        }
        if wake { wakeUp.signal() }
        return ticket
    }

    /// Stops watching `ticket`; returns whether its deadline had passed (and its `cancel` was called).
    func end(_ ticket: Int) -> Bool {
        state.withLock { state in
            state.entries[ticket] = nil
            return state.expired.remove(ticket) != nil
        }
    }

    private func loop() {
        while true {
            let now = ContinuousClock.now
            let (due, next) = state.withLock { state -> ([@Sendable () -> Void], ContinuousClock.Instant?) in
                var due: [@Sendable () -> Void] = []
                var next: ContinuousClock.Instant?
                for (ticket, entry) in state.entries {
                    if entry.at <= now {
                        due.append(entry.cancel)
                        state.expired.insert(ticket)
                        state.entries[ticket] = nil
                    } else if next.map({ entry.at < $0 }) ?? true {
                        next = entry.at
                    }
                }
                state.wakeAt = next
                return (due, next)
            }
            for cancel in due { cancel() }
            if let next {
                // At most an hour at a time: a deadline set days away (a huge --request-timeout) is waited for in
                // steps rather than as nanoseconds that overflow.
                let wait = min(now.duration(to: next), .seconds(3600))
                let nanoseconds = wait.components.seconds * 1_000_000_000 + wait.components.attoseconds / 1_000_000_000
                _ = wakeUp.wait(timeout: .now() + .nanoseconds(Int(nanoseconds) + 1))
            } else {
                wakeUp.wait()
            }
        }
    }
}
