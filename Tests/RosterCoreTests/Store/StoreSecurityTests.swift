import Crypto
import Foundation
import GRDB
import Testing

@testable import RosterCore
@testable import RosterModel

@Suite("Store: keys, encryption at rest, integrity")
struct StoreSecurityTests {
    @Test("no personal value appears in plaintext in the store file or its WAL after writes")
    func noPlaintextOnDisk() throws {
        let dir = try TemporaryDirectory()
        let store = try dir.makeStore()
        let secrets = [
            "CRM-SECRET-4711", "zoe.quintana@example.org", "+34600987654", "Zoë Quintana", "Calle Falsa 123",
            "3f1c2d9e-7b44-4c1a-9a55-2c6f0f7e8d31", "push-token-XYZ-998877", "Mozilla-Firefox-Secret",
        ]
        _ = try store.addCustomer(
            crmId: secrets[0], email: secrets[1], phone: try PhoneNumber.parseInternational(secrets[2]),
            fields: [("name", secrets[3]), ("address", secrets[4])])
        var registration = DeviceRegistration(platform: .webpush, deviceId: secrets[5], locale: "es-ES")
        registration.pushToken = secrets[6]
        registration.browserName = secrets[7]
        _ = try store.registerDevice(registration)
        _ = try store.login(secrets[5], crmId: secrets[0])
        _ = try store.set(secrets[0], field: "city", value: "Villarrubia de los Ojos")

        let bytes = dir.storeBytes()
        #expect(bytes.count > 4096)
        for secret in secrets + ["Villarrubia de los Ojos", "600987654"] {
            #expect(!bytes.contains(bytes: Array(secret.utf8)), "\(secret) is readable in the store files")
        }
        // The values are really there, just sealed.
        #expect(try store.customer("CRM-SECRET-4711").fields["name"]?.value == "Zoë Quintana")
    }

    @Test("store files are created with mode 0600")
    func privateFileMode() throws {
        let dir = try TemporaryDirectory()
        _ = try dir.makeStore()
        #expect(FileSecurity.mode(of: dir.file("store.roster")) == 0o600)
        #expect(FileSecurity.mode(of: dir.file("store.key")) == 0o600)
    }

    @Test("a wrong passphrase is refused, naming the store, and nothing is read")
    func wrongPassphrase() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("p.roster")
        try Store.create(at: path, region: "eu", key: .passphrase("right passphrase")).close()
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(throws: RosterError.wrongKey(path: path, usingKeyFile: nil)) {
            try Store.open(at: path, key: .passphrase("wrong passphrase"))
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
        #expect(!FileManager.default.fileExists(atPath: path + "-wal") || dataIsEmpty(path + "-wal"))
        #expect(RosterError.wrongKey(path: path, usingKeyFile: nil).description.contains(path))
        #expect(try Store.open(at: path, key: .passphrase("right passphrase")).region == "eu")
    }

    @Test("another key file is refused; a passphrase on a key-file store says what it needs")
    func wrongKeyFile() throws {
        let dir = try TemporaryDirectory()
        _ = try dir.makeStore()
        let other = dir.file("other.key")
        try KeyFile.create(at: other)
        let path = dir.file("store.roster")
        #expect(throws: RosterError.wrongKey(path: path, usingKeyFile: other)) {
            try Store.open(at: path, key: .keyFile(path: other))
        }
        #expect(throws: RosterError.keyKindMismatch(path: path, needsKeyFile: true)) {
            try Store.open(at: path, key: .passphrase("anything at all"))
        }
    }

    @Test("a missing store says how to create one")
    func missingStore() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("none.roster")
        let error = #expect(throws: RosterError.self) { try Store.open(at: path, key: .passphrase("x")) }
        #expect(error == .storeMissing(path: path))
        #expect(error?.description.contains("roster init") == true)
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test("a file that is not a store is refused")
    func notAStore() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("text.roster")
        try Data("hello, not a database".utf8).write(to: URL(fileURLWithPath: path))
        #expect {
            try Store.open(at: path, key: .passphrase("x"))
        } throws: { error in
            if case .notAStore = error as? RosterError { return true }
            return false
        }
    }

    @Test("a flipped byte in a sealed record is detected, never shown")
    func flippedCiphertextByte() throws {
        let dir = try TemporaryDirectory()
        let store = try dir.makeStore()
        _ = try store.addCustomer(crmId: "CRM-1", email: "ana@example.com", fields: [("name", "Ana")])
        try Self.tamper(dir.file("store.roster")) { db in
            var record = try Data.fetchOne(db, sql: "SELECT record FROM customer")!
            record[record.count / 2] ^= 0x01
            try db.execute(sql: "UPDATE customer SET record = ?", arguments: [record])
        }
        let reopened = try Store.open(at: dir.file("store.roster"), key: .keyFile(path: dir.file("store.key")))
        let error = #expect(throws: RosterError.self) { try reopened.customer("CRM-1") }
        guard case .integrity(let what) = error else {
            Issue.record("expected an integrity error, got \(String(describing: error))")
            return
        }
        #expect(what.contains("customer #1"))
    }

    @Test("records swapped between two customers are detected")
    func swappedRecords() throws {
        let dir = try TemporaryDirectory()
        let store = try dir.makeStore()
        _ = try store.addCustomer(crmId: "CRM-1")
        _ = try store.addCustomer(crmId: "CRM-2")
        try Self.tamper(dir.file("store.roster")) { db in
            let rows = try Row.fetchAll(db, sql: "SELECT id, keySalt, record FROM customer ORDER BY id")
            try db.execute(
                sql: "UPDATE customer SET keySalt = ?, record = ? WHERE id = ?",
                arguments: [rows[1]["keySalt"] as Data, rows[1]["record"] as Data, rows[0]["id"] as Int64])
        }
        let reopened = try Store.open(at: dir.file("store.roster"), key: .keyFile(path: dir.file("store.key")))
        #expect(throws: RosterError.self) { try reopened.customer("CRM-1") }
    }

    @Test("blind-index entries swapped between two customers are detected, by CRM id, externalCode and email")
    func swappedIndexEntries() throws {
        let dir = try TemporaryDirectory()
        let store = try dir.makeStore()
        let ana = try store.addCustomer(crmId: "CRM-1", email: "ana@example.com")
        let bob = try store.addCustomer(crmId: "CRM-2", email: "bob@example.com")
        try Self.tamper(dir.file("store.roster")) { db in
            for table in ["identityIndex", "emailIndex"] {
                try db.execute(
                    sql: "UPDATE \(table) SET customerId = CASE customerId WHEN ? THEN ? ELSE ? END",
                    arguments: [ana.rowID, bob.rowID, ana.rowID])
            }
        }
        let reopened = try Store.open(at: dir.file("store.roster"), key: .keyFile(path: dir.file("store.key")))
        // An import that would update CRM-1 stops: it never updates the customer the moved entry points to.
        let path = dir.file("update.csv")
        try Data("customerId,city\nCRM-1,Lyon\n".utf8).write(to: URL(fileURLWithPath: path))
        let refused = #expect(throws: RosterError.self) {
            try Importer(store: reopened, options: ImportOptions(kind: .contacts, path: path)).run()
        }
        #expect(refused?.isIntegrityFailure == true)
        for id in ["CRM-1", ana.externalCode, ana.externalCode.uppercased(), "ana@example.com"] {
            let error = #expect(throws: RosterError.self, "\(id)") { try reopened.customer(id) }
            guard case .integrity = error else {
                Issue.record("expected an integrity error for \(id), got \(String(describing: error))")
                continue
            }
        }
    }

    @Test("a device moved to another customer by editing its row is detected")
    func movedDevice() throws {
        let dir = try TemporaryDirectory()
        let store = try dir.makeStore()
        _ = try store.addCustomer(crmId: "CRM-1")
        let other = try store.addCustomer(crmId: "CRM-2")
        _ = try store.registerDevice(DeviceRegistration(platform: .android, deviceId: "d-1"))
        _ = try store.login("d-1", crmId: "CRM-1")
        #expect(try store.device("d-1").externalCode == (try store.customer("CRM-1")).externalCode)
        try Self.tamper(dir.file("store.roster")) { db in
            try db.execute(sql: "UPDATE device SET customerId = ?", arguments: [other.rowID])
        }
        let reopened = try Store.open(at: dir.file("store.roster"), key: .keyFile(path: dir.file("store.key")))
        let error = #expect(throws: RosterError.self) { try reopened.device("d-1") }
        #expect(error?.isIntegrityFailure == true)
    }

    @Test("an edited region in the header is detected at unlock")
    func tamperedRegion() throws {
        let dir = try TemporaryDirectory()
        _ = try dir.makeStore(region: "eu")
        try Self.tamper(dir.file("store.roster")) { db in
            try db.execute(sql: "UPDATE meta SET value = 'us' WHERE key = 'region'")
        }
        let error = #expect(throws: RosterError.self) {
            try Store.open(at: dir.file("store.roster"), key: .keyFile(path: dir.file("store.key")))
        }
        guard case .integrity = error else {
            Issue.record("expected an integrity error, got \(String(describing: error))")
            return
        }
    }

    @Test("init refuses to overwrite an existing store")
    func initRefusesExisting() throws {
        let dir = try TemporaryDirectory()
        _ = try dir.makeStore()
        #expect(throws: RosterError.storeExists(path: dir.file("store.roster"))) {
            try dir.makeStore()
        }
    }

    private func dataIsEmpty(_ path: String) -> Bool {
        (FileManager.default.contents(atPath: path) ?? Data()).isEmpty
    }

    /// Edits the raw SQLite file behind Roster's back, as an attacker or a disk fault would.
    static func tamper(_ path: String, _ edit: (Database) throws -> Void) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.write(edit)
        try queue.close()
    }
}
