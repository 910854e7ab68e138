import Foundation
import GRDB

/// Read-only connections beside a store's writer, for a long-running server: in WAL mode they read committed data
/// while the writer commits, so reads need not queue behind writes on one connection.
extension Store {
    /// Opens another, read-only connection to this store, sharing its keys: a `Store` that only reads.
    ///
    /// It has its own lock-file descriptor and takes the shared lock for each call (`use`), reopening the file when
    /// another process's bulk import swapped it (device and inode differ), like any long-running process. Call it
    /// only while nothing else uses this store (before the server starts): it reads the header this store holds.
    public func openReader() throws -> Store {
        let readerLock = StoreLock(storePath: path)
        try readerLock.acquireShared {}
        defer { readerLock.releaseShared() }
        let queue = try DatabaseQueue(path: path, configuration: Store.configuration(readonly: true))
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
}
