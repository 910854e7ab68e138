import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Import inputs read once (a changed file, FIFOs, standard input) and exports checked end to end, with the binary.
@Suite("Input files read once; exports that re-import whole", .serialized)
struct InputFileTests {
    func summary(_ result: RosterProcess.Result) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]) ?? [:]
    }

    func customerCount(_ roster: RosterProcess) throws -> Int {
        summary(try roster.run("query", "has email or not has email", "--count", "--json"))["count"] as? Int ?? -1
    }

    func write(_ text: String, to path: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    /// Starts `roster ARGS…` with `stdin` (a file handle) and waits for it.
    func run(_ roster: RosterProcess, _ arguments: [String], stdin: Any, extra: [String: String] = [:]) throws
        -> RosterProcess.Result
    {
        let process = Process()
        process.executableURL = RosterProcess.executable
        process.arguments = arguments
        process.environment = roster.environment.merging(extra) { $1 }
        process.currentDirectoryURL = URL(fileURLWithPath: roster.directory)
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = stdin
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return RosterProcess.Result(
            status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: stderr, as: UTF8.self))
    }

    func contacts(_ range: Range<Int>, bad: Int? = nil) -> String {
        "customerId,email,name\n"
            + range.map { $0 == bad ? "C\($0),not-an-email,N\($0)\n" : "C\($0),c\($0)@example.com,N\($0)\n" }.joined()
    }

    @Test("an input written to between the two passes is refused, and nothing is imported")
    func changedBetweenPasses() throws {
        let scratch = try Scratch()
        let roster = RosterProcess.withKeyFile(in: scratch.path)
        #expect(try roster.run("init", "--region", "eu").status == 0)
        #expect(try roster.run("customer", "add", "C0", "--email", "c0@example.com").status == 0)
        let file = scratch.path + "/more.csv"
        try write(contacts(1..<200), to: file)
        let pause = ["ROSTER_TEST_PAUSE_AT": "import-between-passes", "ROSTER_TEST_PAUSE_DIR": scratch.path]
        let process = Process()
        process.executableURL = RosterProcess.executable
        process.arguments = ["import", "contacts", file]
        process.environment = roster.environment.merging(pause) { $1 }
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        // The import stops after its first pass until told to go on: the file is edited exactly there.
        while !FileManager.default.fileExists(atPath: scratch.path + "/import-between-passes.paused") {
            usleep(2000)
        }
        let handle = try #require(FileHandle(forUpdatingAtPath: file))
        try handle.seek(toOffset: 30)
        try handle.write(contentsOf: Data("X".utf8))
        try handle.close()
        #expect(FileManager.default.createFile(atPath: scratch.path + "/import-between-passes.resume", contents: nil))
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus != 0)
        #expect(stderr.contains("changed while it was being imported"), "\(stderr)")
        #expect(try customerCount(roster) == 1, "nothing was imported")
    }

    @Test("an input written to while pass 2 runs: the transaction being written is rolled back, none committed")
    func changedDuringSecondPass() throws {
        let scratch = try Scratch()
        let roster = RosterProcess.withKeyFile(in: scratch.path)
        #expect(try roster.run("init", "--region", "eu").status == 0)
        #expect(try roster.run("customer", "add", "C0", "--email", "c0@example.com").status == 0)
        let file = scratch.path + "/more.csv"
        try write(contacts(1..<300), to: file)
        let pause = ["ROSTER_TEST_PAUSE_AT": "import-before-commit", "ROSTER_TEST_PAUSE_DIR": scratch.path]
        let process = Process()
        process.executableURL = RosterProcess.executable
        process.arguments = ["import", "contacts", file, "--batch-size", "100"]
        process.environment = roster.environment.merging(pause) { $1 }
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        // The first transaction is applied and waits before its commit: the file is appended to exactly there.
        while !FileManager.default.fileExists(atPath: scratch.path + "/import-before-commit.paused") {
            usleep(2000)
        }
        let handle = try #require(FileHandle(forUpdatingAtPath: file))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("C999,c999@example.com,late\n".utf8))
        try handle.close()
        #expect(FileManager.default.createFile(atPath: scratch.path + "/import-before-commit.resume", contents: nil))
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus != 0)
        #expect(stderr.contains("changed while it was being imported"), "\(stderr)")
        #expect(try customerCount(roster) == 1, "the transaction in progress was rolled back")
    }

    @Test("a FIFO imports once, into an empty store and into one with customers, and does not hang")
    func fifoInput() throws {
        let scratch = try Scratch()
        let roster = RosterProcess.withKeyFile(in: scratch.path)
        #expect(try roster.run("init", "--region", "eu").status == 0)
        for (round, range) in [0..<50, 50..<120].enumerated() {
            let fifo = scratch.path + "/in-\(round).fifo"
            #expect(mkfifo(fifo, 0o600) == 0)
            let text = contacts(range, bad: range.lowerBound + 3)
            let written = OnceValue(false)
            let writer = Thread {
                let handle = FileHandle(forWritingAtPath: fifo)
                handle?.write(Data(text.utf8))
                try? handle?.close()
                written.set(true)
            }
            writer.start()
            let result = try roster.run("import", "contacts", fifo, "--json")
            if !written.isSet {
                // Had roster not read the FIFO, the writer would wait for ever: read it here until the writer is done.
                let descriptor = open(fifo, O_RDONLY | O_NONBLOCK)
                while !written.isSet { usleep(1000) }
                if descriptor >= 0 { close(descriptor) }
            }
            #expect(result.status == 0, "\(result.stderr)")
            #expect(summary(result)["created"] as? Int == range.count - 1)
            let rejects = summary(result)["rejects"] as? [[String: Any]]
            #expect(rejects?.first?["line"] as? Int == 5, "the bad row keeps its line: \(result.stdout)")
        }
        #expect(try customerCount(roster) == 118)
    }

    @Test("standard input (-, /dev/stdin) imports, and a data row is never called the header")
    func standardInput() throws {
        let scratch = try Scratch()
        let roster = RosterProcess.withKeyFile(in: scratch.path)
        #expect(try roster.run("init", "--region", "eu").status == 0)
        #expect(try roster.run("customer", "add", "C0").status == 0)
        for (round, name) in ["-", "/dev/stdin"].enumerated() {
            let pipe = Pipe()
            let text = contacts(round * 100 + 1..<round * 100 + 40, bad: round * 100 + 2)
            let writer = Thread {
                pipe.fileHandleForWriting.write(Data(text.utf8))
                try? pipe.fileHandleForWriting.close()
            }
            writer.start()
            let result = try run(roster, ["import", "contacts", name, "--json"], stdin: pipe)
            #expect(result.status == 0, "\(name): \(result.stderr)")
            #expect(summary(result)["created"] as? Int == 38)
            #expect(!result.stdout.contains("header") && !result.stderr.contains("header"))
        }
        // Standard input redirected from a file.
        try write(contacts(500..<510), to: scratch.path + "/file.csv")
        let file = try #require(FileHandle(forReadingAtPath: scratch.path + "/file.csv"))
        let redirected = try run(roster, ["import", "contacts", "-", "--json"], stdin: file)
        #expect(summary(redirected)["created"] as? Int == 10, "\(redirected.stderr)")
        #expect(try customerCount(roster) == 1 + 38 + 38 + 10)
    }

    @Test("a process substitution <(…) imports once through bash, on the incremental path too")
    func processSubstitution() throws {
        guard FileManager.default.isExecutableFile(atPath: "/bin/bash") else {
            print("skipped: no /bin/bash for a process substitution")
            return
        }
        let scratch = try Scratch()
        let roster = RosterProcess.withKeyFile(in: scratch.path)
        #expect(try roster.run("init", "--region", "eu").status == 0)
        #expect(try roster.run("customer", "add", "C0").status == 0)
        try write(contacts(1..<60, bad: 7), to: scratch.path + "/file.csv")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", "\"$ROSTER\" import contacts <(cat file.csv) --json"]
        process.environment = roster.environment.merging(["ROSTER": RosterProcess.executable.path]) { $1 }
        process.currentDirectoryURL = URL(fileURLWithPath: scratch.path)
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let result = RosterProcess.Result(
            status: 0, stdout: String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self),
            stderr: "")
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(summary(result)["created"] as? Int == 58, "\(result.stdout)")
        let rejects = summary(result)["rejects"] as? [[String: Any]]
        #expect(rejects?.map { $0["line"] as? Int } == [8])
        #expect(try customerCount(roster) == 59)
    }

    @Test("a jsonl export that was truncated, cut inside a line, edited or appended to is refused, naming the line")
    func truncatedExportIsRefused() throws {
        let scratch = try Scratch()
        let roster = RosterProcess.withKeyFile(in: scratch.path)
        #expect(try roster.run("init", "--region", "eu").status == 0)
        try write(contacts(0..<30), to: scratch.path + "/in.csv")
        #expect(try roster.run("import", "contacts", "in.csv").status == 0)
        #expect(try roster.run("export", "customers", "--format", "jsonl", "--out", "all.jsonl").status == 0)
        let whole = try String(contentsOfFile: scratch.path + "/all.jsonl", encoding: .utf8)
        var lines = whole.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.removeLast().isEmpty)
        #expect(lines.count == 32 && lines[31].hasPrefix("{\"roster\":\"end\",\"lines\":31,"))
        let cases: [(String, String, String)] = [
            ("truncated", lines.prefix(20).joined(separator: "\n") + "\n", "after line 20"),
            ("cut", lines.prefix(20).joined(separator: "\n") + "\n" + lines[20].prefix(15), "line 21 is cut off"),
            (
                "edited", whole.replacingOccurrences(of: "c7@example.com", with: "c8@example.com"),
                "lines 1–31 do not match"
            ),
            ("removed", (lines.prefix(10) + lines.suffix(from: 11)).joined(separator: "\n") + "\n", "removed"),
            ("appended", whole + lines[5] + "\n", "line 33 comes after the end line"),
        ]
        for (name, text, reason) in cases {
            let other = RosterProcess.withKeyFile(in: scratch.path + "/\(name)")
            try FileManager.default.createDirectory(atPath: other.directory, withIntermediateDirectories: true)
            #expect(try other.run("init", "--region", "eu").status == 0)
            try write(text, to: other.directory + "/export.jsonl")
            let result = try other.run("import", "jsonl", "export.jsonl")
            #expect(result.status != 0, "\(name)")
            #expect(result.stderr.contains(reason), "\(name): \(result.stderr)")
            #expect(try customerCount(other) == 0, "\(name): nothing was imported")
        }
        let fresh = RosterProcess.withKeyFile(in: scratch.path + "/whole")
        try FileManager.default.createDirectory(atPath: fresh.directory, withIntermediateDirectories: true)
        #expect(try fresh.run("init", "--region", "eu").status == 0)
        let restored = try fresh.run("import", "jsonl", scratch.path + "/all.jsonl", "--json")
        #expect(summary(restored)["created"] as? Int == 30, "\(restored.stderr)")
    }

    @Test("a CSV export (without --excel) re-imports with import contacts to the same customers")
    func csvExportReimports() throws {
        let scratch = try Scratch()
        let first = RosterProcess.withKeyFile(in: scratch.path)
        #expect(try first.run("init", "--region", "eu", "--app-key", "ak-123456").status == 0)
        let adds: [[String]] = [
            [
                "C1", "--email", "Ana@Example.com", "--country-code", "44", "--phone", "07700 900123", "--field",
                "name=Ana", "--field", "note==SUM(A1)",
            ],
            [
                "C2", "--country-code", "34", "--phone", "600112233", "--field", "name=-Bea", "--field",
                "note=@x, \"y\"",
            ],
            ["C3", "--email", "c3@example.com", "--field", "name=+Cy"],
        ]
        for arguments in adds { #expect(try first.run(["customer", "add"] + arguments).status == 0) }
        #expect(try first.run("customer", "consent", "C1", "sms", "off").status == 0)
        #expect(try first.run("customer", "consent", "C3", "email", "off").status == 0)
        let exported = try first.run("export", "customers", "--format", "csv")
        #expect(exported.status == 0)
        #expect(!exported.stdout.contains("'"), "no formula neutralisation without --excel: \(exported.stdout)")
        #expect(exported.stdout.contains("+447700900123"))
        try write(exported.stdout, to: scratch.path + "/export.csv")

        let second = RosterProcess.withKeyFile(in: scratch.path + "/copy")
        try FileManager.default.createDirectory(atPath: second.directory, withIntermediateDirectories: true)
        #expect(try second.run("init", "--region", "eu", "--app-key", "ak-123456").status == 0)
        let imported = try second.run("import", "contacts", scratch.path + "/export.csv", "--json")
        #expect(summary(imported)["created"] as? Int == 3, "\(imported.stdout) \(imported.stderr)")
        #expect(summary(imported)["rejected"] as? Int == 0)
        let again = try second.run("export", "customers", "--format", "csv")
        #expect(again.stdout == exported.stdout)
        let excel = try first.run("export", "customers", "--format", "csv", "--excel")
        #expect(excel.stdout.contains("'=SUM(A1)") && excel.stdout.contains("'+447700900123"))
    }

    @Test("a full disk fails the export with a sentence, leaves no file and no audit entry (root: a small tmpfs)")
    func fullDisk() throws {
        guard getuid() == 0 else {
            print("skipped: the full-disk test mounts a tmpfs, which needs root")
            return
        }
        let scratch = try Scratch()
        let roster = RosterProcess.withKeyFile(in: scratch.path)
        #expect(try roster.run("init", "--region", "eu").status == 0)
        try write(contacts(0..<2000), to: scratch.path + "/in.csv")
        #expect(try roster.run("import", "contacts", "in.csv").status == 0)
        let full = scratch.path + "/full"
        try FileManager.default.createDirectory(atPath: full, withIntermediateDirectories: true)
        let mount = Process()
        mount.executableURL = URL(fileURLWithPath: "/bin/mount")
        mount.arguments = ["-t", "tmpfs", "-o", "size=64k", "tmpfs", full]
        mount.standardError = FileHandle.nullDevice
        try mount.run()
        mount.waitUntilExit()
        guard mount.terminationStatus == 0 else {
            print("skipped: cannot mount a tmpfs here (mount exited \(mount.terminationStatus))")
            return
        }
        defer {
            let unmount = Process()
            unmount.executableURL = URL(fileURLWithPath: "/bin/umount")
            unmount.arguments = [full]
            try? unmount.run()
            unmount.waitUntilExit()
        }
        let auditBefore = try roster.run("audit", "--json").stdout
        let export = try roster.run("export", "customers", "--format", "jsonl", "--out", full + "/all.jsonl")
        #expect(export.status != 0)
        #expect(export.stderr.contains("no space left on device writing \(full)/all.jsonl"), "\(export.stderr)")
        #expect(!export.stderr.contains("NSCocoaErrorDomain"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: full).isEmpty, "nothing partial is left")
        // Fill the disk, then ask for one customer's access export.
        #expect(FileManager.default.createFile(atPath: full + "/filler", contents: nil))
        let filler = try #require(FileHandle(forWritingAtPath: full + "/filler"))
        while (try? filler.write(contentsOf: Data(count: 4096))) != nil {}
        try? filler.close()
        let access = try roster.run("export", "customer", "C5", "--out", full + "/c5.json")
        #expect(access.status != 0)
        #expect(access.stderr.contains("no space left on device"), "\(access.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: full) == ["filler"])
        #expect(try roster.run("audit", "--json").stdout == auditBefore, "a failed export is not audited")
        #expect(try roster.run("audit", "--verify").status == 0)
    }
}
