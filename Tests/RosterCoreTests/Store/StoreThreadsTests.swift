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
