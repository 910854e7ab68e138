import Foundation
import Testing

@Suite("The roster command line: query, preview, export, erase, audit")
struct CommandLinePrivacyTests {
    func prepared() throws -> (Scratch, RosterProcess) {
        let scratch = try Scratch()
        let roster = RosterProcess.withKeyFile(in: scratch.path)
        #expect(try roster.run("init", "--region", "eu", "--time-zone", "Europe/Madrid").status == 0)
        for (id, name, birthdate) in [
            ("C1", "Ana", "1990-03-15"), ("C2", "Bea", "1985-07-01"), ("C3", "", "2000-03-15"),
        ] {
            var arguments = ["customer", "add", id, "--email", "\(id.lowercased())@example.com"]
            arguments += ["--field", "birthdate=\(birthdate)"]
            if !name.isEmpty { arguments += ["--field", "name=\(name)"] }
            #expect(try roster.run(arguments).status == 0)
        }
        return (scratch, roster)
    }

    @Test("query --json, birthday = today with --today, and a syntax error with its position")
    func query() throws {
        let (scratch, roster) = try prepared()
        defer { withExtendedLifetime(scratch) {} }
        let result = try roster.run(["query", "birthday = today", "--today", "2026-03-15", "--json"])
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        #expect(object?["count"] as? Int == 2)
        let count = try roster.run(["query", "name ~ \"an\"", "--count", "--json"])
        #expect(count.stdout.contains("\"count\""))
        let bad = try roster.run(["query", "name = "])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("query:1:"))
        let unknown = try roster.run(["query", "nmae = Ana"])
        #expect(unknown.stderr.contains("unknown field"))
    }

    @Test("preview renders for a customer and reports missing fields; over a segment it counts them")
    func preview() throws {
        let (scratch, roster) = try prepared()
        defer { withExtendedLifetime(scratch) {} }
        let one = try roster.run(["preview", "Hi $Name", "--customer", "C1", "--json"])
        #expect(one.stdout.contains("\"rendered\":\"Hi Ana\"") || one.stdout.contains("\"rendered\": \"Hi Ana\""))
        let missing = try roster.run(["preview", "Hi $Name", "--customer", "C3", "--json"])
        let object = try JSONSerialization.jsonObject(with: Data(missing.stdout.utf8)) as? [String: Any]
        #expect(object?["missing"] as? [String] == ["Name"])
        let segment = try roster.run(["preview", "Hi $Name", "--filter", "birthday = today", "--today", "2026-03-15"])
        #expect(segment.stdout.contains("1 of 2 customers render completely"))
    }

    @Test("erase needs --yes without a terminal; afterwards nothing finds the customer; the audit log verifies")
    func eraseAndAudit() throws {
        let (scratch, roster) = try prepared()
        defer { withExtendedLifetime(scratch) {} }
        let refused = try roster.run(["customer", "erase", "C2"])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("--yes"))
        #expect(try roster.run(["customer", "show", "C2"]).status == 0)
        let erased = try roster.run(["customer", "erase", "C2", "--yes", "--suppress"])
        #expect(erased.status == 0, "\(erased.stderr)")
        #expect(try roster.run(["customer", "show", "c2@example.com"]).status != 0)
        let again = try roster.run(["customer", "add", "C2"])
        #expect(again.status != 0)
        #expect(again.stderr.contains("suppressed"))
        let audit = try roster.run(["audit", "--json"])
        for action in ["field", "reveal", "erase"] { #expect(audit.stdout.contains("\"\(action)\"")) }
        #expect(!audit.stdout.contains("c2@example.com"))
        #expect(try roster.run(["audit", "--verify"]).status == 0)
    }

    @Test("a change that prints the customer in clear (set, unset, consent) is audited as a reveal, as show is")
    func changeDisclosureAudited() throws {
        let (scratch, roster) = try prepared()
        defer { withExtendedLifetime(scratch) {} }
        func reveals() throws -> [String] {
            let audit = try roster.run(["audit", "--json"])
            let object = try JSONSerialization.jsonObject(with: Data(audit.stdout.utf8)) as? [String: Any]
            let entries = object?["entries"] as? [[String: Any]] ?? []
            return entries.filter { $0["action"] as? String == "reveal" }.compactMap { $0["detail"] as? String }
        }
        let before = try reveals()
        let set = try roster.run(["customer", "set", "C1", "city", "Lugo"])
        #expect(set.status == 0 && set.stdout.contains("c1@example.com"), "the change prints the customer")
        #expect(try roster.run(["customer", "unset", "C1", "city"]).status == 0)
        #expect(try roster.run(["customer", "consent", "C1", "email", "off"]).status == 0)
        #expect(try reveals().dropFirst(before.count) == ["customer set", "customer unset", "customer consent"])
    }

    @Test("field list and customer show align names by their width on a terminal: combining accents, wide characters")
    func namesAligned() throws {
        let (scratch, roster) = try prepared()
        defer { withExtendedLifetime(scratch) {} }
        let long = "a_field_name_longer_than_labels"
        for (field, value) in [("ciuda\u{301}d", "Lugo"), ("名前", "山田"), (long, "x")] {
            #expect(try roster.run(["customer", "set", "C1", field, value]).status == 0)
        }
        let list = try roster.run(["field", "list"]).stdout.split(separator: "\n").map(String.init)
        // The widest name is the long one (31 columns): every type starts after it and two spaces.
        let pad = { (name: String, width: Int) in name + String(repeating: " ", count: 31 - width) + "  text" }
        #expect(list.contains { $0.hasPrefix(pad("ciuda\u{301}d", 6)) }, "\(list)")
        #expect(list.contains { $0.hasPrefix(pad("名前", 4)) }, "\(list)")
        let shown = try roster.run(["customer", "show", "C1"]).stdout
        #expect(shown.contains("  名前" + String(repeating: " ", count: 10) + "山田"), "\(shown)")
        #expect(shown.contains("  " + long + " x"), "the long name whole\n\(shown)")
    }

    @Test("export customers as CSV and jsonl carries the region; export customer is the access document")
    func export() throws {
        let (scratch, roster) = try prepared()
        let csv = try roster.run(["export", "customers", "--format", "csv"])
        #expect(csv.stdout.hasPrefix("customerId,externalCode,email,emailConsent"))
        #expect(csv.stdout.contains("c1@example.com"))
        #expect(
            try roster.run(["export", "customers", "--format", "jsonl", "--out", scratch.path + "/all.jsonl"]).status
                == 0)
        let jsonl = try String(contentsOfFile: scratch.path + "/all.jsonl", encoding: .utf8)
        #expect(jsonl.hasPrefix("{\"roster\":\"export\",\"version\":2,\"region\":\"eu\""))
        let segment = try roster.run(["export", "customers", "--format", "csv", "--filter", "name = Bea"])
        #expect(segment.stdout.split(separator: "\n").count == 2)
        let access = try roster.run(["export", "customer", "C1"])
        #expect(access.stdout.contains("\"region\": \"eu\""))
        #expect(access.stdout.contains("\"audit\""))
    }
}
