import Crypto
import Foundation
import GRDB
import RosterModel
import Synchronization

/// An unlocked Roster store: one SQLite file holding sealed customers and devices of one region.
///
/// `Sendable`: its stored state is either immutable or behind `state`'s mutex, and GRDB's `DatabaseQueue`
/// serializes the database itself, so any thread may call it (docs/architecture.md, "Concurrency").
public final class Store: Sendable {
    /// The store file.
    public let path: String
    /// The region fixed at `init`.
    public var region: String { header.region }
    /// The time zone used for "today" (birthdays).
    public var timeZone: String { header.timeZone }
    /// When 29 February birthdays are celebrated in other years.
    public var leapDayRule: LeapDayRule { header.leapDayRule }

    /// The sidecar lock every process holds while it uses the store (`StoreLock`).
    let lock: StoreLock
    let keys: KeyRing
    let externalCodes: ExternalCodeDeriver
    /// Everything that changes after open (the connection, the header, the field registry, …), behind one mutex
    /// (`StoreState`): the accessors in `Store+State.swift` take it for one read or one write each.
    let state: Mutex<StoreState>

    init(
        path: String, db: DatabaseQueue, lock: StoreLock, header: StoreHeader, keys: KeyRing, appKey: String,
        forCheck: Bool = false
    ) throws {
        self.path = path
        self.lock = lock
        self.state = Mutex(StoreState(db: db, openedFile: FileIdentity(path: path), header: header))
        self.keys = keys
        self.externalCodes = ExternalCodeDeriver(appKey: appKey)
        do {
            try loadFieldTypes()
        } catch let error as RosterError where forCheck && error.isIntegrityFailure {
            // `roster check` reports a damaged field registry itself, in detail, and changes nothing.
        }
        let suppressed = try db.read {
            try Bool.fetchOne($0, sql: "SELECT EXISTS (SELECT 1 FROM suppression)") ?? false
        }
        hasSuppressions = suppressed
        Hardening.disableCoreDumps()
    }

    /// The connection closes before the lock goes: closing can checkpoint and delete the WAL by name, which must
    /// not happen to a file another process has swapped in.
    deinit {
        try? db.close()
    }

    /// The default store path: `$ROSTER_STORE`, else `$XDG_DATA_HOME/roster/store.roster`,
    /// else `~/.local/share/roster/store.roster`.
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let path = environment["ROSTER_STORE"], !path.isEmpty { return path }
        if let data = environment["XDG_DATA_HOME"], !data.isEmpty { return "\(data)/roster/store.roster" }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return "\(home)/.local/share/roster/store.roster"
    }

    static func configuration(readonly: Bool = false) -> Configuration {
        var config = Configuration()
        config.readonly = readonly
        // WAL is set once at creation and persists in the file. GRDB's `.wal` option is not used:
        // it writes a dummy table at every open, and a refused unlock must write nothing.
        config.journalMode = .default
        // A write waits this long for another process's write lock, then fails with `RosterError.busy`.
        config.busyMode = .timeout(StoreLock.wait.withLock { $0 })
        config.prepareDatabase { db in
            // Overwrite freed pages so that deleted ciphertexts and index entries leave no trace,
            // and keep SQLite's temporary tables (sorts) in memory, never in temp files.
            try db.execute(
                sql: """
                    PRAGMA secure_delete = ON; PRAGMA temp_store = MEMORY; PRAGMA synchronous = FULL;
                    PRAGMA cache_size = -\(pageCacheMegabytes * 1024)
                    """)
        }
        return config
    }

    /// SQLite's page cache per connection, in MB (imports raise it for their duration).
    static let pageCacheMegabytes = 32

    /// Sets the size of SQLite's page cache of this store's connection.
    func setPageCache(megabytes: Int) throws {
        try db.writeWithoutTransaction { try $0.execute(sql: "PRAGMA cache_size = -\(megabytes * 1024)") }
    }

    /// Reads the blind-index tables into the page cache when they fit in `megabytes` (bigger ones would not stay in
    /// the cache, and reading them would only delay the import). They take about 100 bytes per customer: three
    /// entries of a 16-byte index, a row id and B-tree overhead.
    func warmBlindIndexes(upToMegabytes megabytes: Int) throws {
        try db.read { db in
            let customers = try Int.fetchOne(db, sql: "SELECT COALESCE(MAX(id), 0) FROM customer") ?? 0
            guard customers * 100 <= megabytes << 20 else { return }
            for kind in BlindIndexKind.allCases {
                _ = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(kind.table)")
            }
        }
    }

    /// The WAL pages after which a commit of this connection checkpoints (`wal_autocheckpoint`).
    func checkpointPages() throws -> Int {
        try db.writeWithoutTransaction { try Int.fetchOne($0, sql: "PRAGMA wal_autocheckpoint") ?? 1000 }
    }

    /// Sets after how many pages of WAL a commit copies the WAL back into the store (SQLite's default: 1,000).
    ///
    /// Every batch of an incremental import rewrites most blind-index pages (new entries land all over the
    /// indexes): at the default each 50,000-row commit of a million-customer store was followed by a checkpoint
    /// copying ~100 MB back, the same pages again for the next batch. Imports raise it to 16,384 pages (256 MB
    /// of 16 KiB pages), so the pages that several batches rewrite are copied back once.
    func setCheckpointPages(_ pages: Int) throws {
        try db.writeWithoutTransaction { try $0.execute(sql: "PRAGMA wal_autocheckpoint = \(pages)") }
    }

    // MARK: - Creating

    /// Creates a new store file (mode 0600) with a random root key wrapped by `key`.
    public static func create(
        at path: String, region rawRegion: String, appKey: String? = nil, timeZone: String? = nil,
        leapDayRule: LeapDayRule = .marchFirst, key: KeySource
    ) throws -> Store {
        let region = try Region.normalize(rawRegion)
        let zone = timeZone ?? TimeZone.current.identifier
        guard TimeZone(identifier: zone) != nil else {
            throw RosterError.invalidValue(.unknownTimeZone(zone))
        }
        if let appKey, appKey.isEmpty { throw RosterError.invalidValue(.emptyAppKey) }
        if FileManager.default.fileExists(atPath: path) { throw RosterError.storeExists(path: path) }
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }

        let storeID = Random.bytes(16)
        let salt = Random.bytes(16)
        let protection: StoreHeader.KeyProtection
        if case .keyFile = key { protection = .keyFile } else { protection = .passphrase }
        let root = SymmetricKey(data: Random.bytes(32))
        let kek = try KeyWrapping.keyEncryptionKey(for: key, salt: salt, logN: KeyWrapping.scryptLogN)
        let wrapped = try rootKeyBytes(root) { try AES.GCM.seal($0, using: kek, authenticating: rootAAD(storeID)) }
        let keys = KeyRing(root: root, storeID: storeID)
        let appKeyText = appKey ?? Hex.encode(Random.bytes(32))
        let sealedAppKey = try Sealer.seal(Array(appKeyText.utf8), key: keys.recordKey, context: appKeyContext)
        var header = StoreHeader(
            region: region, timeZone: zone, keyProtection: protection, storeID: storeID, kdfSalt: salt,
            kdfLogN: KeyWrapping.scryptLogN, wrappedRootKey: wrapped.combined!, sealedAppKey: sealedAppKey,
            createdAt: Int64(Date().timeIntervalSince1970), headerMAC: Data())
        header.leapDayRule = leapDayRule
        header.headerMAC = header.mac(with: keys.headerKey)

        try FileSecurity.createPrivateFile(at: path, contents: [])
        do {
            let lock = StoreLock(storePath: path)
            try lock.acquireShared {}
            let db = try DatabaseQueue(path: path, configuration: configuration())
            _ = try db.writeWithoutTransaction { try String.fetchOne($0, sql: "PRAGMA journal_mode = WAL") }
            try Schema.migrator.migrate(db)
            try db.write { try header.write($0) }
            let store = try Store(path: path, db: db, lock: lock, header: header, keys: keys, appKey: appKeyText)
            try db.write { try store.startAuditLog($0) }
            return store
        } catch {
            // A half-made store is worse than none: remove what this call created.
            for suffix in ["", "-wal", "-shm", ".lock"] { try? FileManager.default.removeItem(atPath: path + suffix) }
            throw error
        }
    }

    // MARK: - Opening

    /// Reads the clear header of a store without unlocking it (to know which key it needs).
    public static func header(at path: String) throws -> StoreHeader {
        let db = try openDatabase(at: path, readonly: true)
        return try db.read { try StoreHeader.read($0, path: path) }
    }

    /// Unlocks an existing store; `forCheck` opens one whose field registry fails its MACs, for `roster check`
    /// to report on (such a store serves no other command).
    public static func open(at path: String, key: KeySource, forCheck: Bool) throws -> Store {
        try open(at: path, key: key, checking: forCheck)
    }

    /// Unlocks an existing store; nothing is written when the key is wrong.
    public static func open(at path: String, key: KeySource) throws -> Store {
        try open(at: path, key: key, checking: false)
    }

    private static func open(at path: String, key: KeySource, checking: Bool) throws -> Store {
        guard FileManager.default.fileExists(atPath: path) else { throw RosterError.storeMissing(path: path) }
        // Held from before the file is opened: a swap cannot happen between the open and the identity taken below.
        let lock = StoreLock(storePath: path)
        try lock.acquireShared {}
        let db = try openDatabase(at: path, readonly: false)
        let header = try db.read { try StoreHeader.read($0, path: path) }
        switch (header.keyProtection, key) {
        case (.passphrase, .keyFile): throw RosterError.keyKindMismatch(path: path, needsKeyFile: false)
        case (.keyFile, .passphrase): throw RosterError.keyKindMismatch(path: path, needsKeyFile: true)
        default: break
        }
        let kek = try KeyWrapping.keyEncryptionKey(for: key, salt: header.kdfSalt, logN: header.kdfLogN)
        let root: SymmetricKey
        do {
            let box = try AES.GCM.SealedBox(combined: header.wrappedRootKey)
            root = SymmetricKey(data: try AES.GCM.open(box, using: kek, authenticating: rootAAD(header.storeID)))
        } catch {
            if case .keyFile(let keyPath) = key { throw RosterError.wrongKey(path: path, usingKeyFile: keyPath) }
            throw RosterError.wrongKey(path: path, usingKeyFile: nil)
        }
        let keys = KeyRing(root: root, storeID: header.storeID)
        guard header.mac(with: keys.headerKey) == header.headerMAC else {
            throw RosterError.integrity(what: "the store header (region, time zone, key parameters)")
        }
        let appKey = String(
            decoding: try Sealer.open(header.sealedAppKey, key: keys.recordKey, context: appKeyContext), as: UTF8.self)
        try translatingStoreErrors(path: path) { try Schema.migrator.migrate(db) }
        // A bulk import killed before its swap leaves a sealed copy beside the store: remove it now rather than
        // at the next import, so that it does not outlive an erasure.
        StagingFile.removeLeftovers(of: path)
        let store = try Store(
            path: path, db: db, lock: lock, header: header, keys: keys, appKey: appKey, forCheck: checking)
        if !checking { try? store.authenticateLegacyFieldTypes() }
        TestHook.stop(at: "store-opened")
        return store
    }

    private static func openDatabase(at path: String, readonly: Bool) throws -> DatabaseQueue {
        guard FileManager.default.fileExists(atPath: path) else { throw RosterError.storeMissing(path: path) }
        do {
            let db = try DatabaseQueue(path: path, configuration: configuration(readonly: readonly))
            _ = try db.read { try $0.tableExists("meta") }
            return db
        } catch let error as DatabaseError {
            if error.resultCode == .SQLITE_CANTOPEN, let db = try? openImmutable(at: path) { return db }
            if error.resultCode == .SQLITE_FULL || (error.resultCode == .SQLITE_IOERR && diskIsFull(near: path)) {
                throw storeError(error, path: path, full: true)
            }
            throw RosterError.notAStore(path: path, detail: error.message ?? "\(error)")
        }
    }

    /// A store in a folder this process cannot write (a read-only mount): SQLite cannot create the WAL's `-shm`
    /// there, so the file is opened immutable — read as it is, no locks, every write refused as read-only. Nobody
    /// else can write it either, as long as the folder stays read-only; a `-wal` left beside it would be ignored,
    /// so it is used only when there is none.
    private static func openImmutable(at path: String) throws -> DatabaseQueue? {
        let directory = (path as NSString).deletingLastPathComponent
        guard access(directory.isEmpty ? "." : directory, W_OK) != 0,
            !FileManager.default.fileExists(atPath: path + "-wal")
        else { return nil }
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "?#%")
        guard let escaped = path.addingPercentEncoding(withAllowedCharacters: allowed) else { return nil }
        let db = try DatabaseQueue(path: "file:\(escaped)?immutable=1", configuration: configuration(readonly: true))
        _ = try db.read { try $0.tableExists("meta") }
        return db
    }

    static let appKeyContext = SealContext(kind: "store", id: 0, column: "appKey")

    private static func rootAAD(_ storeID: [UInt8]) -> [UInt8] {
        Array("roster/v1|root-key|\(Hex.encode(storeID))".utf8)
    }

    private static func rootKeyBytes<T>(_ key: SymmetricKey, _ body: ([UInt8]) throws -> T) rethrows -> T {
        try key.withUnsafeBytes { try body(Array($0)) }
    }

    // MARK: - Basics

    /// Closes the store: the WAL is checkpointed into the store file and removed.
    public func close() throws {
        // A connection to a file another process has since renamed over (a first import's swap) must not
        // checkpoint and delete the `-wal` and `-shm` files by name as the last connection does: they are the new
        // file's now.
        if FileIdentity(path: path) != openedFile { keepWALOnClose() }
        try db.close()
        // Closed means no longer in use: another process's bulk import may replace the file now.
        holdOnlyDuringUse()
    }

    /// Closes the connection before a bulk import renames a new file over the store.
    func closeForReplacement() throws {
        try db.writeWithoutTransaction { try $0.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
        try db.close()
        for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }

    /// Opens the store file again (after this process's bulk import replaced it); the keys are unchanged.
    func reopen() throws {
        let queue = try DatabaseQueue(path: path, configuration: Store.configuration())
        let file = FileIdentity(path: path)
        state.withLock { state in
            state.db = queue
            state.connectionGeneration += 1
            state.openedFile = file
            state.seenDataVersion = -1
        }
        try loadFieldTypes()
    }

    /// The externalCode this store derives for a CRM id.
    public func externalCode(for crmId: String) -> String {
        externalCodes.externalCode(for: crmId)
    }

    func loadFieldTypes() throws {
        try db.read { try loadFieldTypes($0) }
    }

    /// Reloads the field registry inside a transaction (after a savepoint was rolled back).
    func loadFieldTypes(_ db: Database) throws {
        var result: [String: (name: String, type: FieldType)] = [:]
        let authenticated = try fieldTypesAuthenticated(db)
        let rows = try Row.fetchAll(try db.cachedStatement(sql: "SELECT key, name, type, mac FROM field"))
        let source = rows.map { Array($0.databaseValues) } + [[authenticated.databaseValue]]
        guard state.withLock({ $0.fieldRows != source }) else { return }
        for row in rows {
            let key: String = row["key"]
            guard fieldTypeProblem(row, authenticated: authenticated) == nil,
                let type = FieldType(rawValue: row["type"])
            else {
                throw RosterError.integrity(what: "the type of field \(TerminalText.escape(key))")
            }
            result[key] = (row["name"], type)
        }
        state.withLock { state in
            state.fieldTypes = result
            state.fieldRows = source
        }
    }

    /// Runs a write transaction; on failure the in-memory field registry is reloaded with the rollback.
    func write<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try translatingStoreErrors(path: path) {
                try db.write { db in
                    // The write lock is this process's from here (an immediate transaction): say so in the lock file.
                    lock.recordHolder()
                    try reloadIfWrittenElsewhere(db)
                    let result = try body(db)
                    // Any change makes the working-set snapshot stale.
                    try db.exec(
                        """
                        INSERT INTO meta(key, value) VALUES ('dataVersion', 1)
                        ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1
                        """)
                    return result
                }
            }
        } catch {
            try? loadFieldTypes()
            throw error
        }
    }

    /// Reloads what this process keeps in memory from the store (the field registry, whether anything is
    /// suppressed) when another process committed since this connection last looked: a field another import
    /// registered meanwhile must not be registered again (SQLite's `data_version` moves only for other connections).
    func reloadIfWrittenElsewhere(_ db: Database) throws {
        let version = try Int64.fetchOne(try db.cachedStatement(sql: "PRAGMA data_version")) ?? 0
        let seen = state.withLock { state in
            defer { state.seenDataVersion = version }
            return state.seenDataVersion == version
        }
        guard !seen else { return }
        try loadFieldTypes(db)
        let suppressed = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM suppression)") ?? false
        hasSuppressions = suppressed
    }

    /// Fields known to this store with their types, sorted by name.
    public var fields: [(name: String, type: FieldType)] {
        fieldTypes.values.sorted { $0.name.lowercased() < $1.name.lowercased() }
    }
}

/// A store's region: a short lower-case code such as `eu` or `us-east`.
public enum Region {
    /// The region as stored, or an error explaining the expected form.
    public static func normalize(_ raw: String) throws -> String {
        let region = raw.trimmingCharacters(in: .whitespaces).lowercased()
        let allowed = region.utf8.allSatisfy {
            ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z")) || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9"))
                || $0 == UInt8(ascii: "-")
        }
        guard (2...24).contains(region.count), allowed else {
            throw RosterError.invalidValue(.notARegion(raw))
        }
        return region
    }
}

/// Random bytes from the system's CSPRNG (`arc4random_buf`: glibc 2.36 and later take them from
/// `getrandom`), one call per buffer. swift-crypto's random `SymmetricKey` makes one system call per
/// 8 bytes, which showed as 7% of a bulk import.
enum Random {
    static func bytes(_ count: Int) -> [UInt8] {
        guard count > 0 else { return [] }
        return [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            arc4random_buf(buffer.baseAddress!, count)
            initialized = count
        }
    }
}
