import Crypto
import Foundation
import GRDB
import RosterModel

/// What a sync-server key may do; each role includes the ones before it.
public enum ServerKeyRole: String, CaseIterable, Sendable {
    /// Read customers and devices, run queries and previews.
    case read
    /// Also change customers, fields, links, consent and devices.
    case write
    /// Also GDPR access export and erasure.
    case admin

    private var rank: Int {
        switch self {
        case .read: 0
        case .write: 1
        case .admin: 2
        }
    }

    /// Whether a key of this role may do what `needed` allows.
    public func allows(_ needed: ServerKeyRole) -> Bool { rank >= needed.rank }
}

/// A sync-server key as listed: never its secret, which only its creator saw once.
public struct ServerKey: Sendable, Equatable {
    public let name: String
    public let role: ServerKeyRole
    /// Seconds since 1970.
    public let createdAt: Int64
    /// Seconds since 1970, nil while the key is valid.
    public let revokedAt: Int64?

    /// The `--json` form.
    public var json: JSONValue {
        .object([
            ("name", .string(name)), ("role", .string(role.rawValue)),
            ("createdAt", .string(Timestamp.iso8601(createdAt))),
            ("revokedAt", revokedAt.map { .string(Timestamp.iso8601($0)) } ?? .null),
        ])
    }
}

/// A key just created, with the secret that is shown this once.
public struct IssuedServerKey: Sendable {
    public let key: ServerKey
    /// `rk_` and 43 characters of base64url: 256 random bits.
    public let secret: String
}

/// Server keys: the store keeps HMAC-SHA256(server-key key, secret), so a copy of the store file does not let
/// anyone call the server, and a lost secret can only be revoked and replaced.
extension Store {
    /// Creates a key; its secret is returned once and never stored.
    public func createServerKey(name rawName: String, role: ServerKeyRole) throws -> IssuedServerKey {
        let name = try ServerKeyName.normalize(rawName)
        let secret = "rk_" + Base64URL.encode(Random.bytes(32))
        return try write { db in
            let taken = try Bool.fetchOne(
                db, sql: "SELECT 1 FROM serverKey WHERE name = ? AND revokedAt IS NULL", arguments: [name])
            guard taken != true else {
                throw RosterError.conflict(.serverKeyExists(name: name))
            }
            let now = Store.now()
            let hash = serverKeyHash(secret)
            try db.execute(
                sql: "INSERT INTO serverKey(name, role, hash, createdAt, mac) VALUES (?, ?, ?, ?, ?)",
                arguments: [
                    name, role.rawValue, Data(hash), now,
                    serverKeyMAC(name: name, role: role.rawValue, hash: hash, createdAt: now, revokedAt: nil),
                ])
            try audit(db, .key, subject: "*", detail: "created server key \(name) (\(role.rawValue))")
            return IssuedServerKey(
                key: ServerKey(name: name, role: role, createdAt: now, revokedAt: nil), secret: secret)
        }
    }

    /// Every key, valid and revoked, oldest first.
    public func serverKeys() throws -> [ServerKey] {
        try db.read { db in
            try Row.fetchAll(db, sql: "SELECT name, role, createdAt, revokedAt FROM serverKey ORDER BY id").map {
                try Store.serverKey($0)
            }
        }
    }

    /// Revokes the valid key with this name; requests that carry it are refused from then on.
    public func revokeServerKey(name rawName: String) throws -> ServerKey {
        let name = rawName.trimmed
        return try write { db in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT id, name, role, hash, createdAt, revokedAt, mac FROM serverKey
                        WHERE name = ? AND revokedAt IS NULL
                        """,
                    arguments: [name])
            else {
                throw RosterError.invalidValue(.noSuchServerKey(name))
            }
            let now = Store.now()
            // Revoking rewrites the MAC to cover the revocation; a key whose row was edited stays refused.
            let mac =
                serverKeyProblem(row) == nil
                ? serverKeyMAC(
                    name: row["name"], role: row["role"], hash: Array(row["hash"] as Data), createdAt: row["createdAt"],
                    revokedAt: now) : Data()
            try db.execute(
                sql: "UPDATE serverKey SET revokedAt = ?, mac = ? WHERE id = ?",
                arguments: [now, mac, row["id"] as Int64])
            try audit(db, .key, subject: "*", detail: "revoked server key \(name)")
            return ServerKey(
                name: row["name"], role: try Store.role(row["role"]), createdAt: row["createdAt"], revokedAt: now)
        }
    }

    /// The valid key whose secret this is, or nil.
    public func authenticateServerKey(_ secret: String) throws -> ServerKey? {
        try serverKeyVerifier().key(for: secret)
    }

    /// The valid keys as they are now, to check secrets without the store. `previous` is returned as it is when the
    /// key rows are still the ones it was made from: the server reads them again after every commit of another
    /// connection (its own writer's too), and checking their MACs again would cost more than the read.
    public func serverKeyVerifier(reusing previous: ServerKeyVerifier? = nil) throws -> ServerKeyVerifier {
        let rows = try db.read { db in
            try Row.fetchAll(
                try db.cachedStatement(
                    sql: "SELECT name, role, hash, createdAt, revokedAt, mac FROM serverKey WHERE revokedAt IS NULL"))
        }
        let source = rows.map { Array($0.databaseValues) }
        if let previous, previous.source == source { return previous }
        // A row that fails its MAC (a role raised by hand, a revocation undone) authorizes nothing.
        return ServerKeyVerifier(
            hasher: KeyedSHA256(key: serverKeyHashKey),
            keys: try rows.filter { serverKeyProblem($0) == nil }.map { row in
                (Array(row["hash"] as Data), try Store.serverKey(row))
            }, source: source)
    }

    /// Every server key row whose MAC does not match, in words for `roster check` (nil when all match).
    func serverKeyProblems(_ db: Database) throws -> [String] {
        try Row.fetchAll(db, sql: "SELECT name, role, hash, createdAt, revokedAt, mac FROM serverKey ORDER BY id")
            .compactMap { serverKeyProblem($0) }
    }

    /// Why a server key row is not to be trusted, or nil.
    func serverKeyProblem(_ row: Row) -> String? {
        let name: String = row["name"]
        guard let mac = row["mac"] as Data?, !mac.isEmpty else {
            return "server key \(TerminalText.escape(name)) has no MAC (made before keys were authenticated, or "
                + "edited): it is refused; revoke it with `roster key revoke` and create another"
        }
        let expected = serverKeyMAC(
            name: name, role: row["role"], hash: Array(row["hash"] as Data), createdAt: row["createdAt"],
            revokedAt: row["revokedAt"])
        guard ConstantTime.equal(Array(mac), Array(expected)) else {
            return "server key \(TerminalText.escape(name)) was changed outside roster (its role, hash, dates or "
                + "revocation fail their MAC): it is refused; revoke it and create another"
        }
        return nil
    }

    /// HMAC-SHA256 under a key derived from the header key over everything a key row says.
    private func serverKeyMAC(name: String, role: String, hash: [UInt8], createdAt: Int64, revokedAt: Int64?) -> Data {
        var message = Array("roster/v1|server-key\u{0}".utf8)
        for part in [name, role, Hex.encode(hash), String(createdAt), revokedAt.map(String.init) ?? "-"] {
            message += Array(part.utf8) + [0]
        }
        return Data(HMAC<SHA256>.authenticationCode(for: message, using: serverKeyMACKey))
    }

    private var serverKeyMACKey: SymmetricKey {
        HKDF<SHA256>.deriveKey(
            inputKeyMaterial: keys.headerKey, info: Array("roster/v1/server-key-mac".utf8), outputByteCount: 32)
    }

    private var serverKeyHashKey: SymmetricKey {
        // Derived from a purpose key by HKDF (a separate info string), so that the key ring keeps one root.
        HKDF<SHA256>.deriveKey(
            inputKeyMaterial: keys.headerKey, info: Array("roster/v1/server-key".utf8), outputByteCount: 32)
    }

    private func serverKeyHash(_ secret: String) -> [UInt8] {
        KeyedSHA256(key: serverKeyHashKey).code(Array(secret.utf8))
    }

    private static func serverKey(_ row: Row) throws -> ServerKey {
        ServerKey(
            name: row["name"], role: try role(row["role"]), createdAt: row["createdAt"], revokedAt: row["revokedAt"])
    }

    private static func role(_ raw: String) throws -> ServerKeyRole {
        guard let role = ServerKeyRole(rawValue: raw) else { throw RosterError.integrity(what: "a server key's role") }
        return role
    }
}

/// The valid server keys at one moment, and the key that hashes secrets.
public struct ServerKeyVerifier: Sendable {
    /// HMAC-SHA256 under the key-hash key, keyed once (every request hashes the secret it presents).
    let hasher: KeyedSHA256
    let keys: [(hash: [UInt8], key: ServerKey)]
    /// The key rows this was made from, to tell whether they changed.
    let source: [[DatabaseValue]]

    /// The valid key whose secret this is, or nil.
    ///
    /// The presented secret's hash is compared with every valid key's hash in constant time, without stopping at
    /// a match, so the time taken says nothing about which bytes matched.
    public func key(for secret: String) -> ServerKey? {
        let presented = hasher.code(Array(secret.utf8))
        var found: ServerKey?
        for candidate in keys where ConstantTime.equal(candidate.hash, presented) { found = candidate.key }
        return found
    }
}

/// Server key names: what the audit log shows as the actor of a request.
public enum ServerKeyName {
    /// The name as kept: 1 to 64 letters, digits, `.`, `_` or `-`.
    public static func normalize(_ raw: String) throws -> String {
        let name = raw.trimmed
        let allowed = name.utf8.allSatisfy {
            ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z")) || ($0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z"))
                || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) || $0 == UInt8(ascii: ".")
                || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-")
        }
        guard (1...64).contains(name.utf8.count), allowed else {
            throw RosterError.invalidValue(.notAKeyName(raw))
        }
        return name
    }
}

/// Comparison whose time does not depend on where two byte strings differ.
enum ConstantTime {
    static func equal(_ first: [UInt8], _ second: [UInt8]) -> Bool {
        guard first.count == second.count else { return false }
        var difference: UInt8 = 0
        for index in first.indices { difference |= first[index] ^ second[index] }
        return difference == 0
    }
}

/// Base64 with the URL alphabet and no padding, for secrets that are pasted into headers and shells.
enum Base64URL {
    static func encode(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
