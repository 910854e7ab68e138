import Crypto
import Foundation
import GRDB
import RosterModel

/// The field registry (`field`: key, name, type), authenticated row by row like the store header.
///
/// A field's type decides how every value of it is validated and compared; an edited type would silently turn
/// `score` into text or `birthdate` into a number. Each row carries an HMAC (under the header key, with its own
/// domain prefix) over its key, name and type, written by `writeFieldType` — the one function that writes a field's
/// type, for the CLI, the import paths and `roster field` alike — and checked whenever the registry is loaded.
///
/// Stores made before the MAC existed get their rows authenticated once, at the first open by a version that has
/// it (`meta.fieldMACs` is `pending` until then, `on` after); from then on a row without a MAC is an error.
extension Store {
    /// Registers a field (or, with `replacing`, changes its name or type) with its MAC; with `ifAbsent`, a field
    /// already registered is left as it is.
    func writeFieldType(
        _ db: Database, key: String, name: String, type: FieldType, ifAbsent: Bool = false, replacing: Bool = false
    ) throws {
        let verb = replacing ? "INSERT OR REPLACE" : ifAbsent ? "INSERT OR IGNORE" : "INSERT"
        try db.execute(
            sql: "\(verb) INTO field(key, name, type, mac) VALUES (?, ?, ?, ?)",
            arguments: [key, name, type.rawValue, fieldTypeMAC(key: key, name: name, type: type.rawValue)])
    }

    /// The MAC of one registry row.
    func fieldTypeMAC(key: String, name: String, type: String) -> Data {
        var message = Array("roster/v1|field-type\u{0}".utf8)
        for part in [key, name, type] {
            message += Array(part.utf8)
            message.append(0)
        }
        return Data(HMAC<SHA256>.authenticationCode(for: message, using: keys.headerKey))
    }

    /// Whether the registry rows of this store carry MACs yet (false only for a store not upgraded).
    func fieldTypesAuthenticated(_ db: Database) throws -> Bool {
        let marker = try Data.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'fieldMACs'")
        return marker.map { String(decoding: $0, as: UTF8.self) } != "pending"
    }

    /// What is wrong with one registry row, in words, or nil when it is authentic.
    func fieldTypeProblem(_ row: Row, authenticated: Bool) -> String? {
        let key: String = row["key"]
        let name: String = row["name"]
        let type: String = row["type"]
        guard FieldType(rawValue: type) != nil else {
            return "field \(TerminalText.escape(key)) has the type \"\(TerminalText.escape(type))\", which is none"
        }
        guard let mac: Data = row["mac"] else {
            return authenticated ? "field \(TerminalText.escape(key)) has no MAC (its row was replaced or forged)" : nil
        }
        guard mac == fieldTypeMAC(key: key, name: name, type: type) else {
            return "the type or name of field \(TerminalText.escape(key)) was altered (its MAC does not match)"
        }
        return nil
    }

    /// Authenticates the registry of a store made before field MACs, once; a read-only open leaves it for later.
    func authenticateLegacyFieldTypes() throws {
        let pending = try db.read { try !fieldTypesAuthenticated($0) }
        guard pending else { return }
        try db.write { db in
            for row in try Row.fetchAll(db, sql: "SELECT key, name, type FROM field WHERE mac IS NULL") {
                try db.execute(
                    sql: "UPDATE field SET mac = ? WHERE key = ?",
                    arguments: [fieldTypeMAC(key: row["key"], name: row["name"], type: row["type"]), row["key"]])
            }
            try db.execute(sql: "UPDATE meta SET value = ? WHERE key = 'fieldMACs'", arguments: [Data("on".utf8)])
        }
    }
}
