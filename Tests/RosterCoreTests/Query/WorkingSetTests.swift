import Foundation
import GRDB
import Testing

@testable import RosterCore
@testable import RosterDemo
@testable import RosterModel

@Suite("Working set: compact columns")
struct CompactWorkingSetTests {
    @Test("a text column keeps missing, empty, NUL-holding and non-ASCII values apart")
    func textColumn() {
        let values: [String?] = [nil, "", "Ana", "a\u{0}b", "Zoë 山田 🎉", nil, " "]
        let column = TextColumn(values)
        #expect(column.count == values.count)
        #expect((0..<values.count).map { column[$0] } == values)
        #expect((0..<values.count).map(column.isPresent) == values.map { $0 != nil })
        #expect((0..<values.count).map(column.length) == values.map { $0?.utf8.count ?? 0 })
        #expect((0..<values.count).map(column.isBlank) == [true, true, false, false, false, true, true])
        #expect(column.bytes.count == values.compactMap { $0 }.reduce(0) { $0 + $1.utf8.count + 1 })
    }

    @Test("externalCodes are kept as 32 bytes and read back as lowercase hex; consent as bits")
    func codesAndConsent() {
        let codes = (0..<3).map { QueryFixtures.externalCode(row: $0) }
        let column = ExternalCodeColumn(codes + ["ABCDEF" + String(repeating: "0", count: 58)])
        #expect(column.raw.count == 4 * 32)
        #expect((0..<3).map { column[$0] } == codes)
        #expect(column[3] == "abcdef" + String(repeating: "0", count: 58))
        let consent = [
            Consent.allEnabled, Consent(email: false, sms: true, push: false),
            .init(email: true, sms: false, push: true),
        ]
        let bits = ConsentColumn(consent)
        #expect((0..<3).map { bits[$0] } == consent)
    }

    @Test("accessors read one customer without building the others")
    func accessors() {
        let customers = [
            templateCustomer(
                rowID: 7, externalCode: QueryFixtures.externalCode(row: 7), email: "a@x.es", fields: ["name": "Ana"]),
            templateCustomer(rowID: 9, externalCode: QueryFixtures.externalCode(row: 9), phone: "+34600112233"),
        ]
        let set = WorkingSet(customers: customers, deviceCounts: [9: 2])
        #expect(set.count == 2)
        #expect(set.rowID(at: 1) == 9)
        #expect(set.externalCode(at: 0) == QueryFixtures.externalCode(row: 7))
        #expect(set.crmId(at: 0) == customers[0].crmId)
        #expect(set.email(at: 0) == "a@x.es")
        #expect(set.email(at: 1) == nil)
        #expect(set.phone(at: 1) == "+34600112233")
        #expect(set.deviceCount(at: 1) == 2)
        #expect(set.consent(at: 0) == .allEnabled)
        #expect(set.value(column: set.columnIndex(named: "Name")!, at: 0) == "Ana")
        #expect(set.value(column: set.columnIndex(named: "name")!, at: 1) == nil)
    }

    @Test("folded columns (emails, phones) are searched in place; others are folded")
    func foldedInPlace() throws {
        #expect(TextColumn(["ana@x.es", nil, "+34600112233", ""]).isFolded)
        #expect(!TextColumn(["Ana"]).isFolded)
        #expect(!TextColumn(["josé"]).isFolded)
        #expect(!TextColumn(["a\u{0}b"]).isFolded)
        // Eight bytes at a time, with NULs and control bytes next to each other and upper case past the first word.
        #expect(TextColumn(["\u{1}", "", "\u{1}\u{1}", nil, "abcdefghijklmnopq", "+34600112233"]).isFolded)
        #expect(!TextColumn(["abcdefgh", "ijklmnoP"]).isFolded)
        #expect(!TextColumn(["abcdefgh", "ijklm\u{0}\u{1}"]).isFolded)
        #expect(!TextColumn(["abcdefgh@", "ijklmno\u{E9}"]).isFolded)
        let people = [
            Person(city: "Madrid", email: "ana@x.es"), Person(city: nil, email: nil), Person(city: "", email: "b@x.es"),
        ]
        let set = QueryFixtures.workingSet(people)
        #expect(try QueryFixtures.rows("email ~ \"x.es\"", in: set) == [0, 2])
        #expect(try QueryFixtures.rows("city = \"\"", in: set) == [1, 2])
        #expect(try QueryFixtures.rows("city != \"\"", in: set) == [0])
        #expect(try QueryFixtures.rows("has email", in: set) == [0, 2])
        #expect(try QueryFixtures.rows("city ~ MADR", in: set) == [0])
    }

    @Test("a patch drops, replaces and inserts rows by row id and follows the field registry")
    func patch() {
        func set(_ rows: [(Int64, String?, String?)], fields: [String]) -> WorkingSet {
            WorkingSet(
                rowIDs: rows.map(\.0), externalCodes: rows.map { QueryFixtures.externalCode(row: Int($0.0)) },
                crmIds: rows.map { "CRM-\($0.0)" }, emails: rows.map(\.1), phones: rows.map { _ in nil },
                consent: rows.map { _ in .allEnabled }, deviceCounts: rows.map { Int32($0.0 % 3) },
                columns: fields.map { name in .init(name: name, type: .text, values: rows.map(\.2)) })
        }
        var old = set(
            [(1, "a@x", "A"), (2, "b@x", "B"), (4, nil, "D"), (5, "e@x", nil), (7, "g@x", "G")], fields: ["name"])
        let fresh = set([(2, "b2@x", "B2"), (3, "c@x", "C"), (8, nil, "H")], fields: ["city", "name"])
        let layout = WorkingSetLayout(fields: [
            .init(key: "city", name: "city", type: .text), .init(key: "name", name: "name", type: .text),
        ])
        let patched = WorkingSetPatch.apply(to: &old, removing: [2, 3, 5, 8], adding: fresh, layout: layout)
        #expect(patched.rowIDs == [1, 2, 3, 4, 7, 8])
        #expect((0..<6).map(patched.email) == ["a@x", "b2@x", "c@x", nil, "g@x", nil])
        #expect((0..<6).map(patched.crmId) == ["CRM-1", "CRM-2", "CRM-3", "CRM-4", "CRM-7", "CRM-8"])
        #expect((0..<6).map(patched.externalCode) == [1, 2, 3, 4, 7, 8].map { QueryFixtures.externalCode(row: $0) })
        #expect(patched.columns.map(\.key) == ["city", "name"])
        #expect((0..<6).map { patched.value(column: 1, at: $0) } == ["A", "B2", "C", "D", "G", "H"])
        #expect((0..<6).map { patched.value(column: 0, at: $0) } == [nil, "B2", "C", nil, nil, "H"])
        #expect(patched.deviceCounts == [1, 2, 0, 1, 1, 2])
    }
}

@Suite("Working set: snapshot and changes in a store")
struct WorkingSetStoreTests {
    let dir: TemporaryDirectory
    let store: Store

    init() throws {
        dir = try TemporaryDirectory()
        store = try dir.makeStore()
        for index in 1...40 {
            _ = try store.addCustomer(
                crmId: "CRM-\(index)", email: index % 3 == 0 ? nil : "user\(index)@example.com",
                phone: index % 4 == 0
                    ? try PhoneNumber.parseInternational("+3460011\(String(format: "%04d", index))") : nil,
                fields: [
                    ("Name", "Núñez \(index)"), ("birthdate", "1990-03-\(String(format: "%02d", index % 28 + 1))"),
                ])
        }
    }

    /// The working set as the store's sealed records say, built customer by customer.
    func expected() throws -> WorkingSet {
        let rowIDs = try store.db.read { try Int64.fetchAll($0, sql: "SELECT id FROM customer ORDER BY id") }
        let devices = try store.db.read { db in
            try Dictionary(
                uniqueKeysWithValues: Row.fetchAll(
                    db, sql: "SELECT customerId, COUNT(*) FROM device WHERE customerId IS NOT NULL GROUP BY 1"
                ).map { ($0[0] as Int64, $0[1] as Int) })
        }
        let customers = try rowIDs.map { try store.customer(rowID: $0) }
        let names = Dictionary(uniqueKeysWithValues: store.fields.map { ($0.name.lowercased(), $0.name) })
        return WorkingSet(customers: customers, deviceCounts: devices, fieldNames: names)
    }

    func changeCount() throws -> Int {
        try store.db.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM workingSetChange") ?? -1 }
    }

    @Test("the first load decrypts every customer and saves the snapshot; the next one loads it as it was")
    func roundTrip() throws {
        let first = try store.loadWorkingSetReporting()
        #expect(first.source == .scan)
        expectSame(first.set, try expected())
        let second = try store.loadWorkingSetReporting()
        #expect(second.source == .snapshot)
        expectSame(second.set, first.set)
        #expect(try changeCount() == 0)
    }

    @Test("a field set, a consent change and a new customer are patched in, not rescanned")
    func patchedAfterWrites() throws {
        _ = try store.loadWorkingSet()
        _ = try store.set("CRM-5", field: "city", value: "Sevilla")
        _ = try store.setConsent("CRM-6", channel: .email, enabled: false)
        _ = try store.addCustomer(crmId: "CRM-NEW", email: "new@example.com", fields: [("name", "Nuevo")])
        #expect(try changeCount() == 3)
        let loaded = try store.loadWorkingSetReporting()
        #expect(loaded.source == .patched(changes: 3))
        expectSame(loaded.set, try expected())
        let index = FilterIndex(loaded.set)
        #expect(try index.count(Filter.parse("city = sevilla"), context: .fixed("2026-03-15")) == 1)
        #expect(try index.count(Filter.parse("name ~ nuevo"), context: .fixed("2026-03-15")) == 1)
    }

    @Test("devices logged in and out change the device counts through the change table")
    func devices() throws {
        _ = try store.loadWorkingSet()
        _ = try store.registerDevice(DeviceRegistration(platform: .webpush, deviceId: "dev-1", locale: "es-ES"))
        _ = try store.login("dev-1", crmId: "CRM-7")
        var loaded = try store.loadWorkingSetReporting()
        #expect(loaded.source == .patched(changes: 1))
        expectSame(loaded.set, try expected())
        #expect(loaded.set.deviceCount(at: loaded.set.rowIDs.firstIndex(of: 7)!) == 1)
        _ = try store.login("dev-1", crmId: "CRM-8")
        loaded = try store.loadWorkingSetReporting()
        #expect(loaded.source == .patched(changes: 2))
        expectSame(loaded.set, try expected())
        #expect(loaded.set.deviceCount(at: loaded.set.rowIDs.firstIndex(of: 7)!) == 0)
        #expect(loaded.set.deviceCount(at: loaded.set.rowIDs.firstIndex(of: 8)!) == 1)
    }

    @Test("an erasure replaces the snapshot with one without the customer, in its own transaction")
    func erasure() throws {
        _ = try store.loadWorkingSet()
        _ = try store.erase("CRM-3", suppress: false)
        let loaded = try store.loadWorkingSetReporting()
        #expect(loaded.source == .patched(changes: 0), "no customer is decrypted")
        #expect(loaded.set.count == 39)
        expectSame(loaded.set, try expected())
        #expect(try changeCount() == 0)
    }

    @Test("incremental imports are patched in")
    func imports() throws {
        _ = try store.loadWorkingSet()
        let small = dir.file("small.csv")
        try Data("customerId,email,city\nCRM-1,user1@example.com,Lyon\nCRM-NEW,n@example.com,Porto\n".utf8).write(
            to: URL(fileURLWithPath: small))
        _ = try Importer(store: store, options: ImportOptions(kind: .contacts, path: small)).run()
        let patched = try store.loadWorkingSetReporting()
        #expect(patched.source == .patched(changes: 2))
        expectSame(patched.set, try expected())

        let big = dir.file("big.csv")
        let lines = (10...30).map { "CRM-\($0),Bilbao" }.joined(separator: "\n")
        try Data("customerId,city\n\(lines)\n".utf8).write(to: URL(fileURLWithPath: big))
        _ = try Importer(store: store, options: ImportOptions(kind: .contacts, path: big)).run()
        let again = try store.loadWorkingSetReporting()
        #expect(again.source == .patched(changes: 21))
        expectSame(again.set, try expected())
        #expect(try store.loadWorkingSetReporting().source == .snapshot)
    }

    @Test("more than a tenth of the customers changed, and more than a thousand, is a rescan")
    func rescanThreshold() {
        #expect(!Store.shouldRescan(changes: 0, of: 0))
        #expect(!Store.shouldRescan(changes: 1000, of: 10))
        #expect(Store.shouldRescan(changes: 1001, of: 10))
        #expect(!Store.shouldRescan(changes: 100_000, of: 1_000_000))
        #expect(Store.shouldRescan(changes: 100_001, of: 1_000_000))
    }

    @Test("many small changes are saved as a new snapshot, which empties the change table")
    func resave() throws {
        _ = try store.loadWorkingSet()
        for index in 1...3 { _ = try store.set("CRM-\(index)", field: "city", value: "Vigo") }
        #expect(try store.loadWorkingSetReporting().source == .patched(changes: 3))
        #expect(try changeCount() == 0)
        #expect(try store.loadWorkingSetReporting().source == .snapshot)
    }

    @Test("a tampered, truncated or foreign snapshot is never trusted: the records are decrypted again")
    func tampered() throws {
        _ = try store.loadWorkingSet()
        try store.db.write { db in
            var data = try Data.fetchOne(db, sql: "SELECT data FROM snapshot WHERE part = 3")!
            data[data.count / 2] ^= 0x01
            try db.execute(sql: "UPDATE snapshot SET data = ? WHERE part = 3", arguments: [data])
        }
        var loaded = try store.loadWorkingSetReporting()
        #expect(loaded.source == .scan)
        expectSame(loaded.set, try expected())

        // Parts moved between positions fail their associated data.
        try store.db.write { db in
            try db.execute(sql: "UPDATE snapshot SET part = -1 WHERE part = 2")
            try db.execute(sql: "UPDATE snapshot SET part = 2 WHERE part = 3")
            try db.execute(sql: "UPDATE snapshot SET part = 3 WHERE part = -1")
        }
        loaded = try store.loadWorkingSetReporting()
        #expect(loaded.source == .scan)

        // A missing part.
        try store.db.write { try $0.execute(sql: "DELETE FROM snapshot WHERE part = (SELECT MAX(part) FROM snapshot)") }
        loaded = try store.loadWorkingSetReporting()
        #expect(loaded.source == .scan)
        expectSame(loaded.set, try expected())
    }

    @Test("neither the snapshot nor the change table holds a personal value in clear")
    func noPlaintext() throws {
        _ = try store.loadWorkingSet()
        _ = try store.set("CRM-5", field: "city", value: "Villarrubia de los Ojos")
        _ = try store.loadWorkingSet()
        try store.db.writeWithoutTransaction { try $0.execute(sql: "PRAGMA wal_checkpoint(PASSIVE)") }
        let bytes = dir.storeBytes()
        for secret in ["Villarrubia de los Ojos", "Núñez 17", "user20@example.com", "CRM-21", "600110012", "1990-03-"] {
            #expect(!bytes.contains(bytes: Array(secret.utf8)), "\(secret) is readable in the store files")
        }
        // And the working set really has them.
        let set = try store.loadWorkingSet()
        #expect(
            (0..<set.count).contains {
                set.value(column: set.columnIndex(named: "city")!, at: $0) == "Villarrubia de los Ojos"
            })
    }

    @Test("a replaced snapshot is shredded: its manifest, which holds its key, is zeroed; secure_delete stays on")
    func replacedSnapshotShredded() throws {
        _ = try store.loadWorkingSet()
        let oldManifest = try store.db.read { try Data.fetchOne($0, sql: "SELECT data FROM snapshot WHERE part = 0")! }
        _ = try store.set("CRM-1", field: "city", value: "Vigo")
        #expect(try store.refreshWorkingSetSnapshot() == .patched(changes: 1))
        #expect(try store.db.read { try Int.fetchOne($0, sql: "PRAGMA secure_delete") } == 1)
        try store.db.writeWithoutTransaction { try $0.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
        #expect(!dir.storeBytes().contains(bytes: Array(oldManifest.prefix(48))), "the old manifest is still on disk")
        expectSame(try store.loadWorkingSet(), try expected())
    }

    @Test("records decode straight into columns exactly as RecordCodec decodes them")
    func decoderMatchesCodec() throws {
        _ = try store.set("CRM-2", field: "note", value: "a\u{0}b ✓")
        _ = try store.set("CRM-2", field: "score", value: "4.5")
        let layout = try store.db.read { try WorkingSetLayout.current($0) }
        let scanned = try store.db.read { try store.scan($0, layout: layout, progress: nil) }
        expectSame(scanned, try expected())
    }
}

@Suite("Working set: keeping the snapshot current after writes")
struct WorkingSetRefreshTests {
    @Test("refreshing after a write saves the patched snapshot; the next load finds it current")
    func refresh() throws {
        let dir = try TemporaryDirectory()
        let store = try dir.makeStore()
        // An empty store keeps no snapshot (so its first import records no changes).
        #expect(try store.refreshWorkingSetSnapshot() == .scan)
        _ = try store.addCustomer(crmId: "CRM-1", email: "ana@example.com", fields: [("name", "Ana")])
        #expect(try store.db.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM workingSetChange") } == 0)
        #expect(try store.refreshWorkingSetSnapshot() == .scan)
        _ = try store.addCustomer(crmId: "CRM-2", email: "eva@example.com", fields: [("name", "Eva")])
        #expect(try store.refreshWorkingSetSnapshot() == .patched(changes: 1))
        #expect(try store.loadWorkingSetReporting().source == .snapshot)
        #expect(try store.refreshWorkingSetSnapshot() == .snapshot)
    }

    @Test("an erasure can patch the snapshot in its own transaction: the customer is gone from it and from the files")
    func erasureInPlace() throws {
        let dir = try TemporaryDirectory()
        let store = try dir.makeStore()
        for index in 1...30 {
            _ = try store.addCustomer(crmId: "CRM-\(index)", fields: [("name", "Quintana-\(index)")])
        }
        _ = try store.loadWorkingSet()
        let gone = try store.customer("CRM-7")
        try store.write { db in
            try store.deleteCustomer(db, gone)
            try store.updateWorkingSetSnapshot(db)
        }
        try store.db.writeWithoutTransaction { try $0.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
        let loaded = try store.loadWorkingSetReporting()
        #expect(loaded.source == .patched(changes: 0))
        #expect(loaded.set.count == 29)
        #expect(!loaded.set.rowIDs.contains(gone.rowID))
        let names = loaded.set.columns[loaded.set.columnIndex(named: "name")!].values
        #expect(!(0..<loaded.set.count).contains { names[$0] == "Quintana-7" })
        #expect(try store.db.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM workingSetChange") } == 0)
    }
}

/// Two working sets hold the same rows, columns and values.
func expectSame(_ set: WorkingSet, _ other: WorkingSet, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(set.rowIDs == other.rowIDs, sourceLocation: sourceLocation)
    #expect(set.externalCodes.raw == other.externalCodes.raw, sourceLocation: sourceLocation)
    for (mine, theirs) in [(set.crmIds, other.crmIds), (set.emails, other.emails), (set.phones, other.phones)] {
        #expect(mine.bytes == theirs.bytes && mine.starts == theirs.starts, sourceLocation: sourceLocation)
    }
    #expect(set.consent.bits == other.consent.bits, sourceLocation: sourceLocation)
    #expect(set.deviceCounts == other.deviceCounts, sourceLocation: sourceLocation)
    #expect(set.columns.map(\.name) == other.columns.map(\.name), sourceLocation: sourceLocation)
    for (mine, theirs) in zip(set.columns, other.columns) {
        #expect(mine.type == theirs.type, sourceLocation: sourceLocation)
        #expect(
            (0..<set.count).map { mine.values[$0] } == (0..<other.count).map { theirs.values[$0] },
            sourceLocation: sourceLocation)
    }
}

@Suite("Working set: a first import")
struct WorkingSetFirstImportTests {
    @Test("a first import into an empty store records no changes (no snapshot exists) and saves the snapshot")
    func firstImport() throws {
        let dir = try TemporaryDirectory()
        let store = try dir.makeStore()
        #expect(try store.loadWorkingSet().count == 0)
        let path = dir.file("c.csv")
        let rows = (1...50).map { "CRM-\($0),u\($0)@example.com,Name \($0)" }.joined(separator: "\n")
        try Data("customerId,email,name\n\(rows)\n".utf8).write(to: URL(fileURLWithPath: path))
        _ = try Importer(store: store, options: ImportOptions(kind: .contacts, path: path)).run()
        #expect(try store.db.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM workingSetChange") } == 0)
        let loaded = try store.loadWorkingSetReporting()
        #expect(loaded.source == .snapshot)
        #expect(loaded.set.count == 50)
    }

    @Test("the bulk path fills its copy with the triggers off; the store it becomes has them: changes are recorded")
    func triggersBackAfterBulk() throws {
        let dir = try TemporaryDirectory()
        let store = try dir.makeStore()
        let freshDir = try TemporaryDirectory()
        let fresh = try freshDir.makeStore()
        func triggers(_ store: Store) throws -> [String] {
            try store.db.read {
                try String.fetchAll($0, sql: "SELECT sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name")
            }
        }
        let path = dir.file("c.csv")
        let rows = (1...50).map { "CRM-\($0),u\($0)@example.com,Name \($0)" }.joined(separator: "\n")
        try Data("customerId,email,name\n\(rows)\n".utf8).write(to: URL(fileURLWithPath: path))
        let summary = try Importer(store: store, options: ImportOptions(kind: .contacts, path: path)).run()
        #expect(summary.bulk)
        #expect(try triggers(store).count == 7)
        #expect(try triggers(store) == triggers(fresh))
        _ = try store.set("CRM-7", field: "name", value: "Changed")
        #expect(try store.db.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM workingSetChange") } == 1)
        let loaded = try store.loadWorkingSetReporting()
        #expect(loaded.source == .patched(changes: 1))
        #expect(loaded.set.count == 50)
        let row = try #require((0..<loaded.set.count).first { loaded.set.crmId(at: $0) == "CRM-7" })
        #expect(loaded.set.value(column: 0, at: row) == "Changed")
    }

    @Test("customers a later import creates together (its fast lane, triggers off) are recorded and patched in")
    func fastLaneRecordsChanges() throws {
        let dir = try TemporaryDirectory()
        let store = try dir.makeStore()
        func write(_ name: String, _ rows: ClosedRange<Int>, extra: String = "") throws -> String {
            let path = dir.file(name)
            let lines = rows.map { "CRM-\($0),u\($0)@example.com,Name \($0)" }.joined(separator: "\n")
            try Data("customerId,email,name\n\(lines)\n\(extra)".utf8).write(to: URL(fileURLWithPath: path))
            return path
        }
        let first = try Importer(
            store: store, options: ImportOptions(kind: .contacts, path: try write("a.csv", 1...50))
        )
        .run()
        #expect(first.bulk)
        // 40 new customers (the fast lane) and one changed row by row.
        let path = try write("b.csv", 51...90, extra: "CRM-3,u3@example.com,Renamed\n")
        let second = try Importer(store: store, options: ImportOptions(kind: .contacts, path: path)).run()
        #expect(!second.bulk && second.created == 40 && second.updated == 1)
        #expect(try store.db.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM workingSetChange") } == 41)
        let loaded = try store.loadWorkingSetReporting()
        #expect(loaded.source == .patched(changes: 41))
        let layout = try store.db.read { try WorkingSetLayout.current($0) }
        expectSame(loaded.set, try store.db.read { try store.scan($0, layout: layout, progress: nil) })
        #expect(loaded.set.count == 90)
    }

    @Test("the fast lane itself, called directly: its customers are created together and recorded as changed")
    func fastLaneCalledDirectly() throws {
        let dir = try TemporaryDirectory()
        let store = try dir.makeStore()
        let path = dir.file("a.csv")
        let rows = (1...20).map { "CRM-\($0),u\($0)@example.com,Name \($0)" }.joined(separator: "\n")
        try Data("customerId,email,name\n\(rows)\n".utf8).write(to: URL(fileURLWithPath: path))
        #expect(try Importer(store: store, options: ImportOptions(kind: .contacts, path: path)).run().bulk)
        let planner = RowPlanner(
            kind: .contacts, map: try ColumnMap(header: ["customerId", "email", "name"], kind: .contacts),
            storeFieldTypes: store.fieldTypes)
        let plans = try (21...40).map {
            try planner.plan(["CRM-\($0)", "u\($0)@example.com", "N\($0)"], line: $0).get()
        }
        let created = try store.db.write { try store.createNewCustomers($0, plans, kind: .contacts) }
        #expect(created.count == 20)
        #expect(try store.db.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM workingSetChange") } == 20)
        // The triggers are on again for this connection: a change made afterwards is recorded by them.
        _ = try store.set("CRM-1", field: "name", value: "Changed")
        #expect(try store.db.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM workingSetChange") } == 21)
        let loaded = try store.loadWorkingSetReporting()
        #expect(loaded.source == .patched(changes: 21))
        #expect(loaded.set.count == 40)
    }

    /// The bulk copy and the fast lane turn triggers off and record what the customer-insert one would: a trigger
    /// added later must be handled there too.
    @Test("every trigger is a working-set trigger, and only one fires when a customer is inserted")
    func onlyWorkingSetTriggers() throws {
        let store = try TemporaryDirectory().makeStore()
        let triggers = try store.db.read {
            try Row.fetchAll($0, sql: "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
        }
        #expect(!triggers.isEmpty)
        #expect(triggers.allSatisfy { ($0["name"] as String).hasPrefix("workingSet") })
        let onInsert = triggers.filter { ($0["sql"] as String).contains("AFTER INSERT ON customer") }
        #expect(onInsert.map { $0["name"] as String } == ["workingSetCustomerInsert"])
    }

    @Test(
        "the snapshot a bulk import builds from its plain records is the working set its sealed customers decrypt to")
    func bulkSnapshotMatchesScan() throws {
        let dir = try TemporaryDirectory()
        let store = try dir.makeStore()
        // Messy rows: duplicates (superseded rows are left out), invalid emails and phones, accents and CJK.
        let path = dir.file("messy.csv")
        _ = try ContactGenerator(contacts: 3000, seed: 7).write(to: path)
        // Batches of 128 records: about 24 batches, 190 spill parts, read back in several groups.
        var options = ImportOptions(kind: .contacts, path: path)
        options.bulkBatchRows = 128
        let summary = try Importer(store: store, options: options).run()
        #expect(summary.bulk)
        #expect(summary.duplicatesInFile > 0 && summary.rejected > 0)
        let loaded = try store.loadWorkingSetReporting()
        #expect(loaded.source == .snapshot)
        #expect(loaded.set.count == summary.created)
        let layout = try store.db.read { try WorkingSetLayout.current($0) }
        expectSame(loaded.set, try store.db.read { try store.scan($0, layout: layout, progress: nil) })
        #expect(!loaded.set.columns.isEmpty)
        // The spill of plain records was unlinked when it was opened; no copy or spill is left next to the store.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).allSatisfy { !$0.contains(".import-") })
    }
}
