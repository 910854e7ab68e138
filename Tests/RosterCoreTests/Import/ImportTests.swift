import Foundation
import GRDB
import Testing

@testable import RosterCore
@testable import RosterModel

@Suite("Import: the files CRMs and Excel really produce")
struct ImportTests {
    let dir: TemporaryDirectory
    let store: Store

    init() throws {
        dir = try TemporaryDirectory()
        store = try dir.makeStore()
    }

    func file(_ name: String, _ text: String) throws -> String {
        try file(name, bytes: Array(text.utf8))
    }

    func file(_ name: String, bytes: [UInt8]) throws -> String {
        let path = dir.file(name)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    func run(_ kind: ImportKind, _ path: String, configure: (inout ImportOptions) -> Void = { _ in }) throws
        -> ImportSummary
    {
        var options = ImportOptions(kind: kind, path: path)
        configure(&options)
        return try Importer(store: store, options: options).run()
    }

    @Test("a contacts file creates customers with channels and typed fields; re-importing changes nothing")
    func contactsAndIdempotence() throws {
        let path = try file(
            "c.csv",
            """
            customerId,email,countryCode,phone,name,birthdate,city
            CRM-1,Ana@Example.com,34,600 11 22 33,Ana,1990-03-12,Madrid
            CRM-2,bruno@example.org,44,07700 900123,Bruno,1985-12-01,London

            """)
        let first = try run(.contacts, path)
        #expect(first.read == 2)
        #expect(first.created == 2)
        #expect(first.rejected == 0)
        let ana = try store.customer("ana@example.com")
        #expect(ana.crmId == "CRM-1")
        #expect(ana.phone == "+34600112233")
        #expect(ana.fields["birthdate"] == FieldValue(type: .date, value: "1990-03-12"))
        #expect(try store.customer("+447700900123").fields["name"]?.value == "Bruno")

        let again = try run(.contacts, path)
        #expect(again.created == 0)
        #expect(again.updated == 0)
        #expect(again.unchanged == 2)
        #expect(try store.customer("CRM-1").updatedAt == ana.updatedAt)
    }

    @Test("BOM, semicolons, CRLF, spaces around values and header case are all read")
    func excelQuirks() throws {
        let text = "\u{FEFF}CustomerID ; EMAIL ; Name\r\nCRM-1 ; ana@example.com ; \"García, Ana\"\r\n\r\n"
        let summary = try run(.contacts, try file("excel.csv", text))
        #expect(summary.created == 1)
        #expect(summary.rejected == 0)
        let customer = try store.customer("CRM-1")
        #expect(customer.email == "ana@example.com")
        #expect(customer.fields["name"]?.value == "García, Ana")
    }

    @Test("a Windows-1252 file keeps its accents")
    func windows1252() throws {
        // é is 0xE9, á is 0xE1 and the euro sign is 0x80 in Windows-1252.
        let bytes =
            Array("customerId;name;city\nCRM-1;Jos".utf8) + [0xE9, 0x3B, 0x4D, 0xE1] + Array("laga ".utf8) + [
                0x80, 0x0A,
            ]
        let path = try file("latin.csv", bytes: bytes)
        let summary = try run(.contacts, path)
        #expect(summary.created == 1)
        let customer = try store.customer("CRM-1")
        #expect(customer.fields["name"]?.value == "José")
        #expect(customer.fields["city"]?.value == "Málaga €")
    }

    @Test("quoted newlines keep later line numbers right; an unterminated quote rejects only its row")
    func quotingAndLineNumbers() throws {
        let text = """
            customerId,name,notes
            CRM-1,Ana,"first line
            second line"
            CRM-2,Bea,"never closed
            CRM-3,Carla,fine
            CRM-4,Dora,x@

            """
        let summary = try run(.contacts, try file("q.csv", text)) { $0.rejectsPath = self.dir.file("rejects.csv") }
        #expect(try store.customer("CRM-1").fields["notes"]?.value == "first line\nsecond line")
        #expect(summary.rejects.map(\.line) == [4])
        #expect(summary.rejects.first?.reason.contains("quote") == true)
        #expect(try store.customer("CRM-3").fields["name"]?.value == "Carla")
        #expect(try store.customer("CRM-4").fields["notes"]?.value == "x@")
        #expect(throws: RosterError.self) { try store.customer("CRM-2") }
        let rejects = try String(contentsOfFile: dir.file("rejects.csv"), encoding: .utf8)
        #expect(rejects.hasPrefix("customerId,name,notes,reason\n"))
        #expect(rejects.contains("CRM-2,Bea,\"never closed,"))
    }

    @Test("invalid emails and phones are rejected with line and reason; good rows still land")
    func invalidIdentifiers() throws {
        let text = """
            customerId,email,countryCode,phone
            CRM-1,jane.doe@,34,600112233
            CRM-2,ok@example.com,34,6OO112233
            CRM-3,fine@example.com,39,06 6982 1234
            CRM-4,also@example.com,,600112233

            """
        let summary = try run(.contacts, try file("bad.csv", text))
        #expect(summary.read == 4)
        #expect(summary.created == 1)
        #expect(summary.rejects.map(\.line) == [2, 3, 5])
        #expect(summary.rejects[0].reason.contains("\"jane.doe@\" is not an email address"))
        #expect(summary.rejects[1].reason.contains("6OO112233"))
        #expect(try store.customer("CRM-3").phone == "+390669821234")
    }

    @Test("within a file the last row for a key wins; the others count as duplicatesInFile")
    func lastRowWins() throws {
        let text = """
            customerId,city,name
            CRM-1,Madrid,Ana
            CRM-2,Roma,Bea
            CRM-1,Sevilla,
            CRM-1,Bilbao,

            """
        let summary = try run(.contacts, try file("dups.csv", text))
        #expect(summary.duplicatesInFile == 2)
        #expect(summary.created == 2)
        let ana = try store.customer("CRM-1")
        #expect(ana.fields["city"]?.value == "Bilbao")
        #expect(ana.fields["name"] == nil, "superseded rows are not applied")
    }

    @Test("missing mandatory columns: a clear error naming them, nothing written")
    func missingColumns() throws {
        let path = try file("sms.csv", "phone,name\n600112233,Ana\n")
        let error = #expect(throws: MappingError.self) { try run(.sms, path) }
        #expect(error?.description.contains("countryCode") == true)
        #expect(try run(.contacts, try file("none.csv", "customerId\n")).read == 0)
    }

    @Test("email and sms files create channel-only customers that a contacts file merges")
    func channelFilesThenMerge() throws {
        let emails = try run(.email, try file("e.csv", "email,consent,name\nLia@Example.com,no,Lia\n"))
        #expect(emails.created == 1)
        let lia = try store.customer("lia@example.com")
        #expect(lia.origin == .email)
        #expect(lia.consent.email == false)
        let sms = try run(.sms, try file("s.csv", "countryCode,phone\n+34,600 99 88 77\n"))
        #expect(sms.created == 1)
        let contacts = try run(.contacts, try file("c.csv", "customerId,email\nCRM-9,lia@example.com\n"))
        #expect(contacts.updated + contacts.created == 1)
        let merged = try store.customer("CRM-9")
        #expect(merged.email == "lia@example.com")
        #expect(merged.fields["name"]?.value == "Lia")
        #expect(merged.history.count == 1)
    }

    @Test("a fields file sets one field per row, its type fixed per field")
    func fieldsKind() throws {
        let text = """
            customerId,fieldName,fieldValue
            CRM-1,birthdate,1990-01-01
            CRM-1,vip,true
            CRM-2,birthdate,not a date
            CRM-2,Birthdate,1991-02-03
            CRM-1,email,x@example.com

            """
        let summary = try run(.fields, try file("f.csv", text))
        #expect(summary.duplicatesInFile == 1)
        #expect(summary.rejects.map(\.line) == [6])
        #expect(try store.customer("CRM-2").fields["birthdate"]?.value == "1991-02-03")
        #expect(try store.customer("CRM-1").fields["vip"]?.type == .boolean)
    }

    @Test("a push file registers devices, anonymous without externalId, logged in with it")
    func pushKind() throws {
        let text = """
            deviceId,externalId,platform,locale,timeZone,enabled,browserName
            dev-1,,webpush,es-ES,Europe/Madrid,true,Firefox
            dev-2,CRM-7,android,en-GB,Europe/London,false,
            dev-3,,fax,,,,

            """
        let summary = try run(.push, try file("p.csv", text))
        #expect(summary.created == 2)
        #expect(summary.rejects.map(\.line) == [4])
        #expect(try store.device("dev-1").customerRowID == nil)
        #expect(try store.device("dev-1").browserName == "Firefox")
        let second = try store.device("dev-2")
        #expect(second.enabled == false)
        #expect(second.externalCode == store.externalCode(for: "CRM-7"))
        #expect(try run(.push, try file("p.csv", text)).unchanged == 2)
    }

    @Test("--dry-run reports the same counts and writes nothing")
    func dryRun() throws {
        let path = try file("d.csv", "customerId,name\nCRM-1,Ana\nCRM-2,Bea\n")
        let summary = try run(.contacts, path) { $0.dryRun = true }
        #expect(summary.created == 2)
        #expect(throws: RosterError.self) { try store.customer("CRM-1") }
        #expect(store.fields.isEmpty)
        #expect(try run(.contacts, path).created == 2)
    }

    @Test("--strict refuses the whole file when a row is bad")
    func strict() throws {
        let path = try file("s.csv", "customerId,email\nCRM-1,a@example.com\nCRM-2,bad@\n")
        #expect(throws: ImportRefused.self) { try run(.contacts, path) { $0.strict = true } }
        #expect(throws: RosterError.self) { try store.customer("CRM-1") }
    }

    @Test("--strict lists every rejected row on both paths: read, planned or refused while applied")
    func strictListsEveryRejection() throws {
        let text = """
            customerId,email,name
            CRM-1,a@example.com,Ana
            ,nobody@example.com,No Id
            CRM-3,bad@,Bad Email
            CRM-4,taken@example.com,Taken
            CRM-5,e@example.com,Eve
            CRM-6,"unterminated,x

            """
        let path = try file("strict.csv", text)
        // The incremental path: the store has a customer who owns taken@example.com.
        _ = try store.addCustomer(crmId: "CRM-OTHER", email: "taken@example.com")
        var refused: ImportRefused?
        do { _ = try run(.contacts, path) { $0.strict = true } } catch let error as ImportRefused { refused = error }
        let incremental = try #require(refused)
        #expect(incremental.summary.rejects.map(\.line) == [3, 4, 5, 7])
        #expect(incremental.summary.rejects[2].reason.contains("already belongs"))
        #expect(incremental.description.hasPrefix("4 rows were rejected"))
        // Nothing was written: the row-by-row refusal rolled back with the rest.
        for id in ["CRM-1", "CRM-5"] { #expect(throws: RosterError.self) { try store.customer(id) } }
        #expect(try store.customer("CRM-OTHER").email == "taken@example.com")
        #expect(store.fields.isEmpty)

        // The bulk path on an empty store lists the same rows but the conflict, which needs the other customer.
        let other = try TemporaryDirectory()
        let empty = try other.makeStore()
        refused = nil
        var options = ImportOptions(kind: .contacts, path: path)
        options.strict = true
        do { _ = try Importer(store: empty, options: options).run() } catch let error as ImportRefused {
            refused = error
        }
        #expect(try #require(refused).summary.rejects.map(\.line) == [3, 4, 7])
        withExtendedLifetime(other) {}
    }

    @Test("an identifier owned by another explicit customer rejects the row, not the import")
    func conflictRejectsRow() throws {
        _ = try store.addCustomer(crmId: "CRM-1", email: "taken@example.com")
        let summary = try run(
            .contacts, try file("c.csv", "customerId,email\nCRM-2,taken@example.com\nCRM-3,free@example.com\n"))
        #expect(summary.rejects.map(\.line) == [2])
        #expect(summary.created == 1)
        #expect(throws: RosterError.self) { try store.customer("CRM-2") }
    }

    @Test("a first import into an empty store takes the bulk path and keeps the identity rules")
    func bulkPath() throws {
        let text = """
            customerId,email,countryCode,phone,name
            CRM-1,one@example.com,34,600000001,Uno
            CRM-2,ONE@example.com,34,600000002,Dos
            CRM-3,three@example.com,34,600000001,Tres
            CRM-4,four@example.com,34,600000004,Cuatro

            """
        let path = try file("bulk.csv", text)
        let summary = try run(.contacts, path) { $0.rejectsPath = self.dir.file("bulk-rejects.csv") }
        #expect(summary.bulk)
        #expect(summary.created == 2)
        #expect(summary.rejects.map(\.line) == [3, 4])
        // The import leaves the working set's snapshot ready: the next query decrypts no customer.
        #expect(try store.loadWorkingSetReporting().source == .snapshot)
        #expect(summary.rejects[0].reason.contains("email already belongs to the customer on line 2"))
        #expect(summary.rejects[1].reason.contains("phone already belongs to the customer on line 2"))
        #expect(try store.customer("one@example.com").crmId == "CRM-1")
        #expect(try store.customer("+34600000004").fields["name"]?.value == "Cuatro")
        #expect(throws: RosterError.self) { try store.customer("CRM-2") }
        let rejects = try String(contentsOfFile: dir.file("bulk-rejects.csv"), encoding: .utf8)
        #expect(rejects.contains("CRM-2,ONE@example.com"))
        #expect(try store.verifyAudit().isEmpty)
        #expect(try run(.contacts, path).unchanged == 2)
    }

    @Test("the one-pass bulk path settles duplicates, rejections and conflicts exactly as the two-pass path")
    func bulkMatchesIncremental() throws {
        let text = """
            customerId,email,countryCode,phone,name,birthdate
            CRM-1,a@example.com,34,600000001,Ana,1990-01-01
            CRM-1,not-an-email,34,600000011,Ana B,1990-01-01
            CRM-2,bad@,34,600000002,Bea,1991-02-02
            CRM-2,b@example.com,34,600000002,Bea,1991-02-02
            CRM-3,c@example.com,34,600000003,Cai,1992-03-03
            CRM-4,C@Example.com,34,600000004,Dan,1993-04-04
            CRM-5,e@example.com,34,600000003,Eva,1994-05-05
            CRM-6,f@example.com,34,600000006,Fer,not-a-date
            ,g@example.com,34,600000007,Gil,1996-07-07
            CRM-8,"h@example.com,34,600000008,Hal,1997-08-08
            CRM-9,i@example.com,34,600000009,Ivo,1998-09-09
            CRM-9,i@example.com,34,600000009,Ivo Z,1998-09-09

            """
        let path = try file("messy.csv", text)
        let bulk = try run(.contacts, path) { $0.rejectsPath = self.dir.file("bulk-rejects.csv") }
        #expect(bulk.bulk)

        // The same file into a store that is not empty takes the two-pass incremental path.
        let other = try TemporaryDirectory()
        let incrementalStore = try other.makeStore()
        _ = try incrementalStore.addCustomer(crmId: "CRM-OTHER")
        var options = ImportOptions(kind: .contacts, path: path)
        options.rejectsPath = other.file("incremental-rejects.csv")
        let incremental = try Importer(store: incrementalStore, options: options).run()
        #expect(!incremental.bulk)

        #expect(bulk.read == incremental.read)
        #expect(bulk.created == incremental.created)
        #expect(bulk.duplicatesInFile == incremental.duplicatesInFile)
        #expect(bulk.rejects.map(\.line) == incremental.rejects.map(\.line))
        // The reasons match too, but for conflicts: the bulk path names the line of the owner, the other its code.
        for (one, two) in zip(bulk.rejects, incremental.rejects) where !one.reason.contains("already belongs") {
            #expect(one.reason == two.reason)
        }
        let bulkRejects = try String(contentsOfFile: dir.file("bulk-rejects.csv"), encoding: .utf8)
        let incrementalRejects = try String(contentsOfFile: other.file("incremental-rejects.csv"), encoding: .utf8)
        #expect(bulkRejects.split(separator: "\n").count == incrementalRejects.split(separator: "\n").count)
        #expect(bulkRejects.contains("CRM-8,\"h@example.com,34,600000008,Hal,1997-08-08"))
        #expect(bulkRejects.contains("CRM-1,not-an-email"))
        // Concretely: the later CRM-1 row is rejected and supersedes the earlier; the rejected CRM-2 row
        // is superseded by the later one; CRM-4 and CRM-5 lose their email and phone to CRM-3.
        #expect(bulk.created == 3)
        #expect(bulk.duplicatesInFile == 3)
        #expect(bulk.rejects.map(\.line) == [3, 7, 8, 9, 10, 11])
        #expect(throws: RosterError.self) { try store.customer("CRM-1") }
        #expect(try store.customer("CRM-2").email == "b@example.com")
        #expect(try store.customer("CRM-9").fields["name"]?.value == "Ivo Z")
        #expect(try store.customer("c@example.com").crmId == "CRM-3")
        #expect(try run(.contacts, path).unchanged == 3)
    }

    @Test("field columns out of key order, two of them named alike but for case: the same customers on both paths")
    func fieldColumnsInAnyOrder() throws {
        let text = """
            customerId,name,City,birthdate,city,score
            CRM-1,Ana,Madrid,1990-01-01,Sevilla,7
            CRM-2,Bea,,1991-02-02,Bilbao,
            CRM-3,Cai,Vigo,,,8

            """
        let path = try file("order.csv", text)
        let bulk = try run(.contacts, path)
        #expect(bulk.bulk)
        let other = try TemporaryDirectory()
        let incrementalStore = try other.makeStore()
        _ = try incrementalStore.addCustomer(crmId: "CRM-OTHER")
        let incremental = try Importer(store: incrementalStore, options: ImportOptions(kind: .contacts, path: path))
            .run()
        #expect(!incremental.bulk)
        var expected = try contents(incrementalStore)
        expected["CRM-OTHER"] = nil
        #expect(try contents(store) == expected)
        // The later of the two city columns wins where both have a value.
        #expect(try store.customer("CRM-1").fields["city"]?.value == "Sevilla")
        #expect(try store.customer("CRM-3").fields["city"]?.value == "Vigo")
        #expect(try store.customer("CRM-1").fields.keys.sorted() == ["birthdate", "city", "name", "score"])
        #expect(try run(.contacts, path).unchanged == 3)
    }

    @Test("rows planned while pass 1 reads them give the same import as rows planned later, whatever the batches")
    func earlyPlansMatchLatePlans() throws {
        // `score` is first a number on line 4 and `since` a date on line 7; the sample types them from all their
        // values, so rows before and after are checked alike. A refused row (line 5) leaves a gap in the ordinals.
        let text = """
            customerId,email,score,since
            CRM-1,a@example.com,,
            CRM-2,b@example.com,,
            CRM-3,c@example.com,12,
            CRM-4,"d@example.com,7,
            CRM-5,e@example.com,many,
            CRM-6,f@example.com,8,2020-01-01
            CRM-2,b2@example.com,9,soon
            CRM-7,g@example.com,10,2021-02-02

            """
        let first = try importInBatchesOfAnySize(file("late-types.csv", text))
        #expect(first.summary.created == 4)  // the rejected later CRM-2 row supersedes the first
        #expect(first.summary.rejects.map(\.line) == [5, 6, 8])
        #expect(first.summary.rejects[1].reason.contains("\"many\" is not a number"))
        #expect(first.summary.rejects[2].reason.contains("\"soon\" is not a date"))
        // Two columns named alike but for case: `age` (after `Age`) is typed by its values, and `City` (two numbers
        // of three) too, whatever the batches (the column after a case twin was once skipped).
        let twins = try importInBatchesOfAnySize(
            file("twins.csv", "customerId,Age,age,City\nCRM-1,,5,3\nCRM-2,,,Paris\nCRM-3,,,4\n"))
        #expect(twins.summary.created == 2)
        #expect(twins.summary.rejects.map(\.line) == [3])
        #expect(twins.summary.rejects.first?.reason.contains("the type of field City") == true)
    }

    /// Imports a file into stores that have a customer (the incremental path) with batches of 1, 2, 3, 5 and
    /// 50,000 rows; checks that every outcome is the same and returns the first.
    func importInBatchesOfAnySize(_ path: String) throws -> (summary: ImportSummary, contents: [String: String]) {
        var outcomes: [(summary: ImportSummary, contents: [String: String])] = []
        for batchSize in [1, 2, 3, 5, 50_000] {
            let other = try TemporaryDirectory()
            let target = try other.makeStore()
            _ = try target.addCustomer(crmId: "CRM-OTHER")  // not empty: the incremental path
            var options = ImportOptions(kind: .contacts, path: path)
            options.batchSize = batchSize
            let summary = try Importer(store: target, options: options).run()
            #expect(!summary.bulk)
            outcomes.append((summary, try contents(target)))
        }
        let first = outcomes[0]
        for outcome in outcomes.dropFirst() {
            #expect(outcome.summary.created == first.summary.created)
            #expect(outcome.summary.rejects.map(\.line) == first.summary.rejects.map(\.line))
            #expect(outcome.summary.rejects.map(\.reason) == first.summary.rejects.map(\.reason))
            #expect(outcome.summary.duplicatesInFile == first.summary.duplicatesInFile)
            #expect(outcome.contents == first.contents)
        }
        return first
    }

    @Test("a file sent again: unchanged rows are only counted, changed and new ones applied, as row by row")
    func fileSentAgain() throws {
        let first = (1...40).map { "CRM-\($0),c\($0)@example.com,34,6000000\(10 + $0),\($0),yes" }
        let header = "customerId,email,countryCode,phone,score,emailConsent"
        var again = first
        again[2] = "CRM-3,c3@example.com,34,600000013,300,yes"  // a field changed
        again[4] = "CRM-5,c5@example.com,34,600000015,5,no"  // a consent changed
        again[6] = "CRM-7,seven@example.com,34,600000017,7,yes"  // a new email
        again[10] = "CRM-11,c11@example.com,34,600000099,11,yes"  // a new phone
        again[8] = "c9@example.com,,,,90,"  // CRM-9 named by its email, its score changed ...
        again.append("CRM-9,c9@example.com,34,600000019,9,yes")  // ... then set back by CRM id: applied, not skipped
        again.append("CRM-41,c41@example.com,34,600000051,41,yes")  // new
        again.append("CRM-42,c2@example.com,34,600000052,42,yes")  // new, but its email is CRM-2's: refused
        let (one, all, base) = try importTwice(header: header, first: first, again: again)
        #expect(all.summary.created == 1)
        #expect(all.summary.updated == 5)  // CRM-3, 5, 7, 11, and 9 (changed, then set back)
        #expect(all.summary.unchanged == 35)
        #expect(all.summary.rejects.map(\.line) == [44])
        #expect(all.contents["CRM-9"] == base["CRM-9"])  // set back
        #expect(one.summary.created == all.summary.created)
        #expect(one.summary.updated == all.summary.updated)
        #expect(one.summary.unchanged == all.summary.unchanged)
        #expect(one.summary.rejects.map(\.line) == all.summary.rejects.map(\.line))
        #expect(one.contents == all.contents)
    }

    @Test("a file sent again with a few new customers: they are created, the others counted unchanged")
    func fileSentAgainWithNewCustomers() throws {
        // No customerId that could be an email here: the batch reaches the fast lane, finds it mostly known and
        // leaves every row to the row-by-row way.
        let header = "customerId,email,score"
        let first = (1...40).map { "CRM-\($0),c\($0)@example.com,\($0)" }
        let again = first + (41...45).map { "CRM-\($0),c\($0)@example.com,\($0)" }
        let (one, all, _) = try importTwice(header: header, first: first, again: again)
        #expect(all.summary.created == 5 && all.summary.unchanged == 40 && all.summary.updated == 0)
        #expect(one.summary.created == 5 && one.summary.unchanged == 40)
        #expect(one.contents == all.contents)
    }

    /// Imports `first` into new stores (the bulk path), then `again` into each: in batches of one, in one batch,
    /// and in one batch with every row applied (no rows counted unchanged together, the fast lane as before);
    /// checks that the last, the reference, matches the other two and returns those two and the contents after
    /// the first import.
    func importTwice(header: String, first: [String], again: [String]) throws -> (
        one: (summary: ImportSummary, contents: [String: String]),
        all: (summary: ImportSummary, contents: [String: String]), base: [String: String]
    ) {
        let firstPath = try file("first.csv", ([header] + first + [""]).joined(separator: "\n"))
        let againPath = try file("again.csv", ([header] + again + [""]).joined(separator: "\n"))
        var outcomes: [(summary: ImportSummary, contents: [String: String])] = []
        var base: [String: String] = [:]
        for (batchSize, together) in [(1, true), (50_000, true), (50_000, false)] {
            let directory = try TemporaryDirectory()
            let target = try directory.makeStore()
            #expect(try Importer(store: target, options: ImportOptions(kind: .contacts, path: firstPath)).run().bulk)
            base = try contents(target)
            var options = ImportOptions(kind: .contacts, path: againPath)
            options.batchSize = batchSize
            options.countsUnchangedTogether = together
            outcomes.append((try Importer(store: target, options: options).run(), try contents(target)))
            withExtendedLifetime(directory) {}
        }
        let reference = outcomes[2]
        for outcome in outcomes.prefix(2) {
            #expect(outcome.summary.created == reference.summary.created)
            #expect(outcome.summary.updated == reference.summary.updated)
            #expect(outcome.summary.unchanged == reference.summary.unchanged)
            #expect(outcome.summary.rejects.map(\.line) == reference.summary.rejects.map(\.line))
            #expect(outcome.contents == reference.contents)
        }
        return (outcomes[0], outcomes[1], base)
    }

    @Test("a row after one that merged its customer into another is applied, not counted unchanged")
    func unchangedAfterMerge() throws {
        var outcomes: [[String: String]] = []
        for together in [true, false] {
            let directory = try TemporaryDirectory()
            let target = try directory.makeStore()
            func load(_ kind: ImportKind, _ name: String, _ text: String) throws -> ImportSummary {
                let path = directory.file(name)
                try Data(text.utf8).write(to: URL(fileURLWithPath: path))
                var options = ImportOptions(kind: kind, path: path)
                options.countsUnchangedTogether = together
                return try Importer(store: target, options: options).run()
            }
            _ = try load(.contacts, "crm.csv", "customerId,score\nCRM-1,3\n")
            // A customer known only by an email (its CRM id is the address), with a score.
            _ = try load(.email, "email.csv", "email,score\na@example.com,5\n")
            // CRM-1 takes the email: the email-only customer merges into it (CRM-1 keeps its score). The next
            // row names the email-only customer, as it was before the file, with its own score: after the merge
            // it is CRM-1's row, and sets CRM-1's score.
            let summary = try load(
                .contacts, "merge.csv", "customerId,email,score\nCRM-1,a@example.com,3\na@example.com,,5\n")
            #expect(summary.rejects.isEmpty)
            #expect(try target.customer("CRM-1").fields["score"]?.value == "5")
            outcomes.append(try contents(target))
            withExtendedLifetime(directory) {}
        }
        #expect(outcomes[0] == outcomes[1])
    }

    @Test("an sms file's phone without a countryCode is refused alike on both paths")
    func smsWithoutCountryCode() throws {
        let path = try file("sms.csv", "countryCode,phone\n,+34600112233\n34,600112234\n")
        let bulk = try run(.sms, path)
        #expect(bulk.bulk)
        let other = try TemporaryDirectory().makeStore()
        _ = try other.addCustomer(crmId: "CRM-OTHER")
        let incremental = try Importer(store: other, options: ImportOptions(kind: .sms, path: path)).run()
        #expect(!incremental.bulk)
        #expect(bulk.created == 1 && incremental.created == 1)
        #expect(bulk.rejects.map(\.line) == [2])
        #expect(incremental.rejects.map(\.line) == bulk.rejects.map(\.line))
        #expect(incremental.rejects.map(\.reason) == bulk.rejects.map(\.reason))
    }

    @Test("a transaction applies planned batches until it holds --batch-size rows, and commits whole")
    func transactionsOfSeveralPlannedBatches() throws {
        _ = try store.addCustomer(crmId: "FIRST")
        let rows = (1...25).map { "T-\($0),t\($0)@example.com" }.joined(separator: "\n")
        let path = try file("t.csv", "customerId,email\n\(rows)\n")
        final class Seen: @unchecked Sendable {
            var reports: [(rows: Int, committed: Int)] = []
        }
        let seen = Seen()
        let storePath = store.path
        var options = ImportOptions(kind: .contacts, path: path)
        options.batchSize = 10
        options.planningBatchRows = 3
        let importer = Importer(store: store, options: options) { report in
            guard report.phase == .importing else { return }
            // What another process sees: only committed transactions.
            let count = try? DatabaseQueue(path: storePath).read {
                try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM customer")
            }
            seen.reports.append((report.rows, count ?? -1))
        }
        let summary = try importer.run()
        #expect(summary.created == 25)
        // Batches of 3 rows; a transaction ends with the batch that takes it to 10 rows or more (12, 24, 25).
        #expect(seen.reports.map(\.rows) == [3, 6, 9, 12, 15, 18, 21, 24, 25])
        #expect(seen.reports.map(\.committed) == [1, 1, 1, 13, 13, 13, 13, 25, 26])
    }

    /// Every customer of a store, by CRM id, as one comparable line.
    func contents(_ store: Store) throws -> [String: String] {
        var out: [String: String] = [:]
        try store.forEachCustomer { customer, _ in
            guard let customer else { return }
            let fields = customer.fields.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            out[customer.crmId] = [
                customer.externalCode, "\(customer.origin)", customer.email ?? "-", customer.phone ?? "-",
                "\(customer.consent)", "\(fields)", "\(customer.history.count)",
            ].joined(separator: "|")
        }
        return out
    }

    /// The number of entries in each blind-index table.
    func indexSizes(_ store: Store) throws -> [Int] {
        try store.db.read { db in
            try ["identityIndex", "emailIndex", "phoneIndex"].map {
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \($0)") ?? -1
            }
        }
    }

    /// Imports `path` with the fast lane (one batch) into this suite's store and row by row (batches below the
    /// fast lane's minimum) into a new store, both prepared the same way; the new store's directory is returned
    /// to keep it alive.
    func bothWays(_ path: String, prepare: (Store) throws -> Void) throws -> (
        fast: ImportSummary, slow: ImportSummary, fastStore: Store, slowStore: Store, other: TemporaryDirectory
    ) {
        try prepare(store)
        var fastOptions = ImportOptions(kind: .contacts, path: path)
        fastOptions.batchSize = 5000
        let fast = try Importer(store: store, options: fastOptions).run()
        let other = try TemporaryDirectory()
        let slowStore = try other.makeStore()
        try prepare(slowStore)
        var slowOptions = ImportOptions(kind: .contacts, path: path)
        slowOptions.batchSize = 8
        let slow = try Importer(store: slowStore, options: slowOptions).run()
        return (fast, slow, store, slowStore, other)
    }

    @Test("new customers created together in a batch end up exactly as when applied one row at a time")
    func fastLaneMatchesRowByRow() throws {
        var lines = ["customerId,email,countryCode,phone,name,birthdate,vip"]
        for number in 1...30 {
            lines.append(
                "N-\(number),n\(number)@example.com,34,6000000\(10 + number),Name \(number),1990-01-\(10 + number % 9),yes"
            )
        }
        lines += [
            "OLD-1,old1@example.com,34,699000001,Updated Old,1980-01-01,no",  // exists: updated
            "N-40,old2@example.com,34,699000040,Takes a taken email,1980-01-01,no",  // email of OLD-2: rejected
            "N-41,shared@example.com,34,699000041,First of two,1980-01-01,no",  // shares an email in the batch
            "N-42,shared@example.com,34,699000042,Second of two,1980-01-01,no",
            "N-43,n43@example.com,34,699000043,Sets a new field,1980-01-01,no",
        ]
        let path = try file(
            "daily.csv", lines.joined(separator: "\n") + "\nN-43,n43@example.com,34,699000043,Last wins,,\n")
        let (fast, slow, fastStore, slowStore, other) = try bothWays(path) { store in
            _ = try store.addCustomer(crmId: "OLD-1", email: "old1@example.com", fields: [("name", "Old One")])
            _ = try store.addCustomer(crmId: "OLD-2", email: "old2@example.com")
        }
        defer { withExtendedLifetime(other) {} }

        #expect(fast.created == 32)
        #expect(fast.updated == 1)
        #expect(fast.rejects.map(\.line) == [33, 35])
        for (name, one, two) in [
            ("created", fast.created, slow.created), ("updated", fast.updated, slow.updated),
            ("unchanged", fast.unchanged, slow.unchanged), ("duplicates", fast.duplicatesInFile, slow.duplicatesInFile),
        ] {
            #expect(one == two, "\(name)")
        }
        #expect(fast.rejects == slow.rejects)
        #expect(try contents(fastStore) == contents(slowStore))
        // Rows the fast lane handed back to the row-by-row path (OLD-1 exists, N-40's email is taken) leave no
        // blind index of their own behind: every index has as many entries as with the row-by-row path.
        #expect(try indexSizes(fastStore) == indexSizes(slowStore))
        #expect(throws: RosterError.self) { try fastStore.customer("+34699000040") }
        #expect(try fastStore.customer("N-43").fields["name"]?.value == "Last wins")
        #expect(try fastStore.customer("shared@example.com").crmId == "N-41")
        #expect(try fastStore.verifyAudit().isEmpty)
        // The customers created together are found by every identifier and import again unchanged.
        #expect(try fastStore.customer("n7@example.com").crmId == "N-7")
        #expect(try fastStore.customer("+34600000017").crmId == "N-7")
        #expect(
            try Importer(store: fastStore, options: ImportOptions(kind: .contacts, path: path)).run().unchanged == 33)
    }

    @Test("known customers and taken emails are found past the first statement of the fast lane's index inserts")
    func fastLaneFindsKnownRowsInEveryStatement() throws {
        // 900 rows: more than one 128-row INSERT per index table. Every 45th row names a customer the store
        // has, every 45th (shifted) takes an email the store has; in index order they fall in every statement.
        var lines = ["customerId,email,countryCode,phone,name"]
        for number in 1...900 {
            let id = number % 45 == 0 ? "OLD-\(number)" : "N-\(number)"
            let email =
                number % 45 == 0
                ? "old\(number)@example.com"
                : number % 45 == 7 ? "old\(number - 7)@example.com" : "n\(number)@example.com"
            lines.append("\(id),\(email),34,6\(String(format: "%08d", number)),Name \(number)")
        }
        let path = try file("many.csv", lines.joined(separator: "\n") + "\n")
        let (fast, slow, fastStore, slowStore, other) = try bothWays(path) { store in
            for number in stride(from: 45, through: 900, by: 45) {
                _ = try store.addCustomer(crmId: "OLD-\(number)", email: "old\(number)@example.com")
            }
        }
        defer { withExtendedLifetime(other) {} }

        // Rows 52, 97, ..., 862 take an email of OLD-45 ... OLD-855 (row 7's old0 is nobody's).
        #expect(fast.updated == 20)
        #expect(fast.rejects.count == 19)
        #expect(fast.created == 861)
        let fastCounts: [Int] = [fast.created, fast.updated, fast.unchanged]
        #expect(fastCounts == [slow.created, slow.updated, slow.unchanged])
        #expect(fast.rejects == slow.rejects)
        #expect(try contents(fastStore) == contents(slowStore))
        #expect(try indexSizes(fastStore) == indexSizes(slowStore))
    }

    @Test("an incremental import stopped by an error keeps its committed batches, each audited as it committed")
    func stoppedImportIsAudited() throws {
        _ = try store.addCustomer(crmId: "FIRST")
        let rows = (1...3000).map { "S-\($0),s\($0)@example.com" }.joined(separator: "\n")
        let path = try file("s.csv", "customerId,email\n\(rows)\n")
        // After the first batch, another program breaks the store under the import: the next batch fails.
        final class Breaker: @unchecked Sendable {
            var broken = false
        }
        let breaker = Breaker()
        let storePath = store.path
        var options = ImportOptions(kind: .contacts, path: path)
        options.batchSize = 1000
        let importer = Importer(store: store, options: options) { report in
            guard report.phase == .importing, !breaker.broken, report.rows >= 1000 else { return }
            breaker.broken = true
            let other = try? DatabaseQueue(path: storePath)
            try? other?.writeWithoutTransaction { try $0.execute(sql: "DROP TABLE emailIndex") }
            try? other?.close()
        }
        #expect(throws: (any Error).self) { try importer.run() }
        #expect(breaker.broken)
        #expect(try store.customerCount() == 1001)
        // The committed batch was audited in its own transaction; the one rolled back left no entry.
        let batches = try store.auditEntries().filter { $0.detail.contains("batch committed") }
        #expect(batches.map(\.detail) == ["contacts file: batch committed: 1000 created, 0 updated"])
    }

    /// Runs a file through the bulk path (into this suite's empty store) and the two-pass path (into a store
    /// with one other customer); returns both summaries and the second store.
    func bothPaths(_ text: String) throws -> (bulk: ImportSummary, incremental: ImportSummary, other: Store) {
        let path = try file("both.csv", text)
        let bulk = try run(.contacts, path)
        let other = try TemporaryDirectory().makeStore()
        _ = try other.addCustomer(crmId: "CRM-OTHER")
        let incremental = try Importer(store: other, options: ImportOptions(kind: .contacts, path: path)).run()
        #expect(bulk.bulk && !incremental.bulk)
        return (bulk, incremental, other)
    }

    @Test("a file with more than 64 field columns sets every field, on both paths")
    func manyFieldColumns() throws {
        let header = "customerId," + (0..<70).map { "f\($0)" }.joined(separator: ",")
        let full = "CRM-1," + (0..<70).map { "v\($0)" }.joined(separator: ",")
        let last = "CRM-2," + String(repeating: ",", count: 69) + "last"
        let (bulk, incremental, other) = try bothPaths([header, full, last, ""].joined(separator: "\n"))
        #expect(bulk.created == 2 && incremental.created == 2)
        #expect(try store.customer("CRM-1").fields.count == 70)
        #expect(try store.customer("CRM-1").fields["f42"] == FieldValue(type: .text, value: "v42"))
        #expect(try store.customer("CRM-2").fields == ["f69": FieldValue(type: .text, value: "last")])
        #expect(try other.customer("CRM-1").fields == store.customer("CRM-1").fields)
        #expect(try other.customer("CRM-2").fields == store.customer("CRM-2").fields)
        #expect(store.fields.count == 70)
        #expect(other.fields.count == 70)
    }

    @Test("a row rejected for its phone keeps no email either, on both paths")
    func chainedConflict() throws {
        let (bulk, incremental, other) = try bothPaths(
            "customerId,email,countryCode,phone\nCRM-1,a@example.com,34,600000001\n"
                + "CRM-2,b@example.com,34,600000001\nCRM-3,b@example.com,34,600000003\n")
        #expect(bulk.created == 2)
        #expect(bulk.rejects.map(\.line) == [3])
        #expect(incremental.created == bulk.created)
        #expect(incremental.rejects.map(\.line) == bulk.rejects.map(\.line))
        #expect(try store.customer("b@example.com").crmId == "CRM-3")
        #expect(try other.customer("b@example.com").crmId == "CRM-3")
    }

    @Test("a field seen only on rejected rows is not registered, on both paths")
    func fieldOfRejectedRow() throws {
        let (bulk, _, other) = try bothPaths("customerId,email,score\nCRM-1,not-an-email,abc\nCRM-2,b@example.com,\n")
        #expect(bulk.created == 1)
        #expect(!store.fields.contains { $0.name == "score" })
        #expect(!other.fields.contains { $0.name == "score" })
    }

    @Test("customerIds that differ only in Unicode form are two customers, on both paths")
    func unicodeFormsOfCustomerIds() throws {
        let (bulk, incremental, _) = try bothPaths(
            "customerId,email\nJos\u{E9},a@example.com\nJose\u{301},b@example.com\n")
        #expect(bulk.created == 2)
        #expect(bulk.duplicatesInFile == 0)
        #expect(incremental.created == 2)
        #expect(incremental.duplicatesInFile == 0)
    }

    @Test("a superseded row's sealed record does not stay in the store file's free space")
    func supersededRowsLeaveNoTrace() throws {
        let path = try file(
            "dup.csv",
            "customerId,email,name\nCRM-1,old@example.com,Old Name\nCRM-2,two@example.com,Two\n"
                + "CRM-1,new@example.com,New Name\nCRM-3,two@example.com,Loses its email\n")
        let summary = try run(.contacts, path)
        #expect(summary.bulk && summary.created == 2 && summary.duplicatesInFile == 1)
        _ = try store.erase("CRM-1", suppress: false)
        #expect(try decryptableCustomers(in: store).sorted() == ["CRM-2"])
    }

    /// The CRM ids of every customer record, live or freed, that can still be opened from the store's bytes.
    ///
    /// A customer row's SQLite record is (NULL id, a 16-byte salt, the sealed record): its header bytes are
    /// `0x00 0x2C` and a varint for the record's length. Every place they appear is tried as such a row.
    func decryptableCustomers(in store: Store) throws -> [String] {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: store.path)))
        let maxRowID = Int64(20)
        var found: [String] = []
        var offset = 0
        while offset + 4 < bytes.count {
            defer { offset += 1 }
            guard bytes[offset] == 0x00, bytes[offset + 1] == 0x2C else { continue }
            var serial = 0
            var position = offset + 2
            while position < bytes.count, position < offset + 5 {
                serial = serial << 7 | Int(bytes[position] & 0x7f)
                position += 1
                if bytes[position - 1] & 0x80 == 0 { break }
            }
            guard serial >= 12, serial % 2 == 0 else { continue }
            let length = (serial - 12) / 2
            guard length > 28, position + 16 + length <= bytes.count else { continue }
            let salt = Array(bytes[position..<position + 16])
            let sealed = Data(bytes[position + 16..<position + 16 + length])
            for rowID in 1...maxRowID {
                if let plain = try? Sealer.open(
                    sealed, key: store.keys.customerKey(salt: salt), context: store.customerRecordContext(rowID)),
                    let customer = try? RecordCodec.decodeCustomer(plain, rowID: rowID)
                {
                    found.append(customer.crmId)
                }
            }
        }
        return found
    }

    /// Pass 1 decodes only the columns of a row's key (and those of fields without a type yet) past the rows it
    /// plans early: the same file imported with every row planned early must give the same summary and store.
    @Test(
        "pass 1 reads the rows it does not plan in their key columns only, with the same outcome",
        arguments: [ImportKind.contacts, .email, .sms, .fields])
    func pass1ReadsKeyColumns(kind: ImportKind) throws {
        var lines: [String]
        switch kind {
        case .email:
            lines = ["email,name,score"]
            for number in 1...40 {
                // `score` has no value until row 25, then a number; row 33 is not one; row 12 repeats row 2's email.
                let score = number < 25 ? "" : number == 33 ? "many" : "\(number)"
                lines.append("\(number == 12 ? 2 : number)@example.com,Name \(number),\(score)")
            }
        case .sms:
            lines = ["countryCode,phone,name,score"]
            for number in 1...40 {
                let score = number < 25 ? "" : number == 33 ? "many" : "\(number)"
                let country = number == 20 ? "" : "34"  // a phone without countryCode: refused by the key
                lines.append("\(country),6000000\(10 + (number == 12 ? 2 : number)),Name \(number),\(score)")
            }
        case .fields:
            lines = ["customerId,fieldName,fieldValue"]
            for number in 1...40 {
                lines.append(
                    "F-\(number % 25),\(number % 3 == 0 ? "score" : "city"),\(number == 33 ? "many" : "\(number)")")
            }
        default:
            lines = ["customerId,email,name,score,vip"]
            for number in 1...40 {
                let score = number < 25 ? "" : number == 33 ? "many" : "\(number)"
                let vip = number < 30 ? "" : "yes"
                lines.append("C-\(number == 12 ? 2 : number),c\(number)@example.com,Name \(number),\(score),\(vip)")
            }
            lines.append(",nobody@example.com,No Id,,")
        }
        let path = try file("pass1.csv", lines.joined(separator: "\n") + "\n")
        var outcomes: [(ImportSummary, [String: String], String)] = []
        // One transaction either way; planning batches of 16 rows (the fast lane's least) or one for the file.
        for planningRows in [16, 10_000] {
            let directory = try TemporaryDirectory()
            let target = try directory.makeStore()
            _ = try target.addCustomer(crmId: "EXISTING")  // not empty: the incremental path
            var options = ImportOptions(kind: kind, path: path)
            options.batchSize = 10_000
            options.planningBatchRows = planningRows
            options.rejectsPath = directory.file("rejects.csv")
            let summary = try Importer(store: target, options: options).run()
            #expect(!summary.bulk)
            let rejected = try String(contentsOfFile: directory.file("rejects.csv"), encoding: .utf8)
            outcomes.append((summary, try contents(target), rejected))
            withExtendedLifetime(directory) {}
        }
        let (few, all) = (outcomes[0].0, outcomes[1].0)
        #expect(few.created == all.created && few.updated == all.updated && few.unchanged == all.unchanged)
        #expect(few.duplicatesInFile == all.duplicatesInFile && few.read == all.read)
        #expect(few.rejects.map(\.line) == all.rejects.map(\.line))
        #expect(few.rejects.map(\.reason) == all.rejects.map(\.reason))
        #expect(outcomes[0].1 == outcomes[1].1)
        // The rejected rows as they were (pass 2 keeps raw bytes only for the rows that may be rejected).
        #expect(outcomes[0].2 == outcomes[1].2)
        #expect(outcomes[0].2.contains("many"))
        // The type of `score` came from a row past the first batch, and a later row was checked against it.
        #expect(all.rejects.contains { $0.line == 34 && $0.reason.contains("many") })
        #expect(all.created > 20)
    }

    @Test("customerIds that are emails take the incremental path, which resolves them to other rows' customers")
    func identitiesThatAreEmails() throws {
        let text = "customerId,email,city\nCRM-1,ana@example.com,Madrid\nana@example.com,,Sevilla\n"
        let summary = try run(.contacts, try file("ids.csv", text))
        #expect(!summary.bulk)
        #expect(summary.created == 1)
        #expect(try store.customer("CRM-1").fields["city"]?.value == "Sevilla")
    }

    @Test("no imported value appears in clear in the store files")
    func encryptedAtRest() throws {
        _ = try run(
            .contacts, try file("c.csv", "customerId,email,name\nCRM-SECRET-77,hidden.person@example.com,Wilhelmina\n"))
        let bytes = dir.storeBytes()
        for secret in ["CRM-SECRET-77", "hidden.person@example.com", "Wilhelmina"] {
            #expect(!bytes.contains(bytes: Array(secret.utf8)))
        }
    }
}
