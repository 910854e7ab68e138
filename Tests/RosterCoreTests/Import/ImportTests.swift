import Foundation
import Testing

@testable import RosterCore

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
        let error = #expect(throws: RosterError.self) { try run(.sms, path) }
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
