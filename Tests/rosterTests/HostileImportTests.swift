import Foundation
import Testing

/// Files an attacker or a careless data engineer would import, through the real binary.
@Suite("Hostile files on import")
struct HostileImportTests {
    private func store(in scratch: Scratch) throws -> RosterProcess {
        let roster = RosterProcess.withKeyFile(in: scratch.path)
        let created = try roster.run("init", "--region", "eu")
        #expect(created.status == 0, "\(created.stderr)")
        return roster
    }

    private func write(_ bytes: [UInt8], _ scratch: Scratch, _ name: String) throws -> String {
        let path = scratch.path + "/" + name
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    private func json(_ text: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] ?? [:]
    }

    @Test("one bad byte in a UTF-8 file rejects its row with the byte, and the rest stays UTF-8")
    func oneBadByte() throws {
        let scratch = try Scratch()
        let roster = try store(in: scratch)
        var bytes = Array("customerId,name\n".utf8)
        for index in 0..<1000 { bytes += Array("A\(index),Ann\n".utf8) }
        bytes += Array("BAD,x".utf8) + [0xFF, 0xFE] + Array("y\n".utf8)
        for index in 0..<999 { bytes += Array("J\(index),José\n".utf8) }
        let path = try write(bytes, scratch, "mixed.csv")
        let result = try roster.run("import", "contacts", path, "--json")
        #expect(result.status == 0, "\(result.stderr)")
        let summary = try json(result.stdout)
        #expect(summary["rejected"] as? Int == 1)
        #expect(summary["encoding"] as? String == "utf-8")
        #expect(summary["separator"] as? String == ",")
        let rejection = (summary["rejects"] as? [[String: Any]])?.first
        #expect(rejection?["line"] as? Int == 1002)
        #expect((rejection?["reason"] as? String)?.contains("at byte 6 of the row") == true, "\(rejection ?? [:])")
        let shown = try json(try roster.run("customer", "show", "J5", "--json").stdout)
        #expect(
            (shown["fields"] as? [String: Any]).flatMap { $0["name"] as? [String: Any] }?["value"] as? String == "José")

        let latin = try write(Array("customerId,name\nW1,Jos".utf8) + [0xE9] + Array("\n".utf8), scratch, "latin.csv")
        let text = try roster.run("import", "contacts", latin)
        #expect(text.stdout.contains("Read as Windows-1252, separator \",\""), "\(text.stdout)")
        let forced = try json(try roster.run("import", "contacts", latin, "--encoding", "utf-8", "--json").stdout)
        #expect(forced["rejected"] as? Int == 1)
    }

    @Test("import jsonl refuses what the other ways in refuse, honours consent words and keeps timestamps")
    func jsonlValidation() throws {
        let scratch = try Scratch()
        let roster = try store(in: scratch)
        let lines = [
            #"{"roster":"export","region":"eu","fields":[{"name":"zip","type":"text"}]}"#,
            #"{"crmId":"\u001b[2JX","email":"x@example.com"}"#,
            #"{"crmId":"F1","fields":{"ci\u001bty":{"type":"text","value":"Madrid"}}}"#,
            #"{"crmId":"C1","email":"c1@example.com","consent":{"email":"no"}}"#,
            #"{"crmId":"C2","email":"c2@example.com","consent":{"email":"maybe"}}"#,
            #"{"crmId":"T1","createdAt":"2020-01-02T03:04:05Z","updatedAt":"2021-02-03T04:05:06Z"}"#,
            #"{"crmId":"Z1","fields":{"zip":{"type":"number","value":"12345"}}}"#,
            #"{"crmId":"Z2","fields":{"zip":{"type":"text","value":"12345"},"visits":{"value":"5"}}}"#,
            String(repeating: "[", count: 5_000) + String(repeating: "]", count: 5_000),
        ]
        let path = try write(Array((lines.joined(separator: "\n") + "\n").utf8), scratch, "in.jsonl")
        let result = try roster.run("import", "jsonl", path, "--json")
        #expect(result.status == 0, "\(result.stderr)")
        let rejects = (try json(result.stdout)["rejects"] as? [[String: Any]]) ?? []
        let reasons = Dictionary(
            uniqueKeysWithValues: rejects.map { ($0["line"] as? Int ?? 0, $0["reason"] as? String ?? "") })
        #expect(reasons[2]?.contains("control characters") == true, "\(reasons)")
        #expect(reasons[3]?.contains("not a field name") == true, "\(reasons)")
        #expect(reasons[5]?.contains("not true or false") == true, "\(reasons)")
        #expect(reasons[7]?.contains("the line says a number") == true, "\(reasons)")
        #expect(reasons[9]?.contains("levels deep (at byte 17)") == true, "\(reasons)")
        #expect(reasons.count == 5)

        let consent = try json(try roster.run("customer", "show", "C1", "--json").stdout)
        #expect((consent["consent"] as? [String: Any])?["email"] as? Bool == false)
        let stamped = try json(try roster.run("customer", "show", "T1", "--json").stdout)
        #expect(stamped["createdAt"] as? String == "2020-01-02T03:04:05Z")
        #expect(stamped["updatedAt"] as? String == "2021-02-03T04:05:06Z")
        let typed = try json(try roster.run("customer", "show", "Z2", "--json").stdout)
        let fields = typed["fields"] as? [String: [String: Any]]
        #expect(fields?["zip"]?["type"] as? String == "text")
        #expect(fields?["visits"]?["type"] as? String == "number")
    }

    @Test("two spellings of one email domain are one mailbox; a leading dot is refused with a reason")
    func emailSpellings() throws {
        let scratch = try Scratch()
        let roster = try store(in: scratch)
        #expect(try roster.run("customer", "add", "A", "--email", "bob@xn--exmple-cua.com").status == 0)
        let second = try roster.run("customer", "add", "B", "--email", "bob@EXÄMPLE.com")
        #expect(second.status != 0, "one mailbox, two customers: \(second.stdout)")
        let shown = try json(try roster.run("customer", "show", "email:bob@exämple.com", "--json").stdout)
        #expect(shown["crmId"] as? String == "A")
        #expect(shown["email"] as? String == "bob@exämple.com")
        let dot = try roster.run("customer", "add", "C", "--email", ".bob@example.com")
        #expect(dot.status != 0 && dot.stderr.contains("starts with a dot"), "\(dot.stderr)")
    }

    @Test("a file with customerId and externalCode uses both: rows where they name different customers are refused")
    func identityColumnsAgree() throws {
        let scratch = try Scratch()
        let roster = try store(in: scratch)
        let code = try roster.run("externalcode", "D").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let csv = "customerId,externalCode,email\nA,A,a@example.com\nB,C,b@example.com\nD,\(code),d@example.com\n"
        let path = try write(Array(csv.utf8), scratch, "both.csv")
        for round in ["empty store (bulk path)", "store with customers (row by row)"] {
            let result = try roster.run("import", "contacts", path, "--json")
            #expect(result.status == 0, "\(round): \(result.stderr)")
            let rejects = try json(result.stdout)["rejects"] as? [[String: Any]] ?? []
            #expect(rejects.count == 1, "\(round): \(rejects)")
            #expect(rejects.first?["line"] as? Int == 3)
            #expect((rejects.first?["reason"] as? String)?.contains("name different customers") == true)
        }
        #expect(try roster.run("customer", "show", "crm:D").status == 0)
        #expect(try roster.run("customer", "show", "crm:B").status != 0)
    }

    @Test("messages: an empty file names its path once, mixed separators are said once, damage points to check")
    func messages() throws {
        let scratch = try Scratch()
        let roster = try store(in: scratch)
        let empty = try write([], scratch, "empty.csv")
        let emptyResult = try roster.run("import", "contacts", empty)
        #expect(emptyResult.status != 0)
        #expect(emptyResult.stderr.components(separatedBy: "empty.csv").count == 2, "\(emptyResult.stderr)")

        let mixed = try write(
            Array("customerId,email;name\tcity\nA,a@example.com;Ann\tMadrid\nB,b@example.com;Bo\tRoma\n".utf8), scratch,
            "mixed.csv")
        let mixedResult = try roster.run("import", "contacts", mixed)
        #expect(mixedResult.status != 0)
        #expect(mixedResult.stderr.contains("mixes separators"), "\(mixedResult.stderr)")
        #expect(!mixedResult.stderr.contains("line 2"), "said once, not once per row")

        #expect(try roster.run("customer", "add", "A", "--field", "name=Ann").status == 0)
        let storePath = scratch.path + "/store.roster"
        var bytes = try Array(Data(contentsOf: URL(fileURLWithPath: storePath)))
        for index in 100..<min(bytes.count, 4_000) { bytes[index] = 0x5A }
        try Data(bytes).write(to: URL(fileURLWithPath: storePath))
        let damaged = try roster.run("customer", "show", "A")
        #expect(damaged.status != 0)
        #expect(damaged.stderr.contains("damaged") && damaged.stderr.contains("roster check"), "\(damaged.stderr)")
        let checked = try roster.run("check")
        #expect(checked.status != 0)
        #expect(checked.stderr.contains("check: sqlite"), "\(checked.stderr)")
    }

    @Test("roster check passes a fresh store and reports a deleted email index row, with --json")
    func checkCommand() throws {
        let scratch = try Scratch()
        let roster = try store(in: scratch)
        #expect(try roster.run("customer", "add", "A", "--email", "ana@example.com").status == 0)
        let clean = try roster.run("check")
        #expect(clean.status == 0, "\(clean.stderr)")
        #expect(clean.stdout.contains("is intact"))
        let sqlite = Process()
        sqlite.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        sqlite.arguments = [scratch.path + "/store.roster", "DELETE FROM emailIndex;"]
        guard (try? sqlite.run()) != nil else { return }
        sqlite.waitUntilExit()
        let tampered = try roster.run("check", "--json")
        #expect(tampered.status == 1)
        let report = try json(tampered.stdout)
        #expect(report["intact"] as? Bool == false)
        #expect(report["problemCount"] as? Int == 1)
    }
}
