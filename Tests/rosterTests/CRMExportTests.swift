import Foundation
import Testing

/// Files shaped like the exports of common CRMs and newsletter tools, imported with their presets, and the date,
/// number and phone habits of real spreadsheets.
@Suite("Files from a CRM")
struct CRMExportTests {
    /// A store with `text` imported as `kind` with `arguments`; fails the test when the import fails.
    private func imported(
        _ kind: String, _ name: String, _ text: String, _ arguments: [String] = [], bytes: [UInt8]? = nil
    ) throws -> (RosterProcess, Scratch) {
        let scratch = try Scratch()
        let roster = RosterProcess(directory: scratch.path)
        #expect(try roster.run("init", "--region", "eu").status == 0)
        let path = scratch.path + "/" + name
        try Data(bytes ?? Array(text.utf8)).write(to: URL(fileURLWithPath: path))
        let result = try roster.run(["import", kind, path] + arguments)
        #expect(result.status == 0, "\(name): \(result.stderr)")
        return (roster, scratch)
    }

    private func birthdaysToday(_ roster: RosterProcess) throws -> String {
        let result = try roster.run("query", "birthday = today", "--today", "2026-12-06", "--count")
        #expect(result.status == 0, "\(result.stderr)")
        return count(result)
    }

    /// The number a `query --count` printed ("2 customers match.").
    private func count(_ result: RosterProcess.Result) -> String {
        String(result.stdout.split(separator: " ").first ?? "")
    }

    private func greeting(_ roster: RosterProcess, _ id: String) throws -> String {
        let result = try roster.run("preview", "Hi $Name", "--customer", id)
        #expect(result.status == 0, "\(result.stderr)")
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test("a HubSpot contacts export imports with --preset hubspot: full names and birthdays")
    func hubspot() throws {
        let (roster, _scratch) = try imported(
            "contacts", "hubspot.csv",
            """
            Record ID,First Name,Last Name,Email,Phone Number,Date of birth,Lifecycle Stage,Create Date
            101,Ana,García,ana@example.com,+34 600 11 22 33,1990-12-06,customer,2024-01-02 10:00
            102,Bo,Berg,bo@example.com,+46 70 123 45 67,1985-03-01,lead,2024-01-03 11:00
            103,Cy,,cy@example.com,,1979-12-06,lead,2024-01-04 12:00

            """, ["--preset", "hubspot"])
        _ = _scratch
        #expect(try greeting(roster, "101") == "Hi Ana García")
        #expect(try greeting(roster, "103") == "Hi Cy")
        #expect(try birthdaysToday(roster) == "2")
        let fields = try roster.run("field", "list", "--json")
        #expect(!fields.stdout.contains("Lifecycle"), "a preset imports only what it maps")
    }

    @Test("a Salesforce report export (US dates, M/D/YYYY) imports with --preset salesforce")
    func salesforce() throws {
        let (roster, _scratch) = try imported(
            "contacts", "salesforce.csv",
            """
            Contact ID,First Name,Last Name,Title,Email,Phone,Mobile,Birthdate,Mailing Country
            0035g00000AbCdE,Ana,García,CEO,ana@example.com,,+34600112233,12/6/1990,Spain
            0035g00000AbCdF,Bo,Berg,CTO,bo@example.com,+1 415 555 0100,+1 415 555 0101,3/25/1985,United States
            0035g00000AbCdG,Cy,Ng,,cy@example.com,,,12/6/1979,

            """, ["--preset", "salesforce"])
        _ = _scratch
        #expect(try greeting(roster, "0035g00000AbCdE") == "Hi Ana García")
        #expect(try birthdaysToday(roster) == "2")
    }

    @Test("a Mailchimp audience export (birthdays MM/DD without a year) imports with --preset mailchimp")
    func mailchimp() throws {
        let (roster, _scratch) = try imported(
            "email", "mailchimp.csv",
            """
            Email Address,First Name,Last Name,Address,Phone Number,Birthday,MEMBER_RATING,OPTIN_TIME,LEID,EUID,TAGS
            ana@example.com,Ana,García,,+34 600 11 22 33,12/06,2,2024-01-02 10:00:00,11,a1b2,
            bo@example.com,Bo,Berg,,,03/01,3,2024-01-03 10:00:00,12,a1b3,vip
            cy@example.com,Cy,Ng,,,12/06,1,2024-01-04 10:00:00,13,a1b4,
            di@example.com,Di,Lo,,,06/12,1,2024-01-05 10:00:00,14,a1b5,

            """, ["--preset", "mailchimp"])
        _ = _scratch
        #expect(try greeting(roster, "ana@example.com") == "Hi Ana García")
        #expect(try birthdaysToday(roster) == "2")  // Ana and Cy; Di's 06/12 is 12 June
        let shown = try roster.run("customer", "show", "cy@example.com", "--json")
        #expect(shown.stdout.contains("--12-06"))
        // Without a year, a birthday is neither before nor after a date.
        #expect(count(try roster.run("query", "birthdate < 2000-01-01", "--count")) == "0")
    }

    @Test("a Google Contacts CSV (birthdays YYYY-MM-DD or --MM-DD) imports with --preset google")
    func google() throws {
        let (roster, _scratch) = try imported(
            "email", "google.csv",
            """
            First Name,Middle Name,Last Name,Nickname,Birthday,Notes,Labels,E-mail 1 - Label,E-mail 1 - Value,Phone 1 - Label,Phone 1 - Value
            Ana,,García,,1990-12-06,,* myContacts,* Home,ana@example.com,Mobile,+34 600 11 22 33
            Bo,,Berg,,--03-01,,* myContacts,* Work,bo@example.com,,
            Cy,,Ng,,--12-06,,* myContacts,* Home,cy@example.com,,

            """, ["--preset", "google"])
        _ = _scratch
        #expect(try greeting(roster, "ana@example.com") == "Hi Ana García")
        #expect(try birthdaysToday(roster) == "2")
    }

    @Test("an Outlook CSV export (M/D/YYYY, 0/0/00 for no date) imports with --preset outlook")
    func outlook() throws {
        let (roster, _scratch) = try imported(
            "email", "outlook.csv",
            """
            First Name,Middle Name,Last Name,Title,Suffix,Nickname,E-mail Address,E-mail 2 Address,Mobile Phone,Home Phone,Birthday,Anniversary,Notes
            Ana,,García,,,,ana@example.com,,+34 600 11 22 33,,12/6/1990,0/0/00,
            Bo,,Berg,,,,bo@example.com,,,,3/25/1985,0/0/00,
            Cy,,Ng,,,,cy@example.com,,,,0/0/00,0/0/00,
            Di,,Lo,,,,di@example.com,,,,12/6/2001,0/0/00,

            """, ["--preset", "outlook"])
        _ = _scratch
        #expect(try greeting(roster, "di@example.com") == "Hi Di Lo")
        #expect(try birthdaysToday(roster) == "2")
    }

    /// A Spanish Excel export: `;`, Windows-1252, CRLF, DD/MM/YYYY, decimal commas, phones without a country.
    private static let spanishRows: [String] = [
        "customerId;email;nombre;birthdate;countryCode;phone;importe;cp",
        "C1;ana@example.com;Ana Muñoz;06/12/1990;;600 11 22 33;1.234,50;08001",
        "C2;bo@example.com;Bo;25/12/1991;;+44 7700 900123;4,5;28001",
        "C3;cy@example.com;Cé;1991-12-06;44;07700 900456;12;41001",
        "C4;di@example.com;Di;01/02/1985;;612345678;-0,75;29001",
    ]

    private static var spanishBytes: [UInt8] {
        let text = spanishRows.joined(separator: "\r\n") + "\r\n"
        return text.unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) }  // Latin-1 = Windows-1252 here
    }

    @Test("a Spanish Excel file imports with --default-country 34: dates, E.164 phones and decimal commas")
    func spanishExcel() throws {
        let (roster, _scratch) = try imported(
            "contacts", "clientes.csv", "", ["--default-country", "34", "--json"], bytes: Self.spanishBytes)
        _ = _scratch
        let ana = try roster.run("customer", "show", "C1", "--json")
        #expect(ana.stdout.contains("\"+34600112233\""), "\(ana.stdout)")
        #expect(ana.stdout.contains("1990-12-06"))
        #expect(ana.stdout.contains("Ana Muñoz"))
        #expect(ana.stdout.contains("\"1234.50\""))
        #expect(ana.stdout.contains("\"08001\""))
        let bo = try roster.run("customer", "show", "C2", "--json")
        #expect(bo.stdout.contains("\"+447700900123\""))  // written internationally: the default does not apply
        #expect(bo.stdout.contains("1991-12-25"))
        #expect(bo.stdout.contains("\"4.5\""))
        let cy = try roster.run("customer", "show", "C3", "--json")
        #expect(cy.stdout.contains("\"+447700900456\""))  // the row's countryCode wins
        let di = try roster.run("customer", "show", "C4", "--json")
        #expect(di.stdout.contains("1985-02-01"))
        #expect(di.stdout.contains("\"-0.75\""))
        #expect(try birthdaysToday(roster) == "2")
        let numbers = try roster.run("query", "importe > 1000", "--count")
        #expect(count(numbers) == "1")
    }

    @Test("the summary reports each date column's format, and both import paths store the same values")
    func formatsAndPaths() throws {
        let scratch = try Scratch()
        let path = scratch.path + "/clientes.csv"
        try Data(Self.spanishBytes).write(to: URL(fileURLWithPath: path))
        var exports: [String] = []
        for seeded in [false, true] {
            let roster = RosterProcess(directory: scratch.path + (seeded ? "/seeded" : "/empty"))
            try FileManager.default.createDirectory(atPath: roster.directory, withIntermediateDirectories: true)
            #expect(try roster.run("init", "--region", "eu", "--app-key", "same-key").status == 0)
            if seeded { #expect(try roster.run("customer", "add", "C0").status == 0) }
            let result = try roster.run("import", "contacts", path, "--default-country", "34", "--json")
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.contains("\"DD/MM/YYYY and YYYY-MM-DD\""), "\(result.stdout)")
            #expect(result.stdout.contains("decimal comma"))
            let export = try roster.run("export", "customers", "--format", "jsonl", "--filter", "has email")
            #expect(export.status == 0, "\(export.stderr)")
            exports.append(
                export.stdout.split(separator: "\n")
                    // The seeded store's extra customer, and the trailer that counts it.
                    .filter { !$0.contains("\"C0\"") && !$0.contains("\"roster\":\"end\"") }
                    .map {
                        $0.replacingOccurrences(
                            of: #""(createdAt|updatedAt|exportedAt)":"[^"]*""#, with: "", options: .regularExpression)
                    }
                    .sorted().joined(separator: "\n"))
        }
        #expect(exports[0] == exports[1])
        #expect(exports[0].contains("1990-12-06"))
    }

    @Test("a date column whose values are all ambiguous is refused, naming the column and --date-order")
    func ambiguousDates() throws {
        let scratch = try Scratch()
        let roster = RosterProcess(directory: scratch.path)
        #expect(try roster.run("init", "--region", "eu").status == 0)
        let path = scratch.path + "/ambiguous.csv"
        try "customerId;Fecha Nacimiento\nC1;06/12/1990\nC2;01/02/1985\nC3;05/05/1970\n".write(
            toFile: path, atomically: true, encoding: .utf8)
        let refused = try roster.run("import", "contacts", path, "--map", "birthdate=Fecha Nacimiento")
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("Fecha Nacimiento"), "\(refused.stderr)")
        #expect(refused.stderr.contains("--date-order"))
        #expect(count(try roster.run("query", "has email", "--count")) == "0")
        let imported = try roster.run(
            "import", "contacts", path, "--map", "birthdate=Fecha Nacimiento", "--date-order", "dmy")
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(try birthdaysToday(roster) == "1")
    }

    @Test("two-digit years are refused with the reason; a value that is not a date rejects its row, not the column")
    func twoDigitYearsAndStrayValues() throws {
        let (roster, _scratch) = try imported(
            "contacts", "mixed.csv", "customerId,birthdate\nC1,1990-12-06\nC2,06/12/90\nC3,soon\nC4,25/12/1980\n",
            ["--json"])
        _ = _scratch
        let list = try roster.run("field", "list", "--json")
        #expect(list.stdout.contains("\"date\""), "\(list.stdout)")
        let again = try roster.run("import", "contacts", _scratch.path + "/mixed.csv", "--json")
        #expect(again.stdout.contains("two-digit year"), "\(again.stdout)")
        #expect(again.stdout.contains("is not a date, the type of field birthdate"))
    }

    @Test("a missing required column lists the headers and suggests the --map that fixes it")
    func missingColumn() throws {
        let scratch = try Scratch()
        let roster = RosterProcess(directory: scratch.path)
        #expect(try roster.run("init", "--region", "eu").status == 0)
        let path = scratch.path + "/export.csv"
        try "Record ID,E-mail 1 - Value,City\n7,a@example.com,Vigo\n".write(
            toFile: path, atomically: true, encoding: .utf8)
        let refused = try roster.run("import", "contacts", path)
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("\"Record ID\", \"E-mail 1 - Value\", \"City\""), "\(refused.stderr)")
        #expect(refused.stderr.contains("--map customerId=\"Record ID\""))
        let dry = try roster.run(
            "import", "contacts", path, "--map", "customerId=Record ID", "--map", "email=E-mail 1 - Value", "--dry-run")
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(dry.stdout.contains("customerId <- Record ID"), "\(dry.stdout)")
        #expect(dry.stdout.contains("line 2: customerId=7, email=a@example.com, City=Vigo"))
        #expect(count(try roster.run("query", "has email", "--count")) == "0")
    }

    @Test("a store whose birthdate became text is repaired by field retype birthdate date --date-order dmy")
    func retypeRepairs() throws {
        let (roster, _scratch) = try imported(
            "contacts", "old.csv", "customerId,birthdate,city\nC1,06/12/1990,Vigo\nC2,01/02/1985,Lugo\nC3,,Ourense\n",
            ["--map", "birthdate:text=birthdate"])
        let broken = try roster.run("query", "birthday = today", "--today", "2026-12-06", "--count")
        #expect(broken.status != 0)
        #expect(broken.stderr.contains("text field"))
        let list = try roster.run("field", "list", "--json")
        #expect(list.stdout.contains("\"birthdate\""), "\(list.stdout)")
        #expect(list.stdout.contains("\"count\": 2"), "\(list.stdout)")
        let unordered = try roster.run("field", "retype", "birthdate", "date")
        #expect(unordered.status != 0)
        #expect(unordered.stderr.contains("--date-order"), "\(unordered.stderr)")
        let repaired = try roster.run("field", "retype", "birthdate", "date", "--date-order", "dmy")
        #expect(repaired.status == 0, "\(repaired.stderr)")
        #expect(try birthdaysToday(roster) == "1")
        let audit = try roster.run("audit")
        #expect(audit.stdout.contains("retype birthdate from text to date"), "\(audit.stdout)")
        #expect(try roster.run("segment", "save", "vigo", "city = Vigo").status == 0)
        let renamed = try roster.run("field", "rename", "city", "town")
        #expect(renamed.status == 0, "\(renamed.stderr)")
        #expect(renamed.stdout.contains("rewritten: @vigo"), "\(renamed.stdout)")
        #expect(count(try roster.run("query", "town = Vigo", "--count")) == "1")
        #expect(count(try roster.run("query", "@vigo", "--count")) == "1")
        _ = _scratch
    }

    @Test("retype changes nothing when a value does not convert, unless --drop-unconvertible")
    func retypeUnconvertible() throws {
        let (roster, _scratch) = try imported(
            "contacts", "scores.csv", "customerId,score\nC1,4\nC2,many\nC3,7\n", ["--map", "score:text=score"])
        _ = _scratch
        let refused = try roster.run("field", "retype", "score", "number")
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("\"many\""), "\(refused.stderr)")
        #expect(try roster.run("field", "list", "--json").stdout.contains("\"text\""))
        let dropped = try roster.run("field", "retype", "score", "number", "--drop-unconvertible")
        #expect(dropped.status == 0, "\(dropped.stderr)")
        #expect(count(try roster.run("query", "score > 5", "--count")) == "1")
    }

    @Test("a mapping file keeps a mapping: targets, templates, types, the date order and the default country")
    func mappingFile() throws {
        let scratch = try Scratch()
        let roster = RosterProcess(directory: scratch.path)
        #expect(try roster.run("init", "--region", "eu").status == 0)
        try """
        # the CRM of the shop in Sevilla
        date-order = "dmy"
        default-country = "34"
        only-mapped = true

        [map]
        customerId = "ID"
        email = "Correo"
        phone = "Móvil"
        name = "{Nombre} {Apellidos}"
        "birthdate:date" = "Nacimiento"
        """.write(toFile: scratch.path + "/tienda.toml", atomically: true, encoding: .utf8)
        try """
        ID;Nombre;Apellidos;Correo;Móvil;Nacimiento;Notas
        T1;Ana;García;ana@example.com;600 11 22 33;06/12/1990;cliente fiel
        T2;Bo;;bo@example.com;;01/02/1985;

        """.write(toFile: scratch.path + "/tienda.csv", atomically: true, encoding: .utf8)
        let result = try roster.run(
            "import", "contacts", scratch.path + "/tienda.csv", "--mapping", scratch.path + "/tienda.toml")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try greeting(roster, "T1") == "Hi Ana García")
        #expect(try roster.run("customer", "show", "T1", "--json").stdout.contains("\"+34600112233\""))
        #expect(try birthdaysToday(roster) == "1")
        #expect(!(try roster.run("field", "list").stdout.contains("Notas")))
    }
    @Test("Salesforce's phone columns fall back per row: the first that holds a phone wins, a mobile first")
    func salesforcePhoneFallback() throws {
        let (roster, _scratch) = try imported(
            "contacts", "salesforce.csv",
            """
            Contact ID,First Name,Last Name,Email,Mobile,Phone,Birthdate
            003A,Ana,García,ana@example.com,,+34 911 22 33 44,1990-12-06
            003B,Bo,Berg,bo@example.com,n/a,+1 415 555 0100,1985-03-01
            003C,Cy,Ng,cy@example.com,+44 7700 900123,+44 20 7946 0000,1979-12-06
            003D,Di,Lo,di@example.com,,,1979-01-02

            """, ["--preset", "salesforce"])
        _ = _scratch
        let phones = ["003A": "+34911223344", "003B": "+14155550100", "003C": "+447700900123"]
        for (id, phone) in phones {
            let shown = try roster.run("customer", "show", id, "--json")
            #expect(shown.stdout.contains("\"\(phone)\""), "\(id): \(shown.stdout)")
        }
        #expect(!(try roster.run("customer", "show", "003D", "--json").stdout.contains("\"+")))
        let dry = try roster.run(
            "import", "contacts", _scratch.path + "/salesforce.csv", "--preset", "salesforce", "--dry-run")
        #expect(dry.stdout.contains("phone <- Mobile or Phone"), "\(dry.stdout)")
    }

    @Test("customer set on a date field takes YYYY-MM-DD (or --MM-DD) only, and names the format otherwise")
    func setDateField() throws {
        let (roster, _scratch) = try imported("contacts", "c.csv", "customerId,birthdate\nC1,1990-12-06\n")
        _ = _scratch
        let refused = try roster.run("customer", "set", "C1", "birthdate", "06/12/1991")
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("YYYY-MM-DD"), "\(refused.stderr)")
        #expect(try roster.run("customer", "show", "C1", "--json").stdout.contains("1990-12-06"))
        #expect(try roster.run("customer", "set", "C1", "birthdate", "1991-12-06").status == 0)
        // `--` ends the options: the value starts with dashes.
        #expect(try roster.run("customer", "set", "C1", "birthdate", "--", "--12-07").status == 0)
        #expect(try roster.run("customer", "show", "C1", "--json").stdout.contains("--12-07"))
    }
}
