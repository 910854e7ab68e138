import Foundation
import GRDB
import Testing

@testable import RosterCore
@testable import RosterModel

@Suite("roster check: a whole store verified, each problem in words")
struct StoreCheckTests {
    /// A store with two customers (one with a device), a query's snapshot and some audit entries.
    private func populated(_ dir: TemporaryDirectory) throws -> Store {
        let store = try dir.makeStore()
        _ = try store.addCustomer(
            crmId: "A", email: "ana@example.com", phone: try PhoneNumber.parseInternational("+34600112233"),
            fields: [("score", "5"), ("city", "Madrid")])
        _ = try store.addCustomer(crmId: "B", email: "bob@example.com", fields: [("score", "7")])
        _ = try store.registerDevice(DeviceRegistration(platform: .webpush, deviceId: "dev-1", locale: "es-ES"))
        _ = try store.login("dev-1", crmId: "B")
        _ = try store.loadWorkingSet()
        return store
    }

    @Test("an untouched store checks clean")
    func clean() throws {
        let dir = try TemporaryDirectory()
        let report = try populated(dir).check()
        #expect(report.problems == [])
        #expect(report.customers == 2 && report.devices == 1)
        #expect(report.indexEntries == 6)
    }

    @Test("a deleted emailIndex row is found, and named as an address that would look free")
    func deletedEmailIndex() throws {
        let dir = try TemporaryDirectory()
        let store = try populated(dir)
        try store.db.write {
            try $0.execute(sql: "DELETE FROM emailIndex WHERE customerId = (SELECT MIN(customerId) FROM emailIndex)")
        }
        let report = try store.check()
        #expect(report.problems.count == 1)
        #expect(report.problems.first?.area == "indexes")
        #expect(report.problems.first?.message.contains("email of customer") == true)
        #expect(report.problems.first?.message.contains("look free") == true)
    }

    @Test("an index entry moved to another customer is found from both sides")
    func movedIndexEntry() throws {
        let dir = try TemporaryDirectory()
        let store = try populated(dir)
        let a = try store.customer("A")
        let b = try store.customer("B")
        try store.db.write {
            try $0.execute(
                sql: "UPDATE phoneIndex SET customerId = ? WHERE customerId = ?", arguments: [b.rowID, a.rowID])
        }
        let messages = try store.check().problems.map(\.message)
        #expect(
            messages.contains { $0.contains("phone of customer \(a.externalCode) is indexed as customer #\(b.rowID)") })
        #expect(messages.contains { $0.contains("does not hold that phone") })
    }

    @Test("an edited field type is caught by its MAC, at unlock and by check")
    func editedFieldType() throws {
        let dir = try TemporaryDirectory()
        let store = try populated(dir)
        try store.db.write { try $0.execute(sql: "UPDATE field SET type = 'text' WHERE key = 'score'") }
        try store.close()
        let key = KeySource.keyFile(path: dir.file("store.key"))
        #expect(throws: RosterError.self) { try Store.open(at: dir.file("store.roster"), key: key) }
        let checked = try Store.open(at: dir.file("store.roster"), key: key, forCheck: true)
        let problems = try checked.check().problems
        #expect(problems.contains { $0.area == "fields" && $0.message.contains("field score was altered") })
    }

    @Test("a field registry written before field MACs is authenticated once, then guarded")
    func legacyFieldTypes() throws {
        let dir = try TemporaryDirectory()
        let store = try populated(dir)
        try store.db.write { db in
            try db.execute(sql: "UPDATE field SET mac = NULL")
            try db.execute(sql: "INSERT OR REPLACE INTO meta(key, value) VALUES ('fieldMACs', CAST('pending' AS BLOB))")
        }
        try store.close()
        let key = KeySource.keyFile(path: dir.file("store.key"))
        let upgraded = try Store.open(at: dir.file("store.roster"), key: key)
        #expect(try upgraded.check().problems == [])
        try upgraded.db.write { try $0.execute(sql: "UPDATE field SET mac = NULL WHERE key = 'city'") }
        #expect(try upgraded.check().problems.contains { $0.message.contains("field city has no MAC") })
    }

    @Test("an altered record, an altered audit entry and a stale snapshot row are each reported")
    func alteredRecordAuditAndSnapshot() throws {
        let dir = try TemporaryDirectory()
        let store = try populated(dir)
        let a = try store.customer("A")
        try store.db.write { db in
            try db.execute(
                sql: "UPDATE customer SET record = substr(record, 1, 20) || X'00' || substr(record, 22) WHERE id = ?",
                arguments: [a.rowID])
            try db.execute(sql: "UPDATE audit SET detail = 'nothing happened' WHERE id = 1")
            // The change log is cleared as a snapshot save does, so the altered record is expected to match it.
            try db.execute(sql: "DELETE FROM workingSetChange")
        }
        let report = try store.check()
        let areas = Set(report.problems.map(\.area))
        #expect(areas.isSuperset(of: ["records", "audit"]), "\(report.problems)")
        #expect(report.problems.contains { $0.message.contains("customer #\(a.rowID) does not open") })
    }
}
