import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `--out`, `--rejects` and `generate --out` aimed at files they must never replace, run with the real binary.
@Suite("Output files: never the store, its key file, the input or a device; nothing partial")
struct OutputPathTests {
    /// A store with a key file and two customers, and a small CSV with one bad row.
    func prepared() throws -> (Scratch, RosterProcess) {
        let scratch = try Scratch()
        let roster = RosterProcess.withKeyFile(in: scratch.path)
        #expect(try roster.run("init", "--region", "eu").status == 0)
        #expect(try roster.run("customer", "add", "C1", "--email", "c1@example.com").status == 0)
        #expect(try roster.run("customer", "add", "C2", "--email", "c2@example.com").status == 0)
        try Data("customerId,email\nC3,c3@example.com\nC4,not-an-email\n".utf8)
            .write(to: URL(fileURLWithPath: scratch.path + "/in.csv"))
        return (scratch, roster)
    }

    func contents(_ path: String) -> Data? { FileManager.default.contents(atPath: path) }

    func fileType(_ path: String) -> mode_t? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        return info.st_mode & S_IFMT
    }

    /// Roster's temporary files (`.NAME.roster-…`) left in a folder.
    func leftovers(in folder: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder).filter {
            $0.hasPrefix(".") && $0.contains(".roster-")
        }
    }

    func customerCount(_ roster: RosterProcess) throws -> Int {
        let result = try roster.run("query", "has email or not has email", "--count", "--json")
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        return object?["count"] as? Int ?? -1
    }

    @Test("--rejects and --out aimed at the store, its WAL, lock or key file are refused and change nothing")
    func storeAndKeyFileAreRefused() throws {
        let (scratch, roster) = try prepared()
        let store = scratch.path + "/store.roster"
        let key = scratch.path + "/store.key"
        let storeBytes = contents(store)
        let keyBytes = contents(key)
        for target in [store, key, store + "-wal", store + "-shm", store + ".lock", "./store.roster"] {
            for arguments in [
                ["import", "contacts", "in.csv", "--rejects", target],
                ["import", "contacts", "in.csv", "--rejects", target, "--dry-run"],
                ["export", "customers", "--out", target],
                ["export", "customers", "--format", "jsonl", "--out", target],
                ["export", "customer", "C1", "--out", target],
                ["generate", "--contacts", "3", "--out", target],
            ] {
                let result = try roster.run(arguments)
                #expect(result.status != 0, "\(arguments) must be refused")
                #expect(result.stderr.contains("refusing to write there"), "\(arguments): \(result.stderr)")
            }
        }
        #expect(contents(store) == storeBytes)
        #expect(contents(key) == keyBytes)
        #expect(try customerCount(roster) == 2)
        #expect(try leftovers(in: scratch.path).isEmpty, "\((try? leftovers(in: scratch.path)) ?? [])")
    }

    @Test("another name for the store — a symlink, a hard link, a path through a linked folder — is refused too")
    func otherNamesForTheStoreAreRefused() throws {
        let (scratch, roster) = try prepared()
        let store = scratch.path + "/store.roster"
        let storeBytes = contents(store)
        try FileManager.default.createSymbolicLink(atPath: scratch.path + "/link.csv", withDestinationPath: store)
        #expect(link(store, scratch.path + "/hard.csv") == 0)
        try FileManager.default.createSymbolicLink(atPath: scratch.path + "/dir", withDestinationPath: scratch.path)
        // A link to the store's WAL, which does not exist while no process has the store open.
        try FileManager.default.createSymbolicLink(
            atPath: scratch.path + "/wal.csv", withDestinationPath: store + "-wal")
        for target in ["link.csv", "hard.csv", "dir/store.roster", "dir/store.key", "wal.csv"] {
            let result = try roster.run("export", "customers", "--out", target)
            #expect(result.status != 0, "\(target) must be refused")
            #expect(result.stderr.contains("refusing to write there"), "\(target): \(result.stderr)")
        }
        #expect(contents(store) == storeBytes)
        #expect(fileType(scratch.path + "/link.csv") == S_IFLNK)
        #expect(try customerCount(roster) == 2)
    }

    @Test("--rejects onto the import's own input is refused and the input is untouched")
    func inputIsRefused() throws {
        let (scratch, roster) = try prepared()
        let input = scratch.path + "/in.csv"
        let before = contents(input)
        try FileManager.default.createSymbolicLink(atPath: scratch.path + "/in-link.csv", withDestinationPath: input)
        for target in ["in.csv", input, "in-link.csv"] {
            let result = try roster.run("import", "contacts", "in.csv", "--rejects", target)
            #expect(result.status != 0)
            #expect(result.stderr.contains("the input file"), "\(result.stderr)")
        }
        #expect(contents(input) == before)
        #expect(try customerCount(roster) == 2, "a refused import writes nothing")
    }

    @Test("/dev/null stays a character device: --rejects and --out write into it in place")
    func deviceIsWrittenInPlace() throws {
        let (scratch, roster) = try prepared()
        defer { withExtendedLifetime(scratch) {} }
        let result = try roster.run("import", "contacts", "in.csv", "--rejects", "/dev/null")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try roster.run("export", "customers", "--out", "/dev/null").status == 0)
        #expect(try roster.run("export", "customer", "C1", "--out", "/dev/null").status == 0)
        #expect(fileType("/dev/null") == S_IFCHR)
        #expect(try customerCount(roster) == 3)
    }

    @Test("a write that fails (/dev/full) fails the export in words and records no audit entry")
    func failedWriteIsNotAudited() throws {
        guard FileManager.default.fileExists(atPath: "/dev/full") else {
            print("skipped: no /dev/full on this system")
            return
        }
        let (scratch, roster) = try prepared()
        defer { withExtendedLifetime(scratch) {} }
        let before = try roster.run("audit", "--json").stdout
        for arguments in [
            ["export", "customers", "--out", "/dev/full"], ["export", "customer", "C1", "--out", "/dev/full"],
        ] {
            let result = try roster.run(arguments)
            #expect(result.status != 0)
            #expect(result.stderr.contains("no space left on device writing /dev/full"), "\(result.stderr)")
        }
        #expect(try roster.run("audit", "--json").stdout == before)
        #expect(fileType("/dev/full") == S_IFCHR)
    }

    @Test("a symlink to a regular file: the file it points to is replaced, the link stays a link")
    func symlinkIsFollowed() throws {
        let (scratch, roster) = try prepared()
        let real = scratch.path + "/real.csv"
        try Data("old\n".utf8).write(to: URL(fileURLWithPath: real))
        try FileManager.default.createSymbolicLink(atPath: scratch.path + "/out.csv", withDestinationPath: real)
        #expect(try roster.run("export", "customers", "--out", "out.csv").status == 0)
        #expect(fileType(scratch.path + "/out.csv") == S_IFLNK)
        let text = String(decoding: contents(real) ?? Data(), as: UTF8.self)
        #expect(text.hasPrefix("customerId,"))
        #expect(text.contains("c2@example.com"))
        // A link to nothing is refused rather than followed to create a file.
        try FileManager.default.createSymbolicLink(
            atPath: scratch.path + "/dangling.csv", withDestinationPath: scratch.path + "/nowhere.csv")
        let dangling = try roster.run("export", "customers", "--out", "dangling.csv")
        #expect(dangling.status != 0)
        #expect(dangling.stderr.contains("does not exist"))
        #expect(!FileManager.default.fileExists(atPath: scratch.path + "/nowhere.csv"))
    }

    @Test("a FIFO is written in place and stays a FIFO")
    func fifoIsWrittenInPlace() throws {
        let (scratch, roster) = try prepared()
        let fifo = scratch.path + "/out.fifo"
        #expect(mkfifo(fifo, 0o600) == 0)
        let received = OnceValue(Data())
        let reader = Thread {
            // Opening for reading waits for the writer; reading ends when it closes.
            let handle = FileHandle(forReadingAtPath: fifo)
            let data = handle?.readDataToEndOfFile() ?? Data()
            received.set(data)
        }
        reader.start()
        let result = try roster.run("export", "customers", "--format", "jsonl", "--out", fifo)
        #expect(result.status == 0, "\(result.stderr)")
        if !received.isSet {
            // Had roster not opened the FIFO, the reader would wait for ever: open and close it once to end the wait.
            let descriptor = open(fifo, O_WRONLY | O_NONBLOCK)
            if descriptor >= 0 { close(descriptor) }
        }
        while !received.isSet { usleep(1000) }
        #expect(String(decoding: received.value, as: UTF8.self).contains("c1@example.com"))
        #expect(fileType(fifo) == S_IFIFO)
    }

    @Test("--strict never touches --rejects; a failed import leaves the old rejects file as it was")
    func strictLeavesRejectsAlone() throws {
        let (scratch, roster) = try prepared()
        let rejects = scratch.path + "/rejects.csv"
        try Data("yesterday's rejects\n".utf8).write(to: URL(fileURLWithPath: rejects))
        let strict = try roster.run("import", "contacts", "in.csv", "--strict", "--rejects", rejects)
        #expect(strict.status != 0)
        #expect(contents(rejects) == Data("yesterday's rejects\n".utf8))
        let missingColumn = scratch.path + "/bad.csv"
        try Data("name\nAna\n".utf8).write(to: URL(fileURLWithPath: missingColumn))
        #expect(try roster.run("import", "contacts", missingColumn, "--rejects", rejects).status != 0)
        #expect(contents(rejects) == Data("yesterday's rejects\n".utf8))
        let plain = try roster.run("import", "contacts", "in.csv", "--rejects", rejects)
        #expect(plain.status == 0)
        let written = String(decoding: contents(rejects) ?? Data(), as: UTF8.self)
        #expect(written.hasPrefix("customerId,email,reason\n"))
        #expect(written.contains("C4,not-an-email,"))
        var info = stat()
        #expect(stat(rejects, &info) == 0 && info.st_mode & 0o777 == 0o600)
        #expect(try leftovers(in: scratch.path).isEmpty, "\((try? leftovers(in: scratch.path)) ?? [])")
    }

    @Test("--out - and no --out write to standard output")
    func standardOutput() throws {
        let (scratch, roster) = try prepared()
        defer { withExtendedLifetime(scratch) {} }
        let dash = try roster.run("export", "customers", "--out", "-")
        #expect(dash.status == 0)
        #expect(dash.stdout.contains("c1@example.com"))
        #expect(try roster.run("export", "customers").stdout == dash.stdout)
    }
}

/// A value one thread sets once and another waits for.
final class OnceValue<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value
    private var done = false

    init(_ value: Value) { stored = value }

    func set(_ value: Value) {
        lock.withLock {
            stored = value
            done = true
        }
    }

    var isSet: Bool { lock.withLock { done } }
    var value: Value { lock.withLock { stored } }
}
