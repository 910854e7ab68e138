import Foundation
import Testing

@Suite("roster segment, and @NAME in query, preview and export")
struct SegmentCommandTests {
    func prepared() throws -> (Scratch, RosterProcess) {
        let scratch = try Scratch()
        let roster = RosterProcess.withKeyFile(in: scratch.path)
        #expect(try roster.run("init", "--region", "eu", "--time-zone", "Europe/Madrid").status == 0)
        for (id, city, phone) in [("C1", "Madrid", "+34600000001"), ("C2", "Madrid", ""), ("C3", "Lugo", "")] {
            var arguments = [
                "customer", "add", id, "--email", "\(id.lowercased())@example.com", "--field", "city=\(city)",
            ]
            if !phone.isEmpty { arguments += ["--phone", phone] }
            #expect(try roster.run(arguments).status == 0)
        }
        return (scratch, roster)
    }

    @Test("save, list (text and --json, with live counts), use as @NAME everywhere, delete")
    func lifecycle() throws {
        let (scratch, roster) = try prepared()
        defer { withExtendedLifetime(scratch) {} }
        let saved = try roster.run("segment", "save", "madrid", "city = madrid")
        #expect(saved.status == 0, "\(saved.stderr)")
        #expect(saved.stdout == "Saved @madrid: 2 customers match now.\n")
        #expect(try roster.run("segment", "save", "Reachable", "@MADRID and has sms").status == 0)

        let list = try roster.run("segment", "list")
        let lines = list.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 3 && lines[0].hasPrefix("name") && lines[0].hasSuffix("customers  filter"))
        #expect(lines[1].hasPrefix("@madrid ") && lines[1].hasSuffix(" 2  city = madrid"), "\(list.stdout)")
        #expect(lines[2].hasPrefix("@Reachable ") && lines[2].hasSuffix(" 1  @MADRID and has sms"), "\(list.stdout)")
        let json = try roster.run("segment", "list", "--json")
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        let segments = object?["segments"] as? [[String: Any]]
        #expect(segments?.map { $0["name"] as? String } == ["madrid", "Reachable"])
        #expect(segments?.map { $0["count"] as? Int } == [2, 1])

        let count = try roster.run("query", "@madrid", "--count")
        #expect(count.stdout == "2 customers match.\n", "\(count.stderr)")
        #expect(try roster.run("query", "not @reachable and @madrid", "--count").stdout == "1 customer matches.\n")
        let preview = try roster.run("preview", "Hola $city", "--filter", "@reachable")
        #expect(preview.stdout.hasPrefix("1 of 1 customers render completely."), "\(preview.stdout)")
        let export = try roster.run("export", "customers", "--format", "jsonl", "--filter", "@Reachable")
        #expect(export.status == 0, "\(export.stderr)")
        #expect(export.stdout.contains("\"C1\"") && !export.stdout.contains("\"C2\""))

        #expect(try roster.run("segment", "delete", "@reachable").stdout == "Deleted @reachable.\n")
        let audit = try roster.run("audit", "--json")
        #expect(audit.stdout.components(separatedBy: "\"segment\"").count - 1 == 3, "\(audit.stdout)")
    }

    @Test("refusals: a taken name without --replace, an error with its position, an unknown name, a cycle")
    func refusals() throws {
        let (scratch, roster) = try prepared()
        defer { withExtendedLifetime(scratch) {} }
        #expect(try roster.run("segment", "save", "a", "city = lugo").status == 0)
        let taken = try roster.run("segment", "save", "A", "city = madrid")
        #expect(taken.status == 1)
        #expect(taken.stderr.contains("a segment @a is already saved (city = lugo); add --replace to replace it"))
        let bad = try roster.run("segment", "save", "b", "city = ")
        #expect(bad.status == 1 && bad.stderr.contains("query:1:8: expected a value after '='"), "\(bad.stderr)")
        let field = try roster.run("segment", "save", "b", "cty = lugo")
        #expect(field.stderr.contains("query:1:1: unknown field \"cty\""), "\(field.stderr)")
        #expect(try roster.run("segment", "save", "b", "@a or city = madrid").status == 0)
        let cycle = try roster.run("segment", "save", "a", "@b", "--replace")
        #expect(cycle.status == 1 && cycle.stderr.contains("(@b → @a → @b)"), "\(cycle.stderr)")
        let unknownUse = try roster.run("query", "has email and @nope")
        #expect(unknownUse.status == 1)
        #expect(unknownUse.stderr.contains("query:1:15: unknown segment @nope (saved: @a, @b)"), "\(unknownUse.stderr)")
        let unknownDelete = try roster.run("segment", "delete", "nope")
        #expect(unknownDelete.status == 1 && unknownDelete.stderr.contains("no segment is named @nope (saved: @a, @b)"))
        let used = try roster.run("segment", "delete", "a")
        #expect(used.status == 1 && used.stderr.contains("segment @a is used by @b"))
        let replaced = try roster.run("segment", "save", "A", "city = madrid and has sms", "--replace")
        #expect(replaced.stdout == "Saved @A: 1 customer matches now.\n", "\(replaced.stderr)")
        #expect(try roster.run("segment", "save", "A", "city = lugo", "--replace").status == 0)
        #expect(try roster.run("query", "@b", "--count").stdout == "3 customers match.\n")
    }

    @Test(
        "two saves of one name at once: the one that checked first but writes second is refused, not a silent overwrite"
    )
    func raceOnOneName() throws {
        let (scratch, roster) = try prepared()
        defer { withExtendedLifetime(scratch) {} }
        let slow = try BackgroundRoster(roster, ["segment", "save", "x", "city = lugo"], stopAt: "segment-checked")
        let fast = try roster.run("segment", "save", "X", "city = madrid")
        #expect(fast.status == 0, "\(fast.stderr)")
        slow.resume()
        let late = slow.result()
        #expect(late.status == 1)
        #expect(late.stderr.contains("a segment @X is already saved (city = madrid); add --replace"), "\(late.stderr)")
        #expect(try roster.run("query", "@x", "--count").stdout == "2 customers match.\n")
    }
}
