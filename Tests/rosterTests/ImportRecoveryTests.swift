import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@Suite("Import: a killed import loses nothing committed", .serialized)
struct ImportRecoveryTests {
    func summary(_ result: RosterProcess.Result) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any] ?? [:]
    }

    @Test("SIGKILL during a bulk import leaves the empty store untouched; running it again imports everything")
    func killedBulkImport() throws {
        let scratch = try Scratch()
        let roster = RosterProcess.withKeyFile(in: scratch.path)
        #expect(try roster.run("init", "--region", "eu").status == 0)
        #expect(try roster.run("generate", "--contacts", "20000", "--out", scratch.path + "/c.csv").status == 0)

        // Stopped by the test hook once the first batch of rows is sealed and handed to the writer, then killed
        // there: the kill always lands in the middle of the import, however loaded the machine is.
        try BackgroundRoster(roster, ["import", "contacts", scratch.path + "/c.csv"], stopAt: "bulk-batch-sealed")
            .killNow()
        let count = try roster.run("query", "has email or not has email", "--count", "--json")
        #expect(count.status == 0, "the store still opens: \(count.stderr)")
        #expect(try summary(count)["count"] as? Int == 0, "a killed bulk import leaves the empty store as it was")
        let again = try roster.run("import", "contacts", scratch.path + "/c.csv", "--json")
        #expect(again.status == 0, "\(again.stderr)")
        let created = try summary(again)["created"] as? Int ?? -1
        #expect(created > 19_000)
        let final = try roster.run("query", "has email or not has email", "--count", "--json")
        #expect(try summary(final)["count"] as? Int == created)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: scratch.path).filter {
            $0.contains(".import-")
        }
        #expect(leftovers.isEmpty, "temporary files of the killed import are cleaned up: \(leftovers)")
    }

    @Test("SIGKILL during an incremental import keeps whole batches; running it again completes it")
    func killedIncrementalImport() throws {
        let scratch = try Scratch()
        let roster = RosterProcess.withKeyFile(in: scratch.path)
        #expect(try roster.run("init", "--region", "eu").status == 0)
        #expect(try roster.run("customer", "add", "FIRST", "--field", "name=First").status == 0)
        #expect(try roster.run("generate", "--contacts", "12000", "--out", scratch.path + "/c.csv").status == 0)

        // Small batches; killed right after the first one committed (test hook).
        try BackgroundRoster(
            roster, ["import", "contacts", scratch.path + "/c.csv", "--batch-size", "1000"], stopAt: "batch-committed"
        ).killNow()
        // Every customer committed before the kill decrypts: the working set loads without an integrity error.
        let partial = try roster.run("query", "has email or not has email", "--count", "--json")
        #expect(partial.status == 0, "\(partial.stderr)")
        let before = try summary(partial)["count"] as? Int ?? -1
        // The committed batch is in the audit log, audited in the transaction that committed it: exactly what the
        // store holds.
        let audit = try roster.run("audit", "--json")
        let object = try JSONSerialization.jsonObject(with: Data(audit.stdout.utf8)) as? [String: Any]
        let entries = object?["entries"] as? [[String: Any]] ?? []
        let batches = entries.compactMap { $0["detail"] as? String }.filter { $0.contains("batch committed") }
        #expect(batches.count == 1, "\(batches)")
        let committed = batches.first.flatMap { detail in
            Int(detail.split(separator: ":").last?.split(separator: " ").first ?? "")
        }
        #expect(committed.map { $0 + 1 } == before, "\(batches) against \(before) customers")
        #expect(try roster.run("audit", "--verify").status == 0)

        let again = try roster.run("import", "contacts", scratch.path + "/c.csv", "--json")
        #expect(again.status == 0, "\(again.stderr)")
        let report = try summary(again)
        let created = report["created"] as? Int ?? -1
        let unchanged = report["unchanged"] as? Int ?? -1
        #expect(unchanged == before - 1, "rows committed before the kill are found unchanged")
        let final = try roster.run("query", "has email or not has email", "--count", "--json")
        #expect(try summary(final)["count"] as? Int == 1 + created + unchanged)
        #expect(try roster.run("customer", "show", "FIRST").status == 0)
    }
}
