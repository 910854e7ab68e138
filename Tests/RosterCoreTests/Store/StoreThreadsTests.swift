import Dispatch
import Foundation
import Synchronization
import Testing

@testable import RosterCore
@testable import RosterModel

/// One `Store` called from several threads at once: its state is behind its mutex and the database behind GRDB's
/// queue, so no caller needs a lock of its own. Run under the thread sanitizer to check for data races:
/// `swift test --sanitize=thread --filter StoreThreadsTests`.
@Suite("Store: one store, many threads")
struct StoreThreadsTests {
    /// Whether `T` is `Sendable` (a compile-time check: this does not build otherwise).
    private func requireSendable<T: Sendable>(_: T.Type) {}

    @Test("what a store keeps besides its state mutex is Sendable without @unchecked")
    func storedPropertiesAreSendable() {
        requireSendable(StoreLock.self)
        requireSendable(UseGate.self)
        requireSendable(KeyRing.self)
        requireSendable(ExternalCodeDeriver.self)
        requireSendable(StoreState.self)
        requireSendable(InputFile.self)
        requireSendable(FilterIndex.self)
    }

    @Test("readers, writers and another connection's writes on one store from four threads lose nothing")
    func hammer() throws {
        let dir = try TemporaryDirectory()
        let store = try dir.makeStore()
        store.holdOnlyDuringUse()
        // Another connection to the same file, as another process would have: its commits move the first
        // connection's `data_version`, and the first store reloads its field registry from them.
        let other = try Store.open(at: dir.file("store.roster"), key: .keyFile(path: dir.file("store.key")))
        other.holdOnlyDuringUse()
        let rounds = 30
        let failures = Mutex<[String]>([])
        @Sendable func record(_ body: () throws -> Void) {
            do { try body() } catch { failures.withLock { $0.append("\(error)") } }
        }
        DispatchQueue.concurrentPerform(iterations: 4) { lane in
            for round in 0..<rounds {
                switch lane {
                case 0:
                    // Writes that register a new field each time (the in-memory registry changes).
                    record {
                        _ = try store.use {
                            try store.addCustomer(crmId: "W\(round)", fields: [("mine\(round % 5)", "v\(round)")])
                        }
                    }
                case 1:
                    // Another connection registers fields this store has never seen.
                    record {
                        _ = try other.use {
                            try other.addCustomer(crmId: "O\(round)", fields: [("theirs\(round % 5)", "\(round)")])
                        }
                    }
                case 2:
                    // Reads of the state and of the data.
                    record {
                        try store.use {
                            _ = store.fields
                            _ = store.region
                            _ = try store.changeStamp()
                            _ = try store.savedSegments()
                            if round > 0, let customer = try? store.customer("W\(round - 1)") {
                                #expect(customer.crmId == "W\(round - 1)")
                            }
                        }
                    }
                default:
                    // The working set, read while both connections write.
                    record { _ = try store.use { try store.loadWorkingSet() } }
                }
            }
        }
        #expect(failures.withLock { $0 } == [])
        // One more write reloads what the other connection registered, so both connections' fields are known.
        _ = try store.use { try store.addCustomer(crmId: "LAST") }
        let names = Set(store.fields.map(\.name))
        #expect(names.isSuperset(of: (0..<5).map { "mine\($0)" } + (0..<5).map { "theirs\($0)" }))
        #expect(try store.use { try store.loadWorkingSet() }.count == 2 * rounds + 1)
        #expect(try store.verifyAudit().isEmpty)
    }
}

/// `UseGate`: a swap by one thread waits for the others inside `Store.use`, and keeps them out until it ends.
@Suite("Store: a swap and the other threads of the process")
struct UseGateTests {
    /// Runs `body` on a thread of its own and waits for it.
    private func onAnotherThread<T: Sendable>(_ body: @escaping @Sendable () -> T) -> T {
        let result = Mutex<T?>(nil)
        let finished = DispatchSemaphore(value: 0)
        Thread {
            let value = body()
            result.withLock { $0 = value }
            finished.signal()
        }.start()
        finished.wait()
        return result.withLock { $0! }
    }

    @Test("no swap while another thread is inside; none enters while one swaps; the swapping thread may nest")
    func swapExcludesOtherThreads() {
        let gate = UseGate()
        // Another thread inside, held there until told to leave.
        let inside = DispatchSemaphore(value: 0)
        let leave = DispatchSemaphore(value: 0)
        let left = DispatchSemaphore(value: 0)
        Thread {
            gate.enter()
            inside.signal()
            leave.wait()
            gate.leave()
            left.signal()
        }.start()
        inside.wait()
        #expect(!gate.beginSwap(waiting: 0), "another thread is inside")
        leave.signal()
        left.wait()

        // This thread inside (nested) may still swap: the console imports from inside a call.
        gate.enter()
        gate.enter()
        #expect(gate.beginSwap(waiting: 0))
        #expect(gate.enter(before: Date()), "the swapping thread nests")
        gate.leave()
        #expect(!onAnotherThread { gate.enter(before: Date()) }, "no other thread enters during the swap")
        #expect(!onAnotherThread { gate.beginSwap(waiting: 0) }, "nor swaps")
        gate.endSwap()
        gate.leave()
        gate.leave()
        #expect(onAnotherThread { gate.enter(before: Date()) }, "after the swap other threads enter again")
    }
}
