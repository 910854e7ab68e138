import Foundation
import RosterCore
import Synchronization

/// Flushes committed groups of writes to disk on a thread of its own, then tells their callers.
///
/// The store thread commits a group with `synchronous = NORMAL` (the WAL is written, not yet flushed) and hands the
/// group's answers here; this thread flushes the WAL once for every group committed since its last flush and only
/// then answers them, so a write is acknowledged only once it is on disk. Meanwhile the store thread already runs
/// the next group's transaction instead of waiting for the disk. Groups are answered in commit order, and a flush
/// reaches every frame written before it, so a later group never becomes durable before an earlier one.
final class CommitSyncer: Sendable {
    private struct Group {
        let wal: WALFile
        let answer: @Sendable (Result<Void, any Error>) -> Void
    }

    private struct Queue {
        var groups: [Group] = []
        var stopped = false
    }

    private let queue = Mutex(Queue())
    /// Tests: when set, the thread stops before each flush (`FlushGate`).
    let gate = Mutex<FlushGate?>(nil)
    private let wakeUp = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)

    init() {
        let thread = Thread { [self] in self.loop() }
        thread.name = "roster-sync"
        thread.start()
    }

    /// Answers `answer` once `wal` is flushed (or with the flush's error).
    func afterFlush(of wal: WALFile, _ answer: @escaping @Sendable (Result<Void, any Error>) -> Void) {
        let accepted = queue.withLock { state in
            guard !state.stopped else { return false }
            state.groups.append(Group(wal: wal, answer: answer))
            return true
        }
        if accepted {
            wakeUp.signal()
        } else {
            // After shutdown: flush here, on the caller's thread.
            answer(Result { try wal.sync() })
        }
    }

    /// Flushes and answers what is queued, then stops the thread.
    func shutdown() {
        let wasRunning = queue.withLock { state in
            defer { state.stopped = true }
            return !state.stopped
        }
        guard wasRunning else { return }
        wakeUp.signal()
        finished.wait()
    }

    private func loop() {
        while true {
            wakeUp.wait()
            while true {
                let (groups, stopped) = queue.withLock { state in
                    defer { state.groups.removeAll() }
                    return (state.groups, state.stopped)
                }
                if groups.isEmpty {
                    if stopped {
                        finished.signal()
                        return
                    }
                    break
                }
                if let gate = gate.withLock({ $0 }) {
                    gate.reached.signal()
                    gate.release.wait()
                }
                // One flush per WAL file (there are two only when the store was reopened between two groups).
                var flushed: [ObjectIdentifier: Result<Void, any Error>] = [:]
                for group in groups {
                    let id = ObjectIdentifier(group.wal)
                    if flushed[id] == nil { flushed[id] = Result { try group.wal.sync() } }
                    group.answer(flushed[id]!)
                }
            }
        }
    }
}

/// Where a test holds the flush thread: it signals `reached` and waits for `release`.
final class FlushGate: Sendable {
    let reached = DispatchSemaphore(value: 0)
    let release = DispatchSemaphore(value: 0)
}
