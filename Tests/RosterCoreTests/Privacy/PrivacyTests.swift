import Foundation
import GRDB
import Testing

@testable import RosterCore
@testable import RosterModel

@Suite("Privacy: access, erasure, suppression, audit, region")
struct PrivacyTests {
    let dir: TemporaryDirectory
    let store: Store

    init() throws {
        dir = try TemporaryDirectory()
        store = try dir.makeStore()
    }

    func seedCustomer() throws -> Customer {
        _ = try store.addCustomer(
            crmId: "CRM-P1", email: "paula@example.com", phone: try PhoneNumber.parseInternational("+34600111222"),
            fields: [("name", "Paula Ibáñez"), ("birthdate", "1991-07-14")])
        _ = try store.setConsent("CRM-P1", channel: .sms, enabled: false)
        _ = try store.registerDevice(DeviceRegistration(platform: .ios, deviceId: "dev-paula", locale: "es-ES"))
        return try store.customer(try store.login("dev-paula", crmId: "CRM-P1").externalCode!)
    }

    @Test("the access export holds everything written about the customer, with the region and its audit trail")
    func accessExport() throws {
        let customer = try seedCustomer()
        let text = try store.accessExport("paula@example.com").rendered()
        let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
        #expect(object?["region"] as? String == "eu")
        #expect(object?["crmId"] as? String == "CRM-P1")
        #expect(object?["externalCode"] as? String == customer.externalCode)
        #expect(object?["email"] as? String == "paula@example.com")
        #expect(object?["phone"] as? String == "+34600111222")
        #expect((object?["consent"] as? [String: Bool])?["sms"] == false)
        let fields = object?["fields"] as? [String: [String: String]]
        #expect(fields?["name"]?["value"] == "Paula Ibáñez")
        #expect(fields?["birthdate"]?["type"] == "date")
        let devices = object?["devices"] as? [[String: Any]]
        #expect(devices?.first?["deviceId"] as? String == "dev-paula")
        let audit = object?["audit"] as? [[String: Any]]
        #expect(audit?.map { $0["action"] as? String }.contains("consent") == true)
    }

    @Test("after erasure no command finds the customer and its sealed bytes are gone from the store files")
    func erasure() throws {
        let customer = try seedCustomer()
        _ = try store.loadWorkingSet()
        let sealed = try store.db.read { db in
            try Data.fetchOne(db, sql: "SELECT record FROM customer WHERE id = ?", arguments: [customer.rowID])!
        }
        let copy = dir.file("before-erasure.roster")
        try store.db.writeWithoutTransaction { try $0.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
        try FileManager.default.copyItem(atPath: dir.file("store.roster"), toPath: copy)

        let report = try store.erase("CRM-P1", suppress: false)
        #expect(report.devices == 1)
        for id in ["CRM-P1", customer.externalCode, "paula@example.com", "+34600111222", "dev-paula"] {
            #expect(throws: RosterError.unknownID(id)) { try store.resolve(id) }
        }
        #expect(try store.loadWorkingSet().count == 0)
        let bytes = dir.storeBytes()
        #expect(!bytes.contains(bytes: Array(sealed.prefix(48))), "the sealed record is still in the store files")
        #expect(try store.verifyAudit().isEmpty)
        #expect(try store.auditEntries().last?.action == .erase)

        // What the README states: a copy made before the erasure still opens with the same key file.
        let old = try Store.open(at: copy, key: .keyFile(path: dir.file("store.key")))
        #expect(try old.customer("CRM-P1").email == "paula@example.com")
    }

    @Test("a suppressed customer is refused when added or imported again")
    func suppression() throws {
        _ = try seedCustomer()
        _ = try store.erase("CRM-P1", suppress: true)
        #expect(throws: RosterError.self) { try store.addCustomer(crmId: "CRM-P1") }
        #expect(throws: RosterError.self) { try store.addCustomer(crmId: "CRM-OTHER", email: "paula@example.com") }
        let path = dir.file("again.csv")
        try Data("customerId,email\nCRM-P1,x@example.com\nCRM-NEW,new@example.com\n".utf8).write(
            to: URL(fileURLWithPath: path))
        let summary = try Importer(store: store, options: ImportOptions(kind: .contacts, path: path)).run()
        #expect(summary.rejects.map(\.line) == [2])
        #expect(summary.rejects.first?.reason.contains("suppressed") == true)
        #expect(summary.created == 1)
    }

    @Test("audit --verify detects an edited, a removed and a truncated entry")
    func auditChain() throws {
        _ = try seedCustomer()
        _ = try store.set("CRM-P1", field: "city", value: "Huelva")
        #expect(try store.verifyAudit().isEmpty)
        let entries = try store.auditEntries()
        #expect(entries.count >= 3)
        #expect(entries.allSatisfy { !$0.detail.contains("Huelva") && !$0.subject.contains("CRM-P1") })

        func tampered(_ sql: String) throws -> [String] {
            let other = try TemporaryDirectory()
            let copy = other.file("store.roster")
            try store.db.writeWithoutTransaction { try $0.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
            try FileManager.default.copyItem(atPath: dir.file("store.roster"), toPath: copy)
            try StoreSecurityTests.tamper(copy) { try $0.execute(sql: sql) }
            return try Store.open(at: copy, key: .keyFile(path: dir.file("store.key"))).verifyAudit()
        }
        #expect(try !tampered("UPDATE audit SET detail = 'nothing to see' WHERE id = 2").isEmpty)
        #expect(try !tampered("DELETE FROM audit WHERE id = 2").isEmpty)
        #expect(try !tampered("DELETE FROM audit WHERE id = (SELECT MAX(id) FROM audit)").isEmpty)
        #expect(try !tampered("UPDATE audit SET actor = 'someone-else'").isEmpty)
        #expect(try !tampered("DELETE FROM audit; DELETE FROM meta WHERE key = 'auditHead'").isEmpty)
    }

    @Test("a jsonl export from another region is refused, naming both regions")
    func crossRegion() throws {
        _ = try seedCustomer()
        let export = dir.file("eu.jsonl")
        #expect(FileManager.default.createFile(atPath: export, contents: nil))
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: export))
        try CustomerExport(format: .jsonl).write(from: store) { try handle.write(contentsOf: $0) }
        try handle.close()

        let other = try TemporaryDirectory()
        let us = try other.makeStore(region: "us")
        let error = #expect(throws: RosterError.self) {
            try Importer(store: us, options: ImportOptions(kind: .jsonl, path: export)).run()
        }
        #expect(error?.description.contains("region eu") == true)
        #expect(error?.description.contains("region us") == true)
        #expect(try us.customerCount() == 0)
    }
}
