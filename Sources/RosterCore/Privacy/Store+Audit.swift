import Crypto
import Foundation
import GRDB
import RosterModel

/// What the audit log records.
public enum AuditAction: String, CaseIterable, Sendable {
    case `import`, reveal, export, erase, consent, field, key, segment
}

/// One entry of the audit log: who did what, when, to which externalCode — never a personal value.
public struct AuditEntry: Sendable, Equatable {
    public let id: Int64
    /// Seconds since 1970.
    public let at: Int64
    /// The operating-system user.
    public let actor: String
    public let action: AuditAction
    /// An externalCode, or `*` for the whole store.
    public let subject: String
    /// What changed, in words without personal values (`sms off`, `set city`, `12 created`).
    public let detail: String

    /// The `--json` form.
    public var json: JSONValue {
        .object([
            ("id", .int(id)), ("at", .string(Timestamp.iso8601(at))), ("actor", .string(actor)),
            ("action", .string(action.rawValue)), ("subject", .string(subject)), ("detail", .string(detail)),
        ])
    }
}

/// The audit log: append-only and tamper-evident.
///
/// Each entry's MAC (under a key derived from the root key) covers the entry and the previous
/// entry's MAC, and the header keeps a MAC of the last entry: an edited entry breaks its own MAC,
/// a removed one breaks the chain after it, and a removed last entry no longer matches the head.
extension Store {
    /// The user the operating system says runs this process.
    static let actor: String = {
        if let entry = getpwuid(getuid()), let name = entry.pointee.pw_name { return String(cString: name) }
        return ProcessInfo.processInfo.environment["USER"] ?? "uid \(getuid())"
    }()

    /// Appends an entry inside the caller's transaction.
    func audit(_ db: Database, _ action: AuditAction, subject: String, detail: String = "") throws {
        let inGroup = auditHeadDeferredOn == ObjectIdentifier(db)
        // Inside a group the entry before is the one this group wrote last, unless a change was rolled back since.
        let last = try (inGroup ? auditTail : nil) ?? lastAuditEntry(db)
        let id = (last?.id ?? 0) + 1
        let entry = AuditEntry(
            id: id, at: Store.now(), actor: auditActor ?? Store.actor, action: action, subject: subject, detail: detail)
        let mac = auditMAC(entry, previous: last?.mac ?? Data())
        try db.exec(
            "INSERT INTO audit(id, at, actor, action, subject, detail, mac) VALUES (?, ?, ?, ?, ?, ?, ?)",
            arguments: [id, entry.at, entry.actor, action.rawValue, subject, detail, mac])
        if inGroup {
            auditTail = (id, mac)
        } else {
            try writeAuditHead(db, id: id, mac: mac)
        }
    }

    /// The log's last entry: its id and MAC. A cached statement: the sync server appends an entry per write, and
    /// compiling it cost more than running it.
    private func lastAuditEntry(_ db: Database) throws -> (id: Int64, mac: Data)? {
        try Row.fetchOne(try db.cachedStatement(sql: "SELECT id, mac FROM audit ORDER BY id DESC LIMIT 1")).map {
            ($0["id"], $0["mac"])
        }
    }

    /// Records `id` and `mac` as the log's head: removing entries from the end of the log no longer matches it.
    private func writeAuditHead(_ db: Database, id: Int64, mac: Data) throws {
        try db.exec(
            "INSERT OR REPLACE INTO meta(key, value) VALUES ('auditHead', ?)", arguments: [auditHead(id: id, mac: mac)])
    }

    /// Forgets what the group keeps between its changes (the log's last entry, the next customer's row id): a change
    /// rolled back to its savepoint took its entries and rows with it.
    func forgetGroupState() {
        state.withLock { state in
            state.auditTail = nil
            state.nextCustomerRowID = nil
        }
    }

    /// Runs `body` (inside a transaction) with the log's head written once, after it, for the last entry then: a
    /// group of changes, each in a savepoint that may roll its entries back, ends with one head instead of one per
    /// entry. A group that added no entry (every change refused) leaves the head as it found it.
    func withAuditHeadAtEnd<T>(_ db: Database, _ body: () throws -> T) throws -> T {
        let before = try lastAuditEntry(db)
        auditHeadDeferredOn = ObjectIdentifier(db)
        auditTail = before
        defer { auditHeadDeferredOn = nil }
        let result = try body()
        if let last = try auditTail ?? lastAuditEntry(db), last.id != before?.id {
            try writeAuditHead(db, id: last.id, mac: last.mac)
        }
        return result
    }

    /// Writes the head of an empty log at creation, so that removing every entry (and the head) is caught too.
    func startAuditLog(_ db: Database) throws {
        try writeAuditHead(db, id: 0, mac: Data())
    }

    /// Appends an entry in a transaction of its own.
    ///
    /// A read-only store (a backup on read-only media) can still be read, but its log cannot grow: the read goes on
    /// and stderr says that it was not recorded, rather than refusing to read what the key already opens.
    public func audit(_ action: AuditAction, subject: String, detail: String = "") throws {
        do {
            try translatingStoreErrors(path: path) {
                try db.write { db in
                    lock.recordHolder()
                    try audit(db, action, subject: subject, detail: detail)
                }
            }
        } catch RosterError.readOnly(let path) where [.reveal, .export].contains(action) {
            FileHandle.standardError.write(
                Data(
                    "roster: note: the store \(path) is read-only: this \(action.rawValue) is not in its audit log\n"
                        .utf8))
        }
    }

    /// Every entry, oldest first.
    public func auditEntries() throws -> [AuditEntry] {
        try db.read { try auditEntries($0) }
    }

    /// Every entry, oldest first, inside the caller's transaction.
    func auditEntries(_ db: Database) throws -> [AuditEntry] {
        try Row.fetchAll(db, sql: "SELECT id, at, actor, action, subject, detail FROM audit ORDER BY id").map { row in
            AuditEntry(
                id: row["id"], at: row["at"], actor: row["actor"],
                action: AuditAction(rawValue: row["action"]) ?? .field, subject: row["subject"],
                detail: row["detail"])
        }
    }

    /// Checks the whole chain; returns the problems found (empty when the log is intact).
    public func verifyAudit() throws -> [String] {
        try db.read { db in
            var problems: [String] = []
            var previous = Data()
            var expectedID: Int64 = 1
            var lastID: Int64 = 0
            for row in try Row.fetchAll(
                db, sql: "SELECT id, at, actor, action, subject, detail, mac FROM audit ORDER BY id")
            {
                let id: Int64 = row["id"]
                if id != expectedID {
                    problems.append("entries \(expectedID)…\(id - 1) are missing (removed)")
                }
                guard let action = AuditAction(rawValue: row["action"]) else {
                    problems.append("entry \(id) has an unknown action (altered)")
                    previous = row["mac"]
                    expectedID = id + 1
                    lastID = id
                    continue
                }
                let entry = AuditEntry(
                    id: id, at: row["at"], actor: row["actor"], action: action, subject: row["subject"],
                    detail: row["detail"])
                let mac: Data = row["mac"]
                if auditMAC(entry, previous: previous) != mac {
                    problems.append("entry \(id) does not match its MAC (altered, or an entry before it was removed)")
                }
                previous = mac
                expectedID = id + 1
                lastID = id
            }
            let head = try Data.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'auditHead'")
            if lastID == 0 {
                if head != auditHead(id: 0, mac: Data()) {
                    problems.append("the log is empty but its head says otherwise (entries were removed, or the head)")
                }
            } else if head != auditHead(id: lastID, mac: previous) {
                problems.append("the last entries after entry \(lastID) are missing (removed), or the head was altered")
            }
            return problems
        }
    }

    private func auditMAC(_ entry: AuditEntry, previous: Data) -> Data {
        var writer = RecordWriter(version: 1)
        writer.write(entry.id)
        writer.write(entry.at)
        writer.write(entry.actor)
        writer.write(entry.action.rawValue)
        writer.write(entry.subject)
        writer.write(entry.detail)
        return Data(keys.auditMAC.code(Array(previous) + writer.bytes))
    }

    private func auditHead(id: Int64, mac: Data) -> Data {
        Data(keys.auditMAC.code(Array("head|\(id)|".utf8) + Array(mac)))
    }
}
