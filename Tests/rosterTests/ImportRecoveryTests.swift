import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@Suite("Import: a killed import loses nothing committed", .serialized)
struct ImportRecoveryTests {
    /// Starts `roster ARGS…` and kills it with SIGKILL after `delay` seconds (if it is still running).
    func runAndKill(_ roster: RosterProcess, _ arguments: [String], after delay: Double) throws -> Bool {
        let process = Process()
        process.executableURL = RosterProcess.executable
        process.arguments = arguments
        process.environment = roster.environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        Thread.sleep(forTimeInterval: delay)
        let killed = process.isRunning
        if killed { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        return killed
    }

    func summary(_ result: RosterProcess.Result) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any] ?? [:]
    }

    @Test("SIGKILL during a bulk import leaves the empty store untouched; running it again imports everything")
    func killedBulkImport() throws {
        let scratch = try Scratch()
        let roster = RosterProcess.withKeyFile(in: scratch.path)
        #expect(try roster.run("init", "--region", "eu").status == 0)
        #expect(try roster.run("generate", "--contacts", "20000", "--out", scratch.path + "/c.csv").status == 0)

        let killed = try runAndKill(roster, ["import", "contacts", scratch.path + "/c.csv"], after: 0.8)
        let count = try roster.run("query", "has email or not has email", "--count", "--json")
        #expect(count.status == 0, "the store still opens: \(count.stderr)")
        if killed {
            #expect(try summary(count)["count"] as? Int == 0, "a killed bulk import leaves the empty store as it was")
        }
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

        // Small batches, so that some are committed before the kill.
        _ = try runAndKill(
            roster, ["import", "contacts", scratch.path + "/c.csv", "--batch-size", "1000"], after: 1.5)
        // Every customer committed before the kill decrypts: the working set loads without an integrity error.
        let partial = try roster.run("query", "has email or not has email", "--count", "--json")
        #expect(partial.status == 0, "\(partial.stderr)")
        let before = try summary(partial)["count"] as? Int ?? -1
        #expect(before >= 1)

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
