import Foundation
import RosterCore
import Synchronization

/// The one thread that touches the store, with group commit for writes.
///
/// A `Store` is one SQLite connection whose in-memory state (the field registry, the audit actor) is not meant
/// for several threads, and SQLite has a single writer anyway: every request's store work is queued here. Writes
/// that arrive while a transaction commits wait together and then commit as one transaction (`Store.apply`), so
/// N concurrent writers cost one fsync, not N. A write's caller resumes only after its transaction committed and
/// the WAL was flushed to disk; the flush runs on another thread (`CommitSyncer`), so that the store thread goes on
/// with the next group meanwhile.
final class StoreExecutor: Sendable {
    /// The most changes one transaction takes; more wait for the next.
    static let maxBatch = 256

    private struct PendingWrite {
        let change: AttributedChange
        /// Set when the key was let in from `keys`: checked again at the group's start if they may have changed.
        let grant: KeyGrant?
        let done: @Sendable (Result<StoreChangeResult, any Error>) -> Void
    }

    /// Work for the store thread that returns how to answer its caller, called once what it wrote is on disk.
    private typealias Job = @Sendable (Result<Store, any Error>) -> @Sendable () -> Void

    private struct Queue {
        var writes: [PendingWrite] = []
        var others: [Job] = []
        var stopped = false
    }

    private let store: Store
    private let queue = Mutex(Queue())
    private let wakeUp = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)
    private let metrics: ServerMetrics
    let syncer = CommitSyncer()
    /// The server keys as this thread last read them, for letting write requests in (`WriteKeys`).
    let keys = WriteKeys()
    /// Checkpoints the WAL beside the store thread (nil: the writer checkpoints itself, as SQLite does).
    let checkpointer: Checkpointer?
    /// The WAL the store thread's connection commits into, with the connection it belongs to (store thread only).
    private let wal = Mutex<(connection: Int, file: WALFile)?>(nil)
    /// Test hook: while this file exists, commits wait (acknowledged writes stay acknowledged, the rest stay
    /// pending), so that a test can kill the process or send SIGTERM at a known point under load.
    private let holdFile: String?

    init(store: Store, metrics: ServerMetrics, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.store = store
        self.metrics = metrics
        // The server holds the store's shared lock only while it works, so that another process's first import can
        // swap its file in between two batches; the next batch then reopens it (docs/store.md).
        store.holdOnlyDuringUse()
        checkpointer = Checkpointer.start(for: store)
        holdFile = environment["ROSTER_TEST_SERVE_HOLD_FILE"]
        let thread = Thread { [self] in self.loop() }
        thread.name = "roster-store"
        thread.start()
    }

    /// Runs a read (or an unbatched write such as an erasure) on the store thread.
    func run<T: Sendable>(_ body: @escaping @Sendable (Store) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            enqueue(
                other: { store in
                    let result = Result { try body(store.get()) }
                    return { continuation.resume(with: result) }
                },
                refused: { continuation.resume(throwing: ServerStopped()) })
        }
    }

    /// Runs `body` on the store thread and blocks the calling thread until it ran (for shutdown, outside tasks).
    func runAndWait(_ body: @escaping @Sendable (Store) throws -> Void) throws {
        let outcome = BlockingOutcome()
        enqueue(
            other: { store in
                let result = Result { try body(store.get()) }
                return {
                    outcome.result.withLock { $0 = result }
                    outcome.done.signal()
                }
            },
            refused: { outcome.done.signal() })
        outcome.done.wait()
        try outcome.result.withLock { $0 }.get()
    }

    /// Queues a write for the next group commit; returns once it is committed (or refused). `prepared` is the
    /// change worked out on a reader (`ReadPool.prepare`), which the store thread writes if it still holds.
    func write(_ change: StoreChange, by key: WriteKey, prepared: PreparedChange? = nil) async throws
        -> StoreChangeResult
    {
        try await withCheckedThrowingContinuation { continuation in
            let pending = PendingWrite(
                change: AttributedChange(change, actor: key.name, prepared: prepared), grant: key.grant
            ) { continuation.resume(with: $0) }
            let accepted = queue.withLock { state in
                guard !state.stopped else { return false }
                state.writes.append(pending)
                return true
            }
            if accepted { wakeUp.signal() } else { continuation.resume(throwing: ServerStopped()) }
        }
    }

    /// A write whose key was checked on a reader, or that needs none (tests).
    func write(_ change: StoreChange, actor: String, prepared: PreparedChange? = nil) async throws -> StoreChangeResult
    {
        try await write(change, by: WriteKey(name: actor, grant: nil), prepared: prepared)
    }

    /// Queues several writes at once, so that they commit together (up to `maxBatch` per transaction); returns each
    /// one's outcome in order.
    func writeAll(_ changes: [StoreChange], actor: String, prepared: [PreparedChange?] = []) async -> [Result<
        StoreChangeResult, any Error
    >] {
        await writeAll(changes, by: WriteKey(name: actor, grant: nil), prepared: prepared)
    }

    /// `writeAll` for a request's key.
    func writeAll(_ changes: [StoreChange], by key: WriteKey, prepared: [PreparedChange?] = []) async -> [Result<
        StoreChangeResult, any Error
    >] {
        guard !changes.isEmpty else { return [] }
        return await withCheckedContinuation { continuation in
            let collector = OutcomeCollector(count: changes.count) { continuation.resume(returning: $0) }
            let accepted = queue.withLock { state in
                guard !state.stopped else { return false }
                for (index, change) in changes.enumerated() {
                    let attributed = AttributedChange(
                        change, actor: key.name, prepared: index < prepared.count ? prepared[index] : nil)
                    state.writes.append(PendingWrite(change: attributed, grant: key.grant) { collector.set(index, $0) })
                }
                return true
            }
            if accepted {
                wakeUp.signal()
            } else {
                continuation.resume(returning: changes.map { _ in .failure(ServerStopped()) })
            }
        }
    }

    /// Finishes the queued work, then stops the thread and closes the store.
    func shutdown() {
        let wasRunning = queue.withLock { state in
            defer { state.stopped = true }
            return !state.stopped
        }
        guard wasRunning else { return }
        checkpointer?.stop()
        wakeUp.signal()
        finished.wait()
        syncer.shutdown()
    }

    private func enqueue(other: @escaping Job, refused: () -> Void) {
        let accepted = queue.withLock { state in
            guard !state.stopped else { return false }
            state.others.append(other)
            return true
        }
        if accepted { wakeUp.signal() } else { refused() }
    }

    private func loop() {
        while true {
            wakeUp.wait()
            while true {
                let (writes, others, stopped) = queue.withLock { state in
                    let writes = Array(state.writes.prefix(StoreExecutor.maxBatch))
                    state.writes.removeFirst(writes.count)
                    let others = state.others
                    state.others.removeAll()
                    return (writes, others, state.stopped)
                }
                if !others.isEmpty || !writes.isEmpty { runHoldingTheStore(others, writes) }
                if writes.isEmpty && others.isEmpty {
                    if stopped {
                        try? store.close()
                        finished.signal()
                        return
                    }
                    break
                }
            }
        }
    }

    /// Runs one round of queued work holding the store's shared lock; when the lock or the reopen after another
    /// process's swap fails, every job of the round gets that error and nothing touches the store.
    private func runHoldingTheStore(_ others: [Job], _ writes: [PendingWrite]) {
        do {
            try store.use {
                if !others.isEmpty { try runOthers(others) }
                if !writes.isEmpty {
                    holdWhileFileExists()
                    commit(writes)
                }
            }
        } catch {
            for job in others { job(.failure(error))() }
            for write in writes { write.done(.failure(error)) }
        }
    }

    /// Runs reads and unbatched writes (an erasure, an import, the read audit); when any of them wrote, the WAL is
    /// flushed here, before their callers hear of it (they are rare: the store thread may wait for the disk).
    private func runOthers(_ others: [Job]) throws {
        let before = try store.readStamp()
        let answers = others.map { $0(.success(store)) }
        if try store.readStamp() != before {
            do {
                try currentWAL().sync(lane: CommitSyncer.storeThreadLane)
            } catch {
                for job in others { job(.failure(error))() }
                return
            }
        }
        for answer in answers { answer() }
    }

    /// The writes whose keys still hold: a key let in from `keys` at another version than theirs now is checked
    /// again, and a write whose key was revoked meanwhile is refused here, before anything is written for it.
    private func admitted(_ writes: [PendingWrite]) -> [PendingWrite] {
        let refreshed = Result { try keys.refresh(store) }
        return writes.filter { pending in
            guard let grant = pending.grant else { return true }
            do {
                // The keys could not be read again: only the writes let in from the kept ones fail with that error.
                let (version, verifier) = try refreshed.get()
                if grant.version != version {
                    _ = try Endpoints.authorize(grant.secret, needs: grant.needs, with: verifier)
                }
                return true
            } catch {
                pending.done(.failure(error))
                return false
            }
        }
    }

    private func commit(_ pending: [PendingWrite]) {
        let started = ContinuousClock.now
        let writes = admitted(pending)
        guard !writes.isEmpty else { return }
        do {
            try store.deferCommitSync()
            let results = try store.apply(writes.map(\.change))
            metrics.recordCommit(changes: writes.count, duration: ContinuousClock.now - started)
            checkpointer?.committed()
            metrics.recordPrepared(writes.compactMap(\.change.prepared))
            syncer.afterFlush(of: try currentWAL()) { flushed in
                for (pending, result) in zip(writes, results) {
                    switch flushed {
                    case .success: pending.done(result.mapError { $0 as any Error })
                    case .failure(let error): pending.done(.failure(error))
                    }
                }
            }
        } catch {
            for pending in writes { pending.done(.failure(error)) }
        }
    }

    /// The WAL file of the store thread's connection as it is now (reopened after another process's swap).
    private func currentWAL() throws -> WALFile {
        let connection = store.connectionGeneration
        if let open = wal.withLock({ $0 }), open.connection == connection { return open.file }
        let file = try store.openWAL(lanes: CommitSyncer.lanes)
        wal.withLock { $0 = (connection, file) }
        // A connection reopened after another process's swap starts with SQLite's own checkpoint bound again.
        if checkpointer != nil, connection > 0 { try? store.setAutomaticCheckpoint(pages: Checkpointer.writerPages) }
        return file
    }

    private func holdWhileFileExists() {
        guard let holdFile, FileManager.default.fileExists(atPath: holdFile) else { return }
        FileHandle.standardError.write(Data("roster serve: test hook: holding a commit\n".utf8))
        while FileManager.default.fileExists(atPath: holdFile) { usleep(5000) }
    }
}

/// Gathers the outcomes of writes queued together and hands them over once the last one is known.
private final class OutcomeCollector: Sendable {
    typealias Outcome = Result<StoreChangeResult, any Error>
    private let state: Mutex<(outcomes: [Outcome?], remaining: Int)>
    private let done: @Sendable ([Outcome]) -> Void

    init(count: Int, done: @escaping @Sendable ([Outcome]) -> Void) {
        state = Mutex((Array(repeating: nil, count: count), count))
        self.done = done
    }

    func set(_ index: Int, _ outcome: Outcome) {
        let finished: [Outcome]? = state.withLock { state in
            state.outcomes[index] = outcome
            state.remaining -= 1
            return state.remaining == 0 ? state.outcomes.map { $0! } : nil
        }
        if let finished { done(finished) }
    }
}

/// What `runAndWait` hands back to the thread that waits.
private final class BlockingOutcome: Sendable {
    let result = Mutex<Result<Void, any Error>>(.failure(ServerStopped()))
    let done = DispatchSemaphore(value: 0)
}

/// The server is shutting down and takes no more store work.
struct ServerStopped: Error {}
