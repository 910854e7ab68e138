import Foundation
import GRDB
import Testing

@testable import RosterCore
@testable import RosterModel

@Suite("Per-store settings, sealed")
struct StoreSettingsTests {
    @Test("a setting is read back after the store is closed and opened again; nil removes it")
    func roundTrip() throws {
        let dir = try TemporaryDirectory()
        let store = try dir.makeStore()
        #expect(try store.setting(named: "console.columns") == nil)
        try store.setSetting(Data("name,city".utf8), named: "console.columns")
        try store.setSetting(Data([0, 255, 7]), named: "Console.Columns")
        try store.setSetting(Data("city".utf8), named: "console.columns")
        try store.close()

        let reopened = try Store.open(at: dir.file("store.roster"), key: .keyFile(path: dir.file("store.key")))
        #expect(try reopened.setting(named: "console.columns") == Data("city".utf8))
        // Names are exact: another spelling is another setting.
        #expect(try reopened.setting(named: "Console.Columns") == Data([0, 255, 7]))
        try reopened.setSetting(nil, named: "console.columns")
        #expect(try reopened.setting(named: "console.columns") == nil)
        #expect(try reopened.setting(named: "Console.Columns") == Data([0, 255, 7]))
        try reopened.setSetting(nil, named: "never saved")
        #expect(throws: RosterError.self) { try reopened.setSetting(Data(), named: "") }
    }

    @Test("neither a setting's name nor its value is readable in the store files")
    func sealedOnDisk() throws {
        let dir = try TemporaryDirectory()
        let store = try dir.makeStore()
        try store.setSetting(Data("allergy-peanut,score".utf8), named: "columns-of-Zoë-Quintana")
        let bytes = dir.storeBytes()
        for secret in ["allergy-peanut", "columns-of-Zo", "Quintana"] {
            #expect(!bytes.contains(bytes: Array(secret.utf8)), "\(secret) is readable in the store files")
        }
        #expect(try store.setting(named: "columns-of-Zoë-Quintana") == Data("allergy-peanut,score".utf8))
    }

    @Test("a value moved to another setting's row, or into the name column, is an integrity error")
    func swappedRows() throws {
        let dir = try TemporaryDirectory()
        let store = try dir.makeStore()
        try store.setSetting(Data("name".utf8), named: "a")
        try store.setSetting(Data("allergy".utf8), named: "b")
        try store.db.write { db in
            let valueOfB = try Data.fetchOne(
                db, sql: "SELECT value FROM setting WHERE blindIndex = ?",
                arguments: [SealedNames.settings.blindIndex("b", keys: store.keys)])
            try db.execute(
                sql: "UPDATE setting SET value = ? WHERE blindIndex = ?",
                arguments: [valueOfB, SealedNames.settings.blindIndex("a", keys: store.keys)])
        }
        let error = #expect(throws: RosterError.self) { try store.setting(named: "a") }
        #expect(error?.isIntegrityFailure == true)
        #expect(try store.setting(named: "b") == Data("allergy".utf8))

        try store.db.write { db in
            try db.execute(sql: "UPDATE setting SET name = value")
        }
        #expect(throws: RosterError.self) {
            try store.db.read { try SealedNames.settings.all(keys: store.keys, $0) }
        }
    }

    @Test("a store opened with another key cannot find or open the settings of this one")
    func otherStore() throws {
        let dir = try TemporaryDirectory()
        let store = try dir.makeStore()
        try store.setSetting(Data("x".utf8), named: "n")
        let other = try TemporaryDirectory()
        let second = try other.makeStore()
        #expect(try second.setting(named: "n") == nil)
        #expect(
            SealedNames.settings.blindIndex("n", keys: store.keys)
                != SealedNames.settings.blindIndex("n", keys: second.keys))
    }
}
