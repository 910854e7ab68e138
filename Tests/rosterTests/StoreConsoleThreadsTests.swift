import Dispatch
import Foundation
import RosterCore
import RosterModel
import RosterTUI
import Synchronization
import Testing

@testable import roster

/// The console's `StoreConsole` called from several threads at once, as its queues do (loading and importing,
/// interactive work, the watch's poll), with no lock of its own: `Store` is safe from any thread.
@Suite("Console store: calls from several threads while the store is written", .serialized)
struct StoreConsoleThreadsTests {
    /// A store made by the real binary, opened here as the console opens it.
    private func prepared(contacts: Int) throws -> (Scratch, RosterProcess, StoreConsole) {
        let scratch = try Scratch()
        let roster = RosterProcess.withKeyFile(in: scratch.path)
        #expect(try roster.run("init", "--region", "eu").status == 0)
        if contacts > 0 {
            let generated = try roster.run(
                "generate", "--contacts", "\(contacts)", "--seed", "3", "--out", scratch.path + "/a.csv")
            #expect(generated.status == 0, "\(generated.stderr)")
        }
        let store = try Store.open(
            at: scratch.path + "/store.roster", key: .keyFile(path: scratch.path + "/store.key"))
        return (scratch, roster, StoreConsole(store: store))
    }

    @Test("reads, edits and polls through the console run while another process writes: nothing fails or is lost")
    func callsBesideAnotherProcess() throws {
        let (scratch, roster, console) = try prepared(contacts: 0)
        defer { withExtendedLifetime(scratch) {} }
        let seeded = try roster.run("customer", "add", "SEED", "--field", "city=Lugo")
        #expect(seeded.status == 0, "\(seeded.stderr)")
        let seed = try console.loadWorkingSet { _ in }
        let rowID = try #require(seed.rowIDs.first)
        let writes = 8
        let failures = Mutex<[String]>([])
        @Sendable func record(_ body: () throws -> Void) {
            do { try body() } catch { failures.withLock { $0.append("\(error)") } }
        }
        DispatchQueue.concurrentPerform(iterations: 4) { lane in
            for round in 0..<writes {
                switch lane {
                case 0:
                    // Another process writes: a new customer with a field this console has not seen.
                    record {
                        let added = try roster.run("customer", "add", "P\(round)", "--field", "other\(round)=x")
                        if added.status != 0 { throw RosterError.invalidValue(.message(added.stderr)) }
                    }
                case 1:
                    // The console's own edits of one customer.
                    record { _ = try console.edit(rowID: rowID, .setField(name: "visits", value: "\(round)")) }
                case 2:
                    record {
                        _ = try console.customerDetail(rowID: rowID)
                        _ = try console.fieldSummaries()
                        _ = console.changeStamp(wait: false)
                        console.saveColumns(kind: .customers, names: ["crmId", "city"])
                    }
                default:
                    record {
                        let set = try console.loadWorkingSet { _ in }
                        _ = try console.filter("has email or not has email", in: set)
                        _ = console.search("lugo", in: set)
                    }
                }
            }
        }
        #expect(failures.withLock { $0 } == [])
        let final = try console.loadWorkingSet { _ in }
        #expect(final.count == writes + 1)
        #expect(try console.customerDetail(rowID: rowID).customer.fields["visits"]?.value == "\(writes - 1)")
        #expect(console.savedColumns(kind: .customers) == ["crmId", "city"])
        #expect(try console.fieldSummaries().count >= writes + 2)
    }

    @Test("a bulk import through the console swaps the file while other threads read through it: every call succeeds")
    func importSwapBesideReads() throws {
        let (scratch, _, console) = try prepared(contacts: 1500)
        let file = scratch.path + "/a.csv"
        let done = Atomic(false)
        let failures = Mutex<[String]>([])
        let reads = Atomic(0)
        let created = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: 3) { lane in
            if lane == 0 {
                defer { done.store(true, ordering: .sequentiallyConsistent) }
                do {
                    let report = try console.importFile(kind: "contacts", path: file) { _ in }
                    created.withLock { $0 = report.created }
                } catch {
                    failures.withLock { $0.append("import: \(error)") }
                }
                return
            }
            // Reads go on for the whole import, swap included; at least a few after it.
            var after = 0
            while after < 3 {
                if done.load(ordering: .sequentiallyConsistent) { after += 1 }
                do {
                    _ = try console.devices()
                    _ = try console.savedSegments()
                    _ = try console.fieldSummaries()
                    _ = console.changeStamp(wait: true)
                    if lane == 2 { _ = try console.loadWorkingSet { _ in } }
                    reads.add(1, ordering: .relaxed)
                } catch {
                    failures.withLock { $0.append("read: \(error)") }
                }
            }
        }
        #expect(failures.withLock { $0 } == [])
        let imported = created.withLock { $0 }
        #expect(imported > 1400)
        // The import took the bulk path: the store file was replaced and this connection reopened.
        #expect(console.store.connectionGeneration >= 1)
        #expect(try console.loadWorkingSet { _ in }.count == imported)
        #expect(reads.load(ordering: .relaxed) >= 6)
    }
}
