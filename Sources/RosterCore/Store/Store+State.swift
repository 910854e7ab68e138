import Foundation
import GRDB
import RosterModel

/// What a `Store` changes after it is opened, held behind the store's one mutex (`Store.state`).
///
/// A mutex rather than a serial executor: most reads are a single value on the caller's own thread (the region,
/// the field registry for a row, the connection for a transaction), which a lock serves in nanoseconds and an
/// executor would turn into a hop to another thread. The database itself needs no more: GRDB's `DatabaseQueue`
/// serializes every access to its connection.
struct StoreState: Sendable {
    /// The connection, replaced when the store file is reopened (after a bulk import's swap).
    var db: DatabaseQueue
    /// The device and inode of the file `db` has open: a different pair at `path` means a bulk import replaced it.
    var openedFile: FileIdentity?
    /// Whether the shared lock taken at open is still held (long-running processes give it up: `holdOnlyDuringUse`).
    var holdsFromOpen = true
    /// How many times another process's bulk import replaced the file under this store (then it was reopened).
    var reopenCount = 0
    /// How many times `db` was replaced by a new connection (either kind of reopen): part of a `ReadStamp`.
    var connectionGeneration = 0
    var header: StoreHeader
    /// Whether any customer was erased with suppression (only then are new identifiers checked).
    var hasSuppressions = false
    /// SQLite's `data_version` of this connection when the in-memory state was last reloaded.
    var seenDataVersion: Int64 = -1
    /// Who the audit log names for this process's writes, when not the operating-system user (the sync server
    /// names the server key a request used).
    var auditActor: String?
    /// The connection on which `audit` leaves the log's head to the end of the transaction (`Store.apply`, a group
    /// of changes): only the last entry's head counts, and each change wrote it again. Another connection of this
    /// store (a bulk import's copy) writes its heads as usual.
    var auditHeadDeferredOn: ObjectIdentifier?
    /// The last entry of the log as the group on `auditHeadDeferredOn` left it (its id and MAC), so that each
    /// entry of a group does not read the one before it again; nil: read it. A change rolled back forgets it.
    var auditTail: (id: Int64, mac: Data)?
    /// The row id the group on `auditHeadDeferredOn` gives its next new customer (one past the last it inserted),
    /// so that each insert does not look up the largest again; nil: look it up. A change rolled back forgets it.
    var nextCustomerRowID: Int64?
    /// Field types by lower-cased field name, loaded at unlock.
    var fieldTypes: [String: (name: String, type: FieldType)] = [:]
    /// The registry rows (and whether MACs were required) that `fieldTypes` was checked against when loaded; nil
    /// once `fieldTypes` changed in place. A reload that reads the same rows keeps `fieldTypes` without checking
    /// each row's MAC again: a sync server's readers reload after every commit of its writer.
    var fieldRows: [[DatabaseValue]]?
}

/// One value of the state each: every accessor takes the mutex once, so a loop that needs a value many times
/// copies it first (a read of `fieldTypes` is a lock and a retain, not a copy of the dictionary). Changes that
/// must happen together (a reopen) take the mutex once through `state.withLock`.
extension Store {
    var db: DatabaseQueue {
        get { state.withLock { $0.db } }
        set { state.withLock { $0.db = newValue } }
    }

    var openedFile: FileIdentity? {
        get { state.withLock { $0.openedFile } }
        set { state.withLock { $0.openedFile = newValue } }
    }

    var holdsFromOpen: Bool {
        get { state.withLock { $0.holdsFromOpen } }
        set { state.withLock { $0.holdsFromOpen = newValue } }
    }

    /// How many times another process's bulk import replaced the file under this store (then it was reopened).
    public internal(set) var reopenCount: Int {
        get { state.withLock { $0.reopenCount } }
        set { state.withLock { $0.reopenCount = newValue } }
    }

    /// How many times the connection was replaced by a new one (either kind of reopen): part of a `ReadStamp`.
    public internal(set) var connectionGeneration: Int {
        get { state.withLock { $0.connectionGeneration } }
        set { state.withLock { $0.connectionGeneration = newValue } }
    }

    var header: StoreHeader {
        get { state.withLock { $0.header } }
        set { state.withLock { $0.header = newValue } }
    }

    var hasSuppressions: Bool {
        get { state.withLock { $0.hasSuppressions } }
        set { state.withLock { $0.hasSuppressions = newValue } }
    }

    var seenDataVersion: Int64 {
        get { state.withLock { $0.seenDataVersion } }
        set { state.withLock { $0.seenDataVersion = newValue } }
    }

    var auditActor: String? {
        get { state.withLock { $0.auditActor } }
        set { state.withLock { $0.auditActor = newValue } }
    }

    /// The field registry as of now. Registering one field goes through `registerFieldType`, which changes it in
    /// place; assigning through this setter replaces the whole dictionary.
    var fieldTypes: [String: (name: String, type: FieldType)] {
        get { state.withLock { $0.fieldTypes } }
        set {
            state.withLock { state in
                state.fieldTypes = newValue
                state.fieldRows = nil
            }
        }
    }

    /// The registered field `key`, if any.
    func fieldType(_ key: String) -> (name: String, type: FieldType)? {
        state.withLock { $0.fieldTypes[key] }
    }

    /// The registry's own spelling of a field key equal to `key` (Swift compares strings by canonical equivalence,
    /// SQLite by bytes).
    func storedFieldKey(_ key: String) -> String? {
        state.withLock { state in state.fieldTypes.index(forKey: key).map { state.fieldTypes.keys[$0] } }
    }

    /// Registers (or, with nil, forgets) one field in memory, in place under the mutex.
    func registerFieldType(_ key: String, _ field: (name: String, type: FieldType)?) {
        state.withLock { state in
            state.fieldTypes[key] = field
            state.fieldRows = nil
        }
    }

    /// The connection whose audit log head waits for the end of its transaction, if any.
    var auditHeadDeferredOn: ObjectIdentifier? {
        get { state.withLock { $0.auditHeadDeferredOn } }
        set {
            state.withLock { state in
                state.auditHeadDeferredOn = newValue
                state.auditTail = nil
                state.nextCustomerRowID = nil
            }
        }
    }

    /// The log's last entry as the current group left it, if known (`StoreState.auditTail`).
    var auditTail: (id: Int64, mac: Data)? {
        get { state.withLock { $0.auditTail } }
        set { state.withLock { $0.auditTail = newValue } }
    }

    /// The next new customer's row id as the current group left it, if known (`StoreState.nextCustomerRowID`).
    var nextCustomerRowID: Int64? {
        get { state.withLock { $0.nextCustomerRowID } }
        set { state.withLock { $0.nextCustomerRowID = newValue } }
    }
}
