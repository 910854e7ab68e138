import Foundation
import Testing

/// Input an attacker or a careless data engineer would give, through the real binary.
@Suite("Hostile input on the command line")
struct HostileInputTests {
    /// A new store in `scratch`, unlocked by a key file (no scrypt: fast tests).
    private func store(in scratch: Scratch) throws -> RosterProcess {
        let roster = RosterProcess.withKeyFile(in: scratch.path)
        let created = try roster.run("init", "--region", "eu")
        #expect(created.status == 0, "\(created.stderr)")
        return roster
    }

    @Test("an ID that is one customer's externalCode and another's CRM id is refused by erase, and typed IDs pick one")
    func ambiguousExternalCode() throws {
        let scratch = try Scratch()
        defer { withExtendedLifetime(scratch) {} }
        let roster = try store(in: scratch)
        #expect(try roster.run("customer", "add", "B", "--email", "bob@example.com").status == 0)
        let code = try roster.run("externalcode", "B").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let added = try roster.run("customer", "add", code)
        #expect(added.status == 0)
        #expect(added.stderr.contains("ambiguous as an ID") && added.stderr.contains("crm:\(code)"), "\(added.stderr)")

        let erased = try roster.run("customer", "erase", code, "--yes")
        #expect(erased.status != 0)
        #expect(erased.stderr.contains("ambiguous"), "\(erased.stderr)")
        #expect(erased.stderr.contains("crm:\(code)") && erased.stderr.contains("code:\(code)"))
        #expect(try roster.run("customer", "show", "crm:B").status == 0, "B is still there")

        for refused in [
            ["customer", "set", code, "city", "Madrid"], ["customer", "unset", code, "city"],
            ["customer", "consent", code, "email", "off"], ["export", "customer", code],
        ] {
            let result = try roster.run(refused)
            #expect(result.status != 0, "\(refused)")
            #expect(result.stderr.contains("ambiguous"), "\(refused): \(result.stderr)")
        }

        let typed = try roster.run("customer", "erase", "code:\(code)", "--yes")
        #expect(typed.status == 0, "\(typed.stderr)")
        let gone = try roster.run("customer", "show", "crm:B")
        #expect(gone.status != 0, "code: named B, the customer whose externalCode it is")
        #expect(try roster.run("customer", "show", "crm:\(code)").status == 0)
    }

    @Test("show lists every candidate of an ambiguous ID with its kind and exits non-zero")
    func ambiguousEmail() throws {
        let scratch = try Scratch()
        defer { withExtendedLifetime(scratch) {} }
        let roster = try store(in: scratch)
        #expect(try roster.run("customer", "add", "B", "--email", "bob@example.com", "--field", "name=Bob").status == 0)
        #expect(try roster.run("customer", "add", "bob@example.com", "--field", "name=Other").status == 0)

        let shown = try roster.run("customer", "show", "bob@example.com")
        #expect(shown.status != 0)
        #expect(shown.stdout.contains("As CRM id") && shown.stdout.contains("As email"), "\(shown.stdout)")
        #expect(shown.stdout.contains("Bob") && shown.stdout.contains("Other"))
        #expect(shown.stderr.contains("email:bob@example.com"))

        let json = try roster.run("customer", "show", "bob@example.com", "--json")
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        let kinds = (object?["candidates"] as? [[String: Any]])?.compactMap { $0["matchedAs"] as? String }
        #expect(kinds == ["CRM id", "email"])

        let byEmail = try roster.run("customer", "show", "email:bob@example.com", "--json")
        #expect(byEmail.status == 0, "\(byEmail.stderr)")
        let customer = try JSONSerialization.jsonObject(with: Data(byEmail.stdout.utf8)) as? [String: Any]
        #expect(customer?["crmId"] as? String == "B")
        let unknown = try roster.run("customer", "show", "phone:+34600112233")
        #expect(unknown.status != 0 && unknown.stderr.contains("phone only"), "\(unknown.stderr)")
    }

    @Test("20,000 nested parentheses are a positioned error, not a crash")
    func deepFilter() throws {
        let scratch = try Scratch()
        defer { withExtendedLifetime(scratch) {} }
        let roster = try store(in: scratch)
        #expect(try roster.run("customer", "add", "A", "--field", "name=Ana").status == 0)
        let deep = String(repeating: "(", count: 20_000) + "name = Ana" + String(repeating: ")", count: 20_000)
        for arguments in [
            ["query", deep], ["preview", "Hi $name", "--filter", deep],
            [
                "export", "customers",
                "--format", "jsonl", "--filter", deep,
            ],
        ] {
            let result = try roster.run(arguments)
            #expect(result.status == 1, "\(arguments[0]): \(result.status) \(result.stderr.prefix(300))")
            #expect(result.stderr.contains("query:1:101:"), "\(result.stderr.prefix(300))")
            #expect(result.stderr.contains("levels deep"))
        }
        let nots = String(repeating: "not ", count: 20_000) + "name = Ana"
        #expect(try roster.run("query", nots).stderr.contains("levels deep"))
        let long = (0..<5_000).map { "name = n\($0)" }.joined(separator: " or ") + " or name = Ana"
        let wide = try roster.run("query", long, "--count")
        #expect(wide.status == 0, "\(wide.stderr.prefix(300))")
        #expect(wide.stdout.hasPrefix("1"))
    }

    @Test("escape sequences in a CSV header, a template field or an ID reach the terminal escaped")
    func escapesAreEscaped() throws {
        let scratch = try Scratch()
        let roster = try store(in: scratch)
        let header = "\u{1b}]52;c;aGVsbG8=\u{07}name,\u{1b}[2Jcity\n"
        try Data((header + "Ana,Madrid\n").utf8).write(to: URL(fileURLWithPath: scratch.path + "/evil.csv"))
        for kind in ["email", "sms", "push", "fields", "contacts"] {
            let result = try roster.run("import", kind, scratch.path + "/evil.csv")
            #expect(result.status != 0)
            #expect(!result.stderr.contains("\u{1b}"), "\(kind): \(result.stderr.debugDescription)")
            #expect(!result.stderr.contains("\u{07}"))
        }
        #expect(try roster.run("customer", "add", "A", "--field", "name=Ana").status == 0)
        let preview = try roster.run("preview", "Hi ${na\u{1b}[2Jme}", "--customer", "A")
        #expect(
            !preview.stderr.contains("\u{1b}") && !preview.stdout.contains("\u{1b}"),
            "\(preview.stderr.debugDescription)")
        let unknown = try roster.run("customer", "show", "\u{1b}]0;pwned\u{07}")
        #expect(unknown.status != 0)
        #expect(
            !unknown.stderr.contains("\u{1b}") && unknown.stderr.contains("^["), "\(unknown.stderr.debugDescription)")
        let registered = try roster.run(
            "device", "register", "--platform", "webpush", "--device-id", "dev-1", "--locale", "es\u{202E}ES")
        #expect(registered.status == 0, "\(registered.stderr)")
        let device = try roster.run("device", "get", "dev-1")
        #expect(!device.stdout.unicodeScalars.contains("\u{202E}"), "a bidi override reorders the terminal")
        #expect(device.stdout.contains("es\\u202eES"), "\(device.stdout)")
        let badOption = try roster.run("customer", "add", "A", "--field", "x\u{1b}[2J")
        #expect(badOption.status != 0)
        #expect(!badOption.stderr.contains("\u{1b}"), "\(badOption.stderr.debugDescription)")
    }

    @Test("large integers compare exactly as written, not as doubles")
    func exactNumbers() throws {
        let scratch = try Scratch()
        defer { withExtendedLifetime(scratch) {} }
        let roster = try store(in: scratch)
        #expect(try roster.run("customer", "add", "A", "--field", "score=9007199254740992").status == 0)
        #expect(try roster.run("customer", "add", "B", "--field", "score=9007199254740993").status == 0)
        #expect(try roster.run("customer", "add", "C", "--field", "score=12345678901234567890.10").status == 0)
        func count(_ filter: String) throws -> String {
            String(try roster.run("query", filter, "--count").stdout.prefix { $0.isNumber })
        }
        #expect(try count("score = 9007199254740993") == "1")
        #expect(try count("score = 9007199254740992") == "1")
        #expect(try count("score > 9007199254740992") == "2")
        #expect(try count("score < 9007199254740993") == "1")
        #expect(try count("score != 9007199254740993") == "2")
        #expect(try count("score = 12345678901234567890.1") == "1")
        #expect(try count("score > 12345678901234567890.100000001") == "0")
    }
}

@Suite("Secrets off the command line")
struct AppKeySourceTests {
    @Test("the app key comes from ROSTER_APP_KEY or --app-key-file with the same codes as --app-key")
    func appKeyFromEnvironmentAndFile() throws {
        func code(_ arguments: [String], environment: [String: String] = [:]) throws -> String {
            let scratch = try Scratch()
            let roster = RosterProcess.withKeyFile(in: scratch.path)
            try Data("ak-123456\n".utf8).write(to: URL(fileURLWithPath: scratch.path + "/app.key"))
            let created = try roster.run(["init", "--region", "eu"] + arguments, environment: environment)
            #expect(created.status == 0, "\(created.stderr)")
            return try roster.run("externalcode", "CRM-1").stdout
        }
        let expected = "787301fe98e3d4a7e17c18fa1dd155ffb7f5cba1fa3d527d56d522fae24807bb\n"
        #expect(try code(["--app-key", "ak-123456"]) == expected)
        #expect(try code([], environment: ["ROSTER_APP_KEY": "ak-123456"]) == expected)
        #expect(try code(["--app-key-file", "app.key"]) == expected)
        #expect(try code([]) != expected)

        let scratch = try Scratch()
        let roster = RosterProcess.withKeyFile(in: scratch.path)
        let missing = try roster.run("init", "--region", "eu", "--app-key-file", "nope.key")
        #expect(missing.status != 0 && missing.stderr.contains("nope.key"), "\(missing.stderr)")
        #expect(!FileManager.default.fileExists(atPath: scratch.path + "/store.roster"))
        #expect(!FileManager.default.fileExists(atPath: scratch.path + "/store.key"))
    }
}
