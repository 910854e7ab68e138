import Crypto
import Foundation
import GRDB

/// Per-store settings: small values a program keeps with the store (the console's column choice), by name.
///
/// A setting's name and value can hold personal words (a field name such as `allergy`), so both are sealed, and the
/// row is found by the blind index of its name (`setting.blindIndex`). Both ciphertexts are bound to that blind index
/// and their column, so a value moved to another name's row, or a name and value swapped, fails to open: an
/// integrity error, not a wrong setting. (Like any row, an older copy of one row can be put back by someone who can
/// write the file; what it says was true once.)
///
/// Saved segments (`segment`) are kept the same way (`SealedNames`), with names compared case-insensitively.
extension Store {
    /// The settings that remember a list's columns begin with this (`console.columns.customers`): a JSON array of
    /// column names, a field by its lower-cased key. Renaming a field renames it there too.
    public static let columnsSettingPrefix = "console.columns."

    /// The value of a setting, or nil when none was saved under `name`.
    public func setting(named name: String) throws -> Data? {
        try db.read { try SealedNames.settings.value(named: name, keys: keys, $0) }.map { Data($0) }
    }

    /// Saves a setting (a write of its own, durable when this returns); nil removes it. Like any write it moves the
    /// store's data version, so a bulk import that copied the store meanwhile does not swap the setting away; the
    /// working-set snapshot stays usable (no customer changed). A long-running process calls it inside `use`.
    public func setSetting(_ value: Data?, named name: String) throws {
        guard !name.isEmpty else { throw RosterError.invalidValue(.emptySettingName) }
        try write { db in
            if let value {
                try SealedNames.settings.save(Array(value), named: name, keys: keys, db)
            } else {
                _ = try SealedNames.settings.remove(named: name, keys: keys, db)
            }
        }
    }
}

/// One table of sealed names and values (`blindIndex`, `name`, `value`), found by the blind index of the name.
struct SealedNames {
    /// The table.
    let table: String
    /// What a row is, in an error message ("a setting").
    let what: String
    /// The form of a name its blind index is computed over (identity for settings, lower case for segments).
    let key: @Sendable (String) -> String

    static let settings = SealedNames(table: "setting", what: "a setting", key: { $0 })

    /// The blind index of a name; the table name is part of the message, so one name has another index per table.
    func blindIndex(_ name: String, keys: KeyRing) -> Data {
        Data(keys.settingIndex.code(Array("\(table)\u{0}\(key(name))".utf8)).prefix(16))
    }

    /// The associated data of one column of one row: the table, the row's blind index and the column.
    private func associatedData(_ blindIndex: Data, column: String) -> [UInt8] {
        Array("roster/v1|\(table)|\(blindIndex.map { String(format: "%02x", $0) }.joined())|\(column)".utf8)
    }

    private func seal(_ plain: [UInt8], _ blindIndex: Data, column: String, keys: KeyRing) throws -> Data {
        try keys.settingKey.withUnsafeBytes {
            try Sealer.seal(
                plain, key: $0, associatedData: associatedData(blindIndex, column: column),
                context: SealContext(kind: table, id: 0, column: column))
        }
    }

    private func open(_ sealed: Data, _ blindIndex: Data, column: String, keys: KeyRing) throws -> [UInt8] {
        let plain = keys.settingKey.withUnsafeBytes { key in
            sealed.withUnsafeBytes {
                Sealer.open($0, key: key, associatedData: associatedData(blindIndex, column: column))
            }
        }
        guard let plain else {
            throw RosterError.integrity(what: "\(what) in the store (its \(column) was altered or moved between rows)")
        }
        return plain
    }

    /// The value saved under `name`, or nil.
    func value(named name: String, keys: KeyRing, _ db: Database) throws -> [UInt8]? {
        let index = blindIndex(name, keys: keys)
        guard
            let sealed = try Data.fetchOne(
                db, sql: "SELECT value FROM \(table) WHERE blindIndex = ?", arguments: [index])
        else { return nil }
        return try open(sealed, index, column: "value", keys: keys)
    }

    /// Saves `value` under `name`, replacing what was saved under it (or under another spelling of it).
    func save(_ value: [UInt8], named name: String, keys: KeyRing, _ db: Database) throws {
        let index = blindIndex(name, keys: keys)
        try db.execute(
            sql: "INSERT OR REPLACE INTO \(table)(blindIndex, name, value) VALUES (?, ?, ?)",
            arguments: [
                index, try seal(Array(name.utf8), index, column: "name", keys: keys),
                try seal(value, index, column: "value", keys: keys),
            ])
    }

    /// Removes what is saved under `name`; whether there was something.
    func remove(named name: String, keys: KeyRing, _ db: Database) throws -> Bool {
        try db.execute(sql: "DELETE FROM \(table) WHERE blindIndex = ?", arguments: [blindIndex(name, keys: keys)])
        return db.changesCount > 0
    }

    /// Every row, unsealed, in no particular order; a row whose name does not give back its blind index is damage.
    func all(keys: KeyRing, _ db: Database) throws -> [(name: String, value: [UInt8])] {
        try Row.fetchAll(db, sql: "SELECT blindIndex, name, value FROM \(table)").map { row in
            let index: Data = row["blindIndex"]
            let name = String(decoding: try open(row["name"], index, column: "name", keys: keys), as: UTF8.self)
            guard blindIndex(name, keys: keys) == index else {
                throw RosterError.integrity(what: "\(what) in the store (its name does not match its index)")
            }
            return (name, try open(row["value"], index, column: "value", keys: keys))
        }
    }
}
