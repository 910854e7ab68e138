import Foundation
import RosterConcurrency
import RosterCore

/// Flushes committed groups of writes to disk on threads of their own, then tells their callers.
///
/// The store thread commits a group with `synchronous = NORMAL` (the WAL is written, not yet flushed) and hands the
/// group's answers here; a write is acknowledged only once a flush that began after its commit has returned.
/// Meanwhile the store thread already runs the next group's transaction instead of waiting for the disk.
///
/// Flushes overlap: a group committed while a flush runs does not wait for that flush to end before its own begins
/// (with one flushing thread, a write waited on average for half a flush and then a whole one, and the writers fell
/// into two cohorts that each got one flush in two). Up to `flushers` fsyncs are in flight, each covering every
/// group committed before it began and not yet covered; when every flusher is busy, the next one to finish begins a
/// flush for all the groups committed meanwhile. The file system serves overlapping fsyncs of one file together
/// (docs/server.md, "Group commit and durability", has the figures).
///
/// Groups are answered in commit order: a flush that returns answers, in order, every group committed before it
/// began (an fsync reaches every frame written to the file before it, those of earlier groups too), stopping at a
/// group whose WAL is another file (only after a reopen). So a later group is never acknowledged before an earlier.
final class CommitSyncer: Sendable {
    /// The most fsyncs in flight at once.
    static let flushers = 3
    /// The WAL lanes: one per flushing thread, and the store thread's own (its flushes after unbatched writes).
    static let lanes = flushers + 1
    static let storeThreadLane = flushers

    struct Group {
        let sequence: Int
        let wal: WALFile
        let answer: @Sendable (Result<Void, any Error>) -> Void
        /// Whether a flush that began after its commit has returned.
        var isDurable = false
    }

    /// A flush to run: the WAL files to fsync, and the last group it covers.
    struct Flush {
        let wals: [WALFile]
        let through: Int
    }

    /// What the flushers share: pure bookkeeping, so that it is tested without a disk.
    struct State {
        /// Committed groups not yet answered, in commit order.
        var groups: [Group] = []
        var nextSequence = 0
        /// The last group a flush has begun for (-1: none).
        var coveredThrough = -1
        var idleFlushers = CommitSyncer.flushers
        var stopped = false

        /// Adds a committed group; returns a flush to begin for it, unless every flusher is busy.
        mutating func committed(_ wal: WALFile, _ answer: @escaping @Sendable (Result<Void, any Error>) -> Void)
            -> Flush?
        {
            groups.append(Group(sequence: nextSequence, wal: wal, answer: answer))
            nextSequence += 1
            return nextFlush()
        }

        /// A flush for the groups no flush covers yet, taking an idle flusher; nil when there is nothing to cover or
        /// no flusher is idle.
        mutating func nextFlush() -> Flush? {
            let uncovered = groups.filter { $0.sequence > coveredThrough }
            guard let last = uncovered.last, idleFlushers > 0 else { return nil }
            idleFlushers -= 1
            coveredThrough = last.sequence
            var wals: [WALFile] = []
            for group in uncovered where !wals.contains(where: { $0 === group.wal }) { wals.append(group.wal) }
            return Flush(wals: wals, through: last.sequence)
        }

        /// Records how `flush` ended and frees its flusher: returns the groups to answer now (in commit order, each
        /// with its outcome) and the flush this flusher begins next, if any.
        ///
        /// A flush that succeeded made durable every group committed before it began whose WAL it flushed (those
        /// that another, slower flush covers too); a failed one leaves every group up to it unknown, and they are
        /// answered with its error. Answers go out in commit order: a group waits for the earlier ones.
        mutating func finished(_ flush: Flush, _ outcome: Result<Void, any Error>) -> (
            answers: [(Group, Result<Void, any Error>)], next: Flush?
        ) {
            var answers: [(Group, Result<Void, any Error>)] = []
            switch outcome {
            case .success:
                for index in groups.indices
                where groups[index].sequence <= flush.through
                    && flush.wals.contains(where: { $0 === groups[index].wal })
                {
                    groups[index].isDurable = true
                }
            case .failure:
                let failed = groups.prefix { $0.sequence <= flush.through }.count
                answers = groups.prefix(failed).map { ($0, outcome) }
                groups.removeFirst(failed)
            }
            let durable = groups.prefix { $0.isDurable }.count
            answers += groups.prefix(durable).map { ($0, .success(())) }
            groups.removeFirst(durable)
            idleFlushers += 1
            return (answers, nextFlush())
        }
    }

    private let state = Locked(State())
    /// Tests: when set, each flush stops before it begins (`FlushGate`).
    let gate = Locked<FlushGate?>(nil)
    private let work = BlockingChannel<Flush>(capacity: CommitSyncer.flushers)
    private let threads: [WorkerThread]

    init() {
        let work = work
        let gate = gate
        let state = state
        threads = (0..<Self.flushers).map { lane in
            WorkerThread {
                while var flush = work.take() {
                    while true {
                        if let held = gate.withLock({ $0 }) {
                            held.reached.signal()
                            held.release.wait()
                        }
                        // Each flushing thread through its own descriptor (`WALFile`: a failure is seen by all).
                        let outcome = Result { for wal in flush.wals { try wal.sync(lane: lane) } }
                        // Answered under the lock, so that two flushes finishing at once answer in commit order;
                        // an answer only resumes its caller.
                        let next = state.withLock { state -> Flush? in
                            let (answers, next) = state.finished(flush, outcome)
                            for (group, result) in answers { group.answer(result) }
                            return next
                        }
                        guard let next else { break }
                        flush = next
                    }
                }
            }
        }
    }

    /// Answers `answer` once `wal` is flushed (or with the flush's error).
    func afterFlush(of wal: WALFile, _ answer: @escaping @Sendable (Result<Void, any Error>) -> Void) {
        let (accepted, flush) = state.withLock { state -> (Bool, Flush?) in
            guard !state.stopped else { return (false, nil) }
            return (true, state.committed(wal, answer))
        }
        if let flush { work.put(flush) }
        if !accepted {
            // After shutdown: flush here, on the store thread, through its own lane.
            answer(Result { try wal.sync(lane: Self.storeThreadLane) })
        }
    }

    /// Flushes and answers what is queued, then stops the threads.
    func shutdown() {
        let wasRunning = state.withLock { state in
            defer { state.stopped = true }
            return !state.stopped
        }
        guard wasRunning else { return }
        // Every group has a flush begun or waiting for a flusher; the flushers go on until none is left, then
        // take the end of the stream.
        for _ in threads { work.put(nil) }
        for thread in threads { thread.wait() }
    }
}

/// Where a test holds the flush threads: each signals `reached` and waits for `release`.
final class FlushGate: Sendable {
    let reached = DispatchSemaphore(value: 0)
    let release = DispatchSemaphore(value: 0)
}
