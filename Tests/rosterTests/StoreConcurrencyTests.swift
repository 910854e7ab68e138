import Foundation
import RosterCore
import RosterModel
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Many `roster` processes on one store (docs/store.md, "Many processes, one store"). Every race is pinned with
/// the test hook (`ROSTER_TEST_STOP_AT`): a process stops itself at a named step and the test resumes it.
@Suite("Store: many processes on one store lose nothing", .serialized)
struct StoreConcurrencyTests {
    func count(_ roster: RosterProcess) throws -> Int {
        let result = try roster.run("query", "has email or not has email", "--count", "--json")
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        return object?["count"] as? Int ?? -1
    }

    /// The customers an import's `--json` summary says it created.
    func created(_ result: RosterProcess.Result) -> Int {
        let object = try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        return object?["created"] as? Int ?? -1
    }

    func prepared(contacts: Int = 3000) throws -> (Scratch, RosterProcess) {
        let scratch = try Scratch()
        let roster = RosterProcess.withKeyFile(in: scratch.path)
        #expect(try roster.run("init", "--region", "eu").status == 0)
        let generated = try roster.run(
            "generate", "--contacts", "\(contacts)", "--seed", "1", "--out", scratch.path + "/a.csv")
        #expect(generated.status == 0, "\(generated.stderr)")
        return (scratch, roster)
    }

    @Test("two first imports at once: both exit 0 and both customer sets are in the store")
    func concurrentFirstImports() throws {
        let (scratch, roster) = try prepared()
        #expect(
            try roster.run(
                "generate", "--contacts", "2000", "--seed", "2", "--start", "100000", "--out", scratch.path + "/b.csv"
            ).status == 0)
        // Both copies are made from the empty store, then both go for the swap together.
        let first = try BackgroundRoster(
            roster, ["import", "contacts", scratch.path + "/a.csv", "--json"], stopAt: "bulk-before-swap")
        let second = try BackgroundRoster(
            roster, ["import", "contacts", scratch.path + "/b.csv", "--json"], stopAt: "bulk-before-swap")
        first.resume()
        second.resume()
        let a = first.result()
        let b = second.result()
        #expect(a.status == 0, "\(a.stderr)")
        #expect(b.status == 0, "\(b.stderr)")
        #expect(created(a) > 2900 && created(b) > 1900)
        #expect(try count(roster) == created(a) + created(b), "both files' customers are present")
        #expect(try roster.run("customer", "show", "CRM-0000000").status == 0)
        #expect(try roster.run("customer", "show", "CRM-0100000").status == 0)
        #expect(try roster.run("audit", "--verify").status == 0)
    }

    @Test("two first imports and a write between their copies and their swaps: all three are in the store")
    func concurrentFirstImportsAndWriter() throws {
        let (scratch, roster) = try prepared()
        #expect(
            try roster.run(
                "generate", "--contacts", "2000", "--seed", "2", "--start", "100000", "--out", scratch.path + "/b.csv"
            ).status == 0)
        let first = try BackgroundRoster(
            roster, ["import", "contacts", scratch.path + "/a.csv", "--json"], stopAt: "bulk-before-swap")
        let second = try BackgroundRoster(
            roster, ["import", "contacts", scratch.path + "/b.csv", "--json"], stopAt: "bulk-before-swap")
        // Neither copy holds this customer: both swaps are refused, and both files go the incremental way (the
        // second one meets the fields the first registered meanwhile).
        #expect(try roster.run("customer", "add", "BETWEEN", "--field", "city=Oviedo").status == 0)
        first.resume()
        second.resume()
        let a = first.result()
        let b = second.result()
        #expect(a.status == 0, "\(a.stderr)")
        #expect(b.status == 0, "\(b.stderr)")
        #expect(try count(roster) == created(a) + created(b) + 1)
        #expect(try roster.run("customer", "show", "BETWEEN").status == 0)
        #expect(try roster.run("audit", "--verify").status == 0)
    }

    @Test("20 writers adding customers during a bulk import: every add that exited 0 is there, with its audit entry")
    func writersDuringBulkImport() throws {
        let (scratch, roster) = try prepared(contacts: 20000)
        // The import stops once its first rows are sealed (its copy is made): writers start there.
        let importer = try BackgroundRoster(
            roster, ["import", "contacts", scratch.path + "/a.csv", "--json"], stopAt: "bulk-batch-sealed")
        var writers: [(id: String, process: BackgroundRoster)] = []
        for index in 0..<10 {
            writers.append(("W-\(index)", try BackgroundRoster(roster, ["customer", "add", "W-\(index)"])))
        }
        // These ten run together while the import is stopped after making its copy: each must succeed.
        let early = writers.map { $0.process.result() }
        #expect(early.allSatisfy { $0.status == 0 }, "\(early.map(\.stderr))")
        importer.resume()  // the other ten race with the running import
        for index in 10..<20 {
            writers.append(("W-\(index)", try BackgroundRoster(roster, ["customer", "add", "W-\(index)"])))
        }
        let imported = importer.result()
        #expect(imported.status == 0, "\(imported.stderr)")
        var added = 0
        for writer in writers {
            let result = writer.process.result()
            if result.status == 0 {
                added += 1
                let shown = try roster.run("customer", "show", writer.id)
                #expect(shown.status == 0, "\(writer.id) was confirmed but is missing: \(shown.stderr)")
            } else {
                #expect(result.stderr.contains("busy"), "a refused add says why: \(result.stderr)")
            }
        }
        #expect(try count(roster) == created(imported) + added)
        let audit = try roster.run("audit", "--json")
        #expect(audit.stdout.components(separatedBy: "added customer").count - 1 == added)
        #expect(try roster.run("audit", "--verify").status == 0)
    }

    @Test("a process that opened the store before the swap never writes into the replaced file")
    func writerOpenAcrossSwap() throws {
        let (scratch, roster) = try prepared()
        // `customer add` has the store open and stops before writing; the import is ready to swap.
        let writer = try BackgroundRoster(roster, ["customer", "add", "LATE-1"], stopAt: "store-opened")
        let importer = try BackgroundRoster(
            roster, ["import", "contacts", scratch.path + "/a.csv", "--json"], stopAt: "bulk-before-swap")
        importer.resume()  // the swap waits for the writer to let the store go
        writer.resume()
        let added = writer.result()
        let imported = importer.result()
        #expect(added.status == 0, "\(added.stderr)")
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(try roster.run("customer", "show", "LATE-1").status == 0, "the confirmed add was not lost")
        #expect(try count(roster) == created(imported) + 1)
    }

    @Test("a long-running process keeps working across another process's swap and sees the new data")
    func longRunningProcessAcrossSwap() throws {
        let (scratch, roster) = try prepared()
        let path = scratch.path + "/store.roster"
        let store = try Store.open(at: path, key: .keyFile(path: scratch.path + "/store.key"))
        store.holdOnlyDuringUse()  // as the console does
        #expect(try store.use { try store.customerCount() } == 0)
        let imported = try roster.run("import", "contacts", scratch.path + "/a.csv", "--json")
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(try store.use { try store.customerCount() } == created(imported), "the new file is read after the swap")
        #expect(store.reopenCount == 1)
        _ = try store.use { try store.addCustomer(crmId: "CONSOLE-1") }
        #expect(try roster.run("customer", "show", "CONSOLE-1").status == 0, "the write went into the new file")
        #expect(try count(roster) == created(imported) + 1)
    }

    @Test("a write that cannot get the store says who holds it and exits non-zero; nothing is changed")
    func busyMessage() throws {
        let (scratch, roster) = try prepared()
        #expect(try roster.run("customer", "add", "FIRST").status == 0)
        // An incremental import stopped inside its first transaction holds the write lock.
        let importer = try BackgroundRoster(
            roster, ["import", "contacts", scratch.path + "/a.csv", "--batch-size", "1000"], stopAt: "batch-applied")
        let refused = try roster.run("customer", "add", "SECOND", "--wait", "0.2")
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("is busy: `roster import` (pid \(importer.pid)) holds it"), "\(refused.stderr)")
        #expect(refused.stderr.contains("--wait SECONDS"))
        #expect(!refused.stderr.contains("SQLite error"))
        importer.resume()
        #expect(importer.result().status == 0)
        #expect(try roster.run("customer", "show", "SECOND").status != 0)
        #expect(try roster.run("customer", "add", "SECOND").status == 0)
    }

    @Test("a read-only store can be shown, queried and exported; a write says the store is read-only")
    func readOnlyStore() throws {
        guard getuid() == 0 else {
            print("skipped: a read-only mount needs root (file modes do not stop root, a read-only mount does)")
            return
        }
        let scratch = try Scratch()
        let mountPoint = scratch.path + "/ro"
        try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
        guard system("mount -t tmpfs -o size=16m tmpfs '\(mountPoint)'") == 0 else {
            print("skipped: cannot mount a tmpfs here")
            return
        }
        defer { _ = system("umount '\(mountPoint)'") }
        let roster = RosterProcess.withKeyFile(in: mountPoint)
        #expect(try roster.run("init", "--region", "eu").status == 0)
        #expect(try roster.run("customer", "add", "RO-1", "--email", "ro1@example.com").status == 0)
        #expect(system("mount -o remount,ro '\(mountPoint)'") == 0)
        let shown = try roster.run("customer", "show", "RO-1")
        #expect(shown.status == 0, "\(shown.stderr)")
        #expect(shown.stdout.contains("ro1@example.com"))
        let queried = try roster.run("query", "has email", "--count", "--json")
        #expect(queried.status == 0, "\(queried.stderr)")
        let exported = try roster.run("export", "customers", "--format", "csv")
        #expect(exported.status == 0, "\(exported.stderr)")
        #expect(exported.stdout.contains("ro1@example.com"))
        let write = try roster.run("customer", "add", "RO-2")
        #expect(write.status != 0)
        #expect(write.stderr.contains("is read-only"), "\(write.stderr)")
        #expect(!write.stderr.contains("SQLite error"))
    }

    @Test("a write on a full disk says so, naming the store, and changes nothing")
    func fullDisk() throws {
        guard getuid() == 0 else {
            print("skipped: a small tmpfs to fill needs root")
            return
        }
        let scratch = try Scratch()
        let mountPoint = scratch.path + "/full"
        try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
        guard system("mount -t tmpfs -o size=2m tmpfs '\(mountPoint)'") == 0 else {
            print("skipped: cannot mount a tmpfs here")
            return
        }
        defer { _ = system("umount '\(mountPoint)'") }
        let roster = RosterProcess.withKeyFile(in: mountPoint)
        #expect(try roster.run("init", "--region", "eu").status == 0)
        #expect(try roster.run("customer", "add", "FULL-1").status == 0)
        _ = system("dd if=/dev/zero of='\(mountPoint)/filler' bs=4k 2>/dev/null")
        let refused = try roster.run("customer", "add", "FULL-2", "--field", "city=Oviedo")
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("\(mountPoint)/store.roster: the disk is full"), "\(refused.stderr)")
        #expect(!refused.stderr.contains("SQLite error"))
        try FileManager.default.removeItem(atPath: mountPoint + "/filler")
        #expect(try roster.run("customer", "show", "FULL-2").status != 0, "nothing was written")
        #expect(try roster.run("customer", "add", "FULL-2").status == 0)
        #expect(try roster.run("audit", "--verify").status == 0)
    }
}
