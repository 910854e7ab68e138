import Foundation
import GRDB
import Testing

@testable import RosterCore
@testable import RosterModel

@Suite("Saved segments in the store")
struct StoreSegmentsTests {
    /// A store of three customers with a city, and a check that counts a filter on them.
    private func makeStore(_ dir: TemporaryDirectory) throws -> Store {
        let store = try dir.makeStore()
        for (id, city) in [("C1", "Madrid"), ("C2", "Madrid"), ("C3", "Lugo")] {
            _ = try store.addCustomer(crmId: id, fields: [("city", city)])
        }
        return store
    }

    private func save(_ store: Store, _ name: String, _ expression: String, replacing: Bool = false) throws -> Int {
        try store.saveSegment(named: name, expression: expression, replacing: replacing) { filter, segments in
            var context = try Segment.context(store: store)
            context.segments = segments
            return try Segment(store: store).index.count(filter, context: context)
        }
    }

    @Test("saved, listed sorted by name, used as @NAME by Segment.rows, deleted; every change audited")
    func lifecycle() throws {
        let dir = try TemporaryDirectory()
        let store = try makeStore(dir)
        #expect(try save(store, "Madrid", "city = madrid") == 2)
        #expect(try save(store, "@all-but-madrid", "not @madrid") == 1)
        #expect(try store.savedSegments().all.map(\.name) == ["all-but-madrid", "Madrid"])
        let segment = try Segment(store: store)
        #expect(try segment.rows(matching: "@ALL-BUT-MADRID", context: Segment.context(store: store)).count == 1)

        try store.deleteSegment(named: "all-but-madrid")
        #expect(try store.savedSegments().all == [SavedSegment(name: "Madrid", expression: "city = madrid")])
        let actions = try store.auditEntries().filter { $0.action == .segment }.map(\.detail)
        #expect(actions == ["segment saved", "segment saved", "segment deleted"])
    }

    @Test("renaming a field rewrites the saved segments that name it, in the same write; checking changes nothing")
    func fieldRename() throws {
        let dir = try TemporaryDirectory()
        let store = try makeStore(dir)
        #expect(try save(store, "Madrid", "city = madrid") == 2)
        #expect(try save(store, "not-madrid", "not @madrid and has City") == 1)
        #expect(try save(store, "everyone", "not has email") == 3)
        let check = try store.renameField("city", to: "town", checkOnly: true)
        #expect(check == FieldRenameReport(name: "town", customers: 3, segments: ["Madrid", "not-madrid"]))
        #expect(try store.savedSegments().segment(named: "madrid")?.expression == "city = madrid")

        #expect(try store.renameField("city", to: "town") == check)
        #expect(
            try store.savedSegments().all.map(\.expression) == [
                "not has email", "town = madrid", "not @madrid and has town",
            ])
        let segment = try Segment(store: store)
        #expect(try segment.rows(matching: "@not-madrid", context: Segment.context(store: store)).count == 1)
        let audit = try store.auditEntries().filter { $0.action == .field }.map(\.detail)
        #expect(audit.last == "rename city to town: 3 customers, 2 segments")
    }

    @Test("renaming a field renames it in the lists' remembered columns; other settings and a case change untouched")
    func fieldRenameColumns() throws {
        let dir = try TemporaryDirectory()
        let store = try makeStore(dir)
        func names(_ list: String) throws -> [String]? {
            try store.setting(named: Store.columnsSettingPrefix + list).flatMap {
                try JSONSerialization.jsonObject(with: $0) as? [String]
            }
        }
        func remember(_ list: String, _ names: [String]) throws {
            try store.setSetting(
                try JSONSerialization.data(withJSONObject: names), named: Store.columnsSettingPrefix + list)
        }
        try remember("customers", ["externalCode", "city", "name"])
        try remember("email", ["externalCode", "email"])
        try store.setSetting(Data("not a list".utf8), named: Store.columnsSettingPrefix + "sms")
        try store.setSetting(Data(#"["city"]"#.utf8), named: "other.city")
        try store.renameField("city", to: "City")
        #expect(try names("customers") == ["externalCode", "city", "name"])
        try store.renameField("city", to: "Town", checkOnly: true)
        #expect(try names("customers") == ["externalCode", "city", "name"])

        try store.renameField("city", to: "Town")
        #expect(try names("customers") == ["externalCode", "town", "name"])
        #expect(try names("email") == ["externalCode", "email"])
        #expect(try store.setting(named: Store.columnsSettingPrefix + "sms") == Data("not a list".utf8))
        #expect(try store.setting(named: "other.city") == Data(#"["city"]"#.utf8))

        // Columns chosen against customers loaded before the rename are remembered under the name now.
        try store.rememberColumns(["externalCode", "city", "name", "gone"], list: "sms")
        #expect(try names("sms") == ["externalCode", "town", "name", "gone"])
    }

    @Test("the store remembers the last renames, numbered, for consoles loaded before them; a case change is none")
    func renamesRemembered() throws {
        let dir = try TemporaryDirectory()
        let store = try makeStore(dir)
        #expect(try store.fieldRenames().isEmpty)
        try store.renameField("city", to: "Town")
        #expect(throws: FieldCommandError.sameName("Town")) { try store.renameField("town", to: " Town ") }
        try store.renameField("town", to: "TOWN")
        let audit = try store.auditEntries().filter { $0.action == .field }.map(\.detail)
        #expect(
            audit.suffix(2) == [
                "rename city to Town: 3 customers, 0 segments", "rename Town to TOWN: 3 customers, 0 segments",
            ])
        try store.renameField("town", to: "city", checkOnly: true)
        #expect(try store.fieldRenames() == [FieldRename(number: 1, from: "city", to: "town", name: "Town")])
        for step in 0..<Store.keptRenames {
            try store.renameField(step % 2 == 0 ? "town" : "place", to: step % 2 == 0 ? "place" : "town")
        }
        let kept = try store.fieldRenames()
        #expect(kept.count == Store.keptRenames)
        #expect(kept.map(\.number) == Array(2...(Store.keptRenames + 1)))
        #expect(kept.last == FieldRename(number: Store.keptRenames + 1, from: "place", to: "town", name: "town"))
    }

    @Test("a segment whose field is renamed between its check and its write is refused, not saved naming no field")
    func renamedWhileSaving() throws {
        let dir = try TemporaryDirectory()
        let store = try makeStore(dir)
        // The check runs outside the write: another process's rename can land in between (here, inside it).
        let error = #expect(throws: RosterError.self) {
            try store.saveSegment(named: "late", expression: "city = Madrid", replacing: false) { _, _ in
                try store.renameField("city", to: "town")
            }
        }
        #expect("\(error.map { $0 } as Any)".contains("unknown field \"city\""))
        #expect(try store.savedSegments().all.isEmpty)
        // What `has` reads as a channel or an identifier is no field, and needs none.
        #expect(
            try save(store, "any", "has email or has sms or has phone or has push or has crmId or has externalCode")
                == 3)
    }

    @Test("a field is renamed whatever the encoding of its accents, leaving no empty field behind")
    func decomposedName() throws {
        let dir = try TemporaryDirectory()
        let store = try dir.makeStore()
        _ = try store.addCustomer(crmId: "C1", fields: [("c\u{F3}digo", "x")])
        _ = try save(store, "coded", "has c\u{F3}digo")
        let report = try store.renameField("co\u{301}digo", to: "code")
        #expect(report.segments == ["coded"])
        #expect(try store.savedSegments().all.map(\.expression) == ["has code"])
        // The registry on disk, not only this process's copy of it.
        let reopened = try Store.open(at: dir.file("store.roster"), key: .keyFile(path: dir.file("store.key")))
        #expect(try reopened.fieldSummaries().map(\.name) == ["code"])
    }

    @Test("a rename that only changes how the accents are encoded leaves one field, its values and the working set")
    func normalizationOnlyRename() throws {
        let dir = try TemporaryDirectory()
        let store = try dir.makeStore()
        _ = try store.addCustomer(crmId: "C1", fields: [("ciuda\u{301}d", "Lugo")])
        try store.renameField("ciuda\u{301}d", to: "ciud\u{E1}d")
        let reopened = try Store.open(at: dir.file("store.roster"), key: .keyFile(path: dir.file("store.key")))
        let names = try reopened.fieldSummaries().map(\.name)
        #expect(names.count == 1 && names.first.map { Array($0.utf8) } == Array("ciud\u{E1}d".utf8))
        let set = try reopened.loadWorkingSet()
        #expect(set.columns.count == 1)
        #expect(try reopened.customer("C1").fields["ciud\u{E1}d"]?.value == "Lugo")
    }

    @Test("a rename that would change what a segment means is refused, and changes nothing")
    func fieldRenameRefused() throws {
        let dir = try TemporaryDirectory()
        let store = try makeStore(dir)
        _ = try save(store, "with-city", "has city")
        _ = try save(store, "also", "not has City")
        let error = #expect(throws: FieldCommandError.self) { try store.renameField("city", to: "sms") }
        #expect(error?.description.contains("segments @also, @with-city name this field") == true)
        #expect(try store.savedSegments().all.map(\.expression) == ["not has City", "has city"])
        #expect(try store.fieldSummaries().map(\.name) == ["city"])
    }

    @Test("names are unique ignoring case: saving again needs replacing, which keeps the new spelling")
    func uniqueNames() throws {
        let dir = try TemporaryDirectory()
        let store = try makeStore(dir)
        _ = try save(store, "madrid", "city = madrid")
        let error = #expect(throws: RosterError.self) { try save(store, "MADRID", "city = lugo") }
        // The core says what is saved; the flag that replaces it is the executable's to name.
        #expect(error == .conflict(.segmentExists(name: "madrid", expression: "city = madrid")))
        #expect(error?.description == "a segment @madrid is already saved (city = madrid)")
        #expect(try save(store, "MADRID", "city = lugo", replacing: true) == 1)
        #expect(try store.savedSegments().all == [SavedSegment(name: "MADRID", expression: "city = lugo")])
        #expect(try store.auditEntries().last?.detail == "segment replaced")
    }

    @Test("a bad name, a bad expression, an unknown field or a cycle is refused and nothing is saved")
    func validation() throws {
        let dir = try TemporaryDirectory()
        let store = try makeStore(dir)
        _ = try save(store, "a", "city = madrid")
        let cases: [(String, String, String)] = [
            ("", "city = lugo", "a segment needs a name"),
            ("two words", "city = lugo", "cannot name a segment"),
            ("-x", "city = lugo", "cannot name a segment"),
            (String(repeating: "n", count: 65), "city = lugo", "the limit is 64"),
            ("b", "city =", "query:1:7: expected a value after '='"),
            ("b", "cty = lugo", "query:1:1: unknown field \"cty\""),
            ("b", "@nope", "unknown segment @nope (saved: @a"),
            ("a", "not @a", "segment @a refers to itself (@a → @a)"),
        ]
        for (name, expression, message) in cases {
            let error = #expect(throws: RosterError.self) { try save(store, name, expression, replacing: true) }
            #expect(error?.description.contains(message) == true, "\(name) \(expression): \(String(describing: error))")
        }
        #expect(try store.savedSegments().all == [SavedSegment(name: "a", expression: "city = madrid")])
        // Names of any script are fine.
        #expect(try save(store, "cumpleaños_हिंदी.1", "city = lugo") == 1)
    }

    @Test("an unknown name is refused listing the saved ones; a segment another one uses cannot be deleted")
    func deleteRefusals() throws {
        let dir = try TemporaryDirectory()
        let store = try makeStore(dir)
        _ = try save(store, "madrid", "city = madrid")
        _ = try save(store, "rest", "not @Madrid")
        let unknown = #expect(throws: RosterError.self) { try store.deleteSegment(named: "lugo") }
        #expect(unknown?.description.contains("no segment is named @lugo (saved: @madrid, @rest)") == true)
        let used = #expect(throws: RosterError.self) { try store.deleteSegment(named: "madrid") }
        #expect(used?.description.contains("segment @madrid is used by @rest") == true)
        #expect(try store.savedSegments().all.count == 2)
    }

    @Test("names and expressions are sealed on disk")
    func sealed() throws {
        let dir = try TemporaryDirectory()
        let store = try makeStore(dir)
        _ = try save(store, "Zoë-Quintana-friends", "city = Villarrubia")
        let bytes = dir.storeBytes()
        for secret in ["Quintana", "Villarrubia"] {
            #expect(!bytes.contains(bytes: Array(secret.utf8)), "\(secret) is readable in the store files")
        }
        #expect(try store.savedSegments().all.first?.expression == "city = Villarrubia")
    }

    @Test("roster check reports a segment whose filter was moved from another row; an intact store has no problem")
    func checkFindsSwaps() throws {
        let dir = try TemporaryDirectory()
        let store = try makeStore(dir)
        _ = try save(store, "a", "city = madrid")
        _ = try save(store, "b", "city = lugo")
        #expect(try store.check().problems.filter { $0.area == "settings" }.isEmpty)
        try store.db.write { db in
            let b = try Data.fetchOne(
                db, sql: "SELECT value FROM segment WHERE blindIndex = ?",
                arguments: [Store.segmentRows.blindIndex("b", keys: store.keys)])
            try db.execute(
                sql: "UPDATE segment SET value = ? WHERE blindIndex = ?",
                arguments: [b, Store.segmentRows.blindIndex("A", keys: store.keys)])
        }
        let problems = try store.check().problems.filter { $0.area == "settings" }
        #expect(problems.count == 1 && problems.first?.message.contains("a saved segment") == true)
        #expect(throws: RosterError.self) { try store.savedSegments() }
    }
}
