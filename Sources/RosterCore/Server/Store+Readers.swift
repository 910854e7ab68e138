import Foundation
import GRDB
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Read-only connections beside a store's writer, for a long-running server: in WAL mode they read committed data
/// while the writer commits, so reads need not queue behind writes on one connection.
extension Store {
    /// Opens another, read-only connection to this store, sharing its keys: a `Store` that only reads.
    ///
    /// It has its own lock-file descriptor and takes the shared lock for each call (`use`), reopening the file when
    /// another process's bulk import swapped it (device and inode differ), like any long-running process. Call it
    /// only while nothing else uses this store (before the server starts): it reads the header this store holds.
    public func openReader() throws -> Store {
        try openConnection(readonly: true)
    }

    /// Another read-write connection to this store, for work beside its writer that writes no data: the sync
    /// server's checkpoints (`checkpointWAL`). Opened as `openReader` opens a reader, with the same rules.
    public func openCheckpointConnection() throws -> Store {
        try openConnection(readonly: false)
    }

    private func openConnection(readonly: Bool) throws -> Store {
        let readerLock = StoreLock(storePath: path)
        try readerLock.acquireShared {}
        defer { readerLock.releaseShared() }
        let queue = try DatabaseQueue(path: path, configuration: Store.configuration(readonly: readonly))
        let current = try queue.read { try StoreHeader.read($0, path: path) }
        // The file at the path must be the one this store has open (no swap since), else the reader would read
        // another file than the writer writes.
        guard FileIdentity(path: path) == openedFile, current.storeID == header.storeID else {
            throw RosterError.integrity(what: "the store at \(path), replaced while the server started")
        }
        let appKey = String(
            decoding: try Sealer.open(header.sealedAppKey, key: keys.recordKey, context: Store.appKeyContext),
            as: UTF8.self)
        let reader = try Store(path: path, db: queue, lock: readerLock, header: current, keys: keys, appKey: appKey)
        reader.holdsFromOpen = false
        return reader
    }

    /// Reloads what this connection keeps in memory (the field registry, whether anything is suppressed) when
    /// another connection committed since it last looked; returns SQLite's `data_version` of this connection,
    /// which moves exactly when another connection (the server's writer, another process) committed.
    public func refreshIfWrittenElsewhere() throws -> Int64 {
        try db.read { db in
            try reloadIfWrittenElsewhere(db)
            return seenDataVersion
        }
    }

    /// What a value read through this connection was read from: it differs as soon as anything may have changed
    /// the data (another connection's commit moves SQLite's `data_version`, this connection's own writes move its
    /// count of changed rows, and a reopen after a swap starts a new connection), so a cache keyed by it is exact.
    public struct ReadStamp: Hashable, Sendable {
        public let connection: Int
        public let dataVersion: Int64
        public let ownChanges: Int
    }

    /// The connection's stamp as of now, after reloading what another connection's commit made stale (like
    /// `refreshIfWrittenElsewhere`). One statement outside a transaction when nothing changed: it runs before
    /// every read of the server, so it avoids the begin and commit of a read transaction.
    public func readStamp() throws -> ReadStamp {
        let (version, changes) = try db.inDatabase { db in
            (try Int64.fetchOne(try db.cachedStatement(sql: "PRAGMA data_version")) ?? 0, db.totalChangesCount)
        }
        if version != seenDataVersion {
            try db.read { try reloadIfWrittenElsewhere($0) }
        }
        // The version read first: a value read after it is at least as new, and a later commit moves it again.
        return ReadStamp(connection: connectionGeneration, dataVersion: version, ownChanges: changes)
    }

    /// From now on this connection's commits write the WAL without waiting for the disk (`synchronous = NORMAL`:
    /// still atomic, and the WAL is flushed before every checkpoint), so that a group commit's thread can go on
    /// with the next group while the disk writes. The caller must flush the WAL (`openWAL().sync()`) after a
    /// commit and before it tells anyone that the commit is durable. A reopened connection starts at `FULL` again:
    /// call this before every transaction (it costs one cached statement).
    public func deferCommitSync() throws {
        try translatingStoreErrors(path: path) {
            try db.writeWithoutTransaction { try $0.exec("PRAGMA synchronous = NORMAL") }
        }
    }

    /// Copies the WAL's committed pages back into the store file without waiting for anyone (SQLite's passive
    /// checkpoint: the writer goes on committing meanwhile, and pages a reader still needs stay in the WAL); returns
    /// the WAL's frames and how many of them are in the store file now.
    public func checkpointWAL() throws -> (frames: Int, copied: Int) {
        try translatingStoreErrors(path: path) {
            try db.writeWithoutTransaction { db in
                let row = try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(PASSIVE)")
                return (row?[1] ?? 0, row?[2] ?? 0)
            }
        }
    }

    /// After how many WAL pages a commit of this connection checkpoints itself (SQLite's `wal_autocheckpoint`;
    /// 0: never).
    public func setAutomaticCheckpoint(pages: Int) throws {
        try setCheckpointPages(pages)
    }

    /// The WAL file this connection commits into, to flush from other threads (open it after a commit: SQLite
    /// creates the file at the first write), with one descriptor for each of `lanes` threads that flush it.
    public func openWAL(lanes: Int = 1) throws -> WALFile {
        let walPath = path + "-wal"
        var descriptors: [Int32] = []
        for _ in 0..<max(1, lanes) {
            let descriptor = Glibc.open(walPath, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
            guard descriptor >= 0 else {
                let reason = String(cString: strerror(errno))
                for open in descriptors { Glibc.close(open) }
                throw RosterError.io(path: walPath, detail: "cannot open it to flush commits: \(reason)")
            }
            descriptors.append(descriptor)
        }
        return WALFile(descriptors: descriptors, path: walPath)
    }
}

/// An open WAL file: flushing it makes every commit written into it so far durable. It keeps the file (its inode)
/// it was opened on, so a flush after another process renamed a new store over the path still reaches the frames
/// this connection wrote.
///
/// Linux reports a failed write-back once per open file description: of two fsyncs at once through one descriptor,
/// one may get the error and the other succeed for pages that never reached the disk. So each thread that flushes
/// has a descriptor of its own (a lane), opened with the file, and each sees every failure since its own last
/// flush. A failure is kept: once one flush failed, every later flush of this file fails with it, since SQLite's
/// recovery stops at the first frame not on disk and would drop every commit after it.
public final class WALFile: Sendable {
    private let descriptors: [Int32]
    let path: String
    private let failure = Mutex<RosterError?>(nil)

    init(descriptors: [Int32], path: String) {
        self.descriptors = descriptors
        self.path = path
    }

    deinit {
        for descriptor in descriptors { close(descriptor) }
    }

    /// How many threads may flush it at once, each through its own lane.
    public var lanes: Int { descriptors.count }

    /// Waits until the WAL's written frames are on disk, through `lane`'s descriptor (one thread per lane); throws
    /// the first failure any lane ever met.
    public func sync(lane: Int = 0) throws {
        if let failed = failure.withLock({ $0 }) { throw failed }
        while fsync(descriptors[lane]) != 0 {
            guard errno == EINTR else {
                let error = RosterError.io(
                    path: path, detail: "cannot flush committed writes to disk: \(String(cString: strerror(errno)))")
                failure.withLock { $0 = $0 ?? error }
                throw failure.withLock { $0 ?? error }
            }
        }
        // A failure another lane met meanwhile may be for a page this flush was to reach.
        if let failed = failure.withLock({ $0 }) { throw failed }
    }
}
