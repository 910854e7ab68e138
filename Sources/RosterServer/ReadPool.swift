import Foundation
import RosterCore
import Synchronization

/// Reads in parallel, off the store thread: a fixed set of read-only connections beside the writer.
///
/// SQLite's WAL lets a read-only connection read the last committed state while the writer commits, so a read
/// needs neither the store thread nor the end of a group commit. A request takes an idle reader, runs on its own
/// task's thread (a read costs tens of microseconds: a hop to another thread would cost as much), and puts it back.
/// When every reader is busy, or none could be opened (a store in a read-only folder is opened immutable, and a
/// read-only connection to it cannot be made), the read runs on the store thread as before.
///
/// Each reader holds the store's shared lock only during a read and reopens the file when another process's first
/// import swapped it (its device and inode changed); it reloads the field registry when another connection
/// committed (SQLite's `data_version`), and keeps the server keys checked against that version, so a key revoked
/// by another process is refused from the next request on.
final class ReadPool: Sendable {
    private let idle: Mutex<[Reader]>
    private let executor: StoreExecutor
    /// The store thread's own slot, used only on that thread (its key cache, for reads that fall back to it).
    private let writerSlot: Reader
    /// How many read-only connections were opened.
    let size: Int

    /// Opens up to `size` read-only connections to `store`; call it before the store thread starts using it.
    static func open(_ store: Store, size: Int) -> [Store] {
        var readers: [Store] = []
        for _ in 0..<size {
            guard let reader = try? store.openReader() else { break }
            readers.append(reader)
        }
        return readers
    }

    init(readers: [Store], writer: Store, executor: StoreExecutor) {
        idle = Mutex(readers.map(Reader.init))
        size = readers.count
        self.executor = executor
        writerSlot = Reader(store: writer)
    }

    /// Closes the readers (once no request runs any more), so that the writer, closing last, checkpoints the WAL.
    func close() {
        for reader in idle.withLock({ $0 }) { try? reader.store.close() }
    }

    /// Runs a read on an idle reader, or on the store thread when none is idle.
    func read<T: Sendable>(_ body: @escaping @Sendable (Store) throws -> T) async throws -> T {
        try await withReader { reader in try body(reader.store) }
    }

    /// Runs a read that may take long (building a query's working set) on a reader, on a thread of its own
    /// rather than the task's, so that the tasks answering other requests keep their threads.
    func readLong<T: Sendable>(_ body: @escaping @Sendable (Store) throws -> T) async throws -> T {
        guard let reader = idle.withLock({ $0.popLast() }) else {
            let slot = writerSlot
            return try await executor.run { _ in try slot.refreshed { try body($0.store) } }
        }
        return try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                defer { self.idle.withLock { $0.append(reader) } }
                continuation.resume(
                    with: Result { try reader.store.use { try reader.refreshed { try body($0.store) } } })
            }
        }
    }

    /// The valid server keys as of the last commit any connection made: checked on every request, reloaded only
    /// when the data changed.
    func keyVerifier() async throws -> ServerKeyVerifier {
        try await withReader { try $0.verifier() }
    }

    /// Prepares a write on an idle reader, on the calling task (`Store.prepare`), or nil when none is idle or it
    /// cannot be prepared: the store thread then does all of it.
    func prepare(_ change: StoreChange) -> PreparedChange? {
        guard let reader = idle.withLock({ $0.popLast() }) else { return nil }
        defer { idle.withLock { $0.append(reader) } }
        return try? reader.store.use { try reader.refreshed { $0.store.prepare(change) } }
    }

    /// Runs `body` with a reader refreshed for this call (one checkout for a request's key check and its read).
    func withReader<T: Sendable>(_ body: @escaping @Sendable (Reader) throws -> T) async throws -> T {
        guard let reader = idle.withLock({ $0.popLast() }) else {
            let slot = writerSlot
            return try await executor.run { _ in try slot.refreshed(body) }
        }
        defer { idle.withLock { $0.append(reader) } }
        return try reader.store.use { try reader.refreshed(body) }
    }
}

/// One connection and what the server keeps for it; used by one request at a time (the pool hands it out alone),
/// so its mutex is never waited for: it is there so that the type is `Sendable` without `@unchecked`.
final class Reader: Sendable {
    let store: Store

    private struct Kept {
        var stamp: Store.ReadStamp?
        var keys: (stamp: Store.ReadStamp, verifier: ServerKeyVerifier)?
        /// Answers already built from this connection's data, by what they answer (route and ID), all read at
        /// `answersStamp`.
        var answers: [String: Reply] = [:]
        var answersStamp: Store.ReadStamp?
    }

    private let kept = Mutex(Kept())

    /// The most answers kept: past it they are dropped, all at once, and built again as they are asked for.
    static let maxAnswers = 1024

    init(store: Store) { self.store = store }

    /// Runs `body` after reloading what another connection's commit made stale.
    func refreshed<T>(_ body: (Reader) throws -> T) throws -> T {
        let stamp = try store.readStamp()
        kept.withLock { $0.stamp = stamp }
        return try body(self)
    }

    func verifier() throws -> ServerKeyVerifier {
        let now = try current()
        // The server never writes server keys itself: only another connection's commit (or a reopen) can change
        // them, so this connection's own writes do not reload the keys.
        let known = kept.withLock { kept -> ServerKeyVerifier? in
            guard let keys = kept.keys, keys.stamp.connection == now.connection,
                keys.stamp.dataVersion == now.dataVersion
            else { return nil }
            return keys.verifier
        }
        if let known { return known }
        let previous = kept.withLock { $0.keys?.verifier }
        let verifier = try store.serverKeyVerifier(reusing: previous)
        kept.withLock { $0.keys = (now, verifier) }
        return verifier
    }

    /// The answer to a read that depends only on the data (not on the key), built once per stamp: a repeated read
    /// of the same device costs no SQLite read, AES-GCM open or JSON encoding until something commits.
    func answer(_ what: String, _ build: (Store) throws -> Reply) throws -> Reply {
        let now = try current()
        let known = kept.withLock { kept -> Reply? in
            if kept.answersStamp != now {
                kept.answers.removeAll(keepingCapacity: true)
                kept.answersStamp = now
            }
            return kept.answers[what]
        }
        if let known { return known }
        let built = try build(store)
        kept.withLock { kept in
            if kept.answers.count >= Reader.maxAnswers { kept.answers.removeAll(keepingCapacity: true) }
            kept.answers[what] = built
        }
        return built
    }

    private func current() throws -> Store.ReadStamp {
        if let stamp = kept.withLock({ $0.stamp }) { return stamp }
        return try store.readStamp()
    }
}
