import Foundation
import GRDB
import GRDBSQLite

/// Many processes on one store: the shared lock, the swap of a bulk import, reopening after it (docs/store.md).
extension Store {
    /// How long a command waits for a store another process holds (`--wait`): its write lock, or a swap.
    public static var lockWait: Double {
        get { StoreLock.wait.withLock { $0 } }
        set { StoreLock.wait.withLock { $0 = max(0, newValue) } }
    }

    /// For long-running processes (the console, a server): from now on the store is held only during `use`, so
    /// that another process's bulk import can replace the file between two calls; the next call reopens it.
    public func holdOnlyDuringUse() {
        let held = state.withLock { state in
            defer { state.holdsFromOpen = false }
            return state.holdsFromOpen
        }
        guard held else { return }
        lock.releaseShared()
    }

    /// Runs `body` holding the store: after another process's bulk import replaced the file, it is reopened
    /// first (so `body` sees the new data and never writes into the replaced file).
    ///
    /// Any thread may call it, and several at once: a swap by this process's own bulk import waits for the other
    /// threads inside `use` to leave and holds new ones until it is done (`UseGate`).
    public func use<T>(_ body: () throws -> T) throws -> T {
        lock.users.enter()
        defer { lock.users.leave() }
        try lock.acquireShared { try reopenIfReplaced() }
        defer { lock.releaseShared() }
        return try body()
    }

    /// Closes a connection that must never remove the WAL: one that is not the store's writer but may be the last
    /// connection of this process on the file (the sync server's checkpoint connection). Closing the last
    /// connection checkpoints and deletes the `-wal` and `-shm` files by name; when another process swapped the
    /// store since, those names are the new file's, whose writer is still using them.
    public func closeKeepingWAL() throws {
        keepWALOnClose()
        try close()
    }

    /// Makes closing this connection leave the `-wal` and `-shm` files where they are (a persistent WAL).
    func keepWALOnClose() {
        db.writeWithoutTransaction { db in
            // Nothing to do on a connection closed already (closing twice is allowed).
            guard let connection = db.sqliteConnection else { return }
            var persist: Int32 = 1
            _ = sqlite3_file_control(connection, "main", SQLITE_FCNTL_PERSIST_WAL, &persist)
        }
    }

    /// Reopens the store when the file at its path is no longer the one open (called holding the lock).
    func reopenIfReplaced() throws {
        let current = FileIdentity(path: path)
        guard current != openedFile else { return }
        guard current != nil else { throw RosterError.storeMissing(path: path) }
        // The old connection must not delete the -wal and -shm files by name when it closes: those names are the
        // new file's now. With a persistent WAL, SQLite leaves them alone.
        keepWALOnClose()
        try? db.close()
        let queue = try DatabaseQueue(path: path, configuration: Store.configuration())
        let newHeader = try queue.read { try StoreHeader.read($0, path: path) }
        // The same store (a bulk import's copy keeps the header), not another one renamed over it.
        guard newHeader.storeID == header.storeID, newHeader.mac(with: keys.headerKey) == newHeader.headerMAC else {
            throw RosterError.integrity(what: "the store header of \(path), replaced while it was open")
        }
        state.withLock { state in
            state.db = queue
            state.connectionGeneration += 1
            state.openedFile = current
            state.header = newHeader
            state.seenDataVersion = -1
        }
        try loadFieldTypes()
        let suppressed = try queue.read {
            try Bool.fetchOne($0, sql: "SELECT EXISTS (SELECT 1 FROM suppression)") ?? false
        }
        state.withLock { state in
            state.hasSuppressions = suppressed
            state.reopenCount += 1
        }
    }

    /// What a bulk import's copy was made from: the data version and the audit head (entries written outside a
    /// data change, an export's, move it too).
    func contentStamp(_ db: Database) throws -> [String] {
        try String.fetchAll(
            db,
            sql: "SELECT key || '=' || quote(value) FROM meta WHERE key IN ('dataVersion', 'auditHead') ORDER BY key")
    }

    /// Renames `copy` over the store under the exclusive lock if the store is still what the copy was made from
    /// (`stamp`, and the same file); returns false, having changed nothing, when it is not.
    func replace(with copy: String, madeFrom stamp: [String]) throws -> Bool {
        let seconds = max(Store.lockWait, Store.swapWait)
        return try lock.withExclusive(waiting: seconds, fresh: { try reopenIfReplaced() }) {
            guard FileIdentity(path: path) == openedFile,
                try db.writeWithoutTransaction({ try contentStamp($0) }) == stamp
            else { return false }
            lock.recordHolder()
            try closeForReplacement()
            guard rename(copy, path) == 0 else {
                let reason = String(cString: strerror(errno))
                try reopen()
                throw RosterError.io(path: path, detail: "cannot replace the store with the imported copy: \(reason)")
            }
            // The store is replaced from here on: reopen it whatever happens to the directory sync.
            let directorySync = Result {
                try FileSecurity.sync(path: (path as NSString).deletingLastPathComponent, directory: true)
            }
            try reopen()
            if case .failure(let error) = directorySync {
                throw RosterError.io(
                    path: path, detail: "the file was imported, but its folder could not be flushed to disk: \(error)")
            }
            return true
        }
    }

    /// How long a finished bulk import waits for the processes using the store to let it go before its swap: they
    /// are commands that end, or long-running ones that hold it only during a call.
    static let swapWait: Double = 600
}

/// SQLite's result codes for a store in use, full or read-only, turned into sentences naming the store.
func translatingStoreErrors<T>(path: String, _ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as DatabaseError {
        throw storeError(error, path: path)
    }
}

func storeError(_ error: DatabaseError, path: String, full: Bool = false) -> Error {
    if full || (error.resultCode == .SQLITE_IOERR && diskIsFull(near: path)) {
        return RosterError.io(
            path: path, detail: "the disk is full; nothing was changed: free some space and run the command again")
    }
    switch error.resultCode {
    case .SQLITE_BUSY, .SQLITE_LOCKED:
        return RosterError.busy(path: path, holder: StoreLock(storePath: path).holder())
    case .SQLITE_READONLY:
        return RosterError.readOnly(path: path)
    case .SQLITE_FULL:
        return RosterError.io(
            path: path, detail: "the disk is full; nothing was changed: free some space and run the command again")
    default:
        return error
    }
}

extension RosterError {
    /// A store failure from SQLite said in words, for errors that reached the command unconverted; nil otherwise.
    public static func describing(_ error: Error, storePath: String) -> RosterError? {
        guard let error = error as? DatabaseError, let converted = storeError(error, path: storePath) as? RosterError
        else { return nil }
        return converted
    }
}

/// Whether the file system holding `path` has no block left for this user (SQLite reports some full disks as an
/// I/O error: a WAL index it cannot extend).
func diskIsFull(near path: String) -> Bool {
    let directory = (path as NSString).deletingLastPathComponent
    var info = statvfs()
    guard statvfs(directory.isEmpty ? "." : directory, &info) == 0 else { return false }
    return info.f_bavail == 0
}
