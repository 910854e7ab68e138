import Crypto
import Foundation
import GRDB
import RosterModel

/// The clear-text header of a store (`meta` table): what is needed to unlock it and what it is bound to.
///
/// Nothing here is personal. The root key is wrapped; the other entries are authenticated
/// by a MAC under a key derived from the root, so an edited region is caught at unlock.
public struct StoreHeader: Sendable {
    static let formatName = "roster-store"
    static let formatVersion = 1

    public enum KeyProtection: String, Sendable { case passphrase, keyFile = "keyfile" }

    public var region: String
    public var timeZone: String
    /// When a 29 February birthday is celebrated in other years.
    public var leapDayRule: LeapDayRule = .marchFirst
    public var keyProtection: KeyProtection
    var storeID: [UInt8]
    var kdfSalt: [UInt8]
    var kdfLogN: Int
    var wrappedRootKey: Data
    var sealedAppKey: Data
    var createdAt: Int64
    var headerMAC: Data

    /// The entries covered by the header MAC, in a fixed order.
    var authenticatedBytes: [UInt8] {
        var writer = RecordWriter(version: 1)
        writer.write(Self.formatName)
        writer.write(UInt64(Self.formatVersion))
        writer.write(Hex.encode(storeID))
        writer.write(region)
        writer.write(timeZone)
        writer.write(keyProtection.rawValue)
        writer.write(Hex.encode(kdfSalt))
        writer.write(UInt64(kdfLogN))
        writer.write(createdAt)
        // Appended only when set, so headers written before the setting existed keep their MAC.
        if leapDayRule != .marchFirst { writer.write(leapDayRule.rawValue) }
        return writer.bytes
    }

    func mac(with key: SymmetricKey) -> Data {
        Data(HMAC<SHA256>.authenticationCode(for: authenticatedBytes, using: key))
    }

    static func read(_ db: Database, path: String) throws -> StoreHeader {
        guard try db.tableExists("meta") else {
            throw RosterError.notAStore(path: path, detail: "it has no Roster header")
        }
        var values: [String: DatabaseValue] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT key, value FROM meta") {
            values[row["key"]] = row["value"] as DatabaseValue
        }
        func text(_ key: String) throws -> String {
            guard let value = values[key].flatMap({ String.fromDatabaseValue($0) }) else {
                throw RosterError.notAStore(path: path, detail: "its header lacks \(key)")
            }
            return value
        }
        func blob(_ key: String) throws -> Data {
            guard let value = values[key].flatMap({ Data.fromDatabaseValue($0) }) else {
                throw RosterError.notAStore(path: path, detail: "its header lacks \(key)")
            }
            return value
        }
        guard try text("format") == formatName else {
            throw RosterError.notAStore(path: path, detail: "unknown format")
        }
        let version = Int(try text("formatVersion")) ?? 0
        guard version == formatVersion else {
            throw RosterError.notAStore(
                path: path, detail: "format version \(version); this build reads version \(formatVersion)")
        }
        guard let protection = KeyProtection(rawValue: try text("keyProtection")),
            let logN = Int(try text("kdfLogN")), (10...30).contains(logN),
            let createdAt = Int64(try text("createdAt"))
        else {
            throw RosterError.integrity(what: "the store header")
        }
        var header = StoreHeader(
            region: try text("region"), timeZone: try text("timeZone"), keyProtection: protection,
            storeID: Array(try blob("storeID")), kdfSalt: Array(try blob("kdfSalt")), kdfLogN: logN,
            wrappedRootKey: try blob("wrappedRootKey"), sealedAppKey: try blob("sealedAppKey"),
            createdAt: createdAt, headerMAC: try blob("headerMAC"))
        if let rule = values["leapDayRule"].flatMap({ String.fromDatabaseValue($0) }) {
            guard let parsed = LeapDayRule(rawValue: rule) else {
                throw RosterError.integrity(what: "the store header")
            }
            header.leapDayRule = parsed
        }
        return header
    }

    func write(_ db: Database) throws {
        let entries: [(String, DatabaseValueConvertible)] = [
            ("format", Self.formatName), ("formatVersion", String(Self.formatVersion)),
            ("storeID", Data(storeID)), ("region", region), ("timeZone", timeZone),
            ("keyProtection", keyProtection.rawValue), ("kdfSalt", Data(kdfSalt)), ("kdfLogN", String(kdfLogN)),
            ("wrappedRootKey", wrappedRootKey), ("sealedAppKey", sealedAppKey), ("createdAt", String(createdAt)),
            ("headerMAC", headerMAC), ("leapDayRule", leapDayRule.rawValue),
        ]
        for (key, value) in entries {
            try db.execute(sql: "INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", arguments: [key, value])
        }
    }
}
