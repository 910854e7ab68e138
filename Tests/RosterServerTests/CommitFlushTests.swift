import Foundation
import HummingbirdTesting
import RosterCore
import Synchronization
import Testing

@testable import RosterServer

@Suite("Group commit flushes the WAL off the store thread, and answers only after the flush")
struct CommitFlushTests {
    @Test("a committed write is not acknowledged while its flush waits, and is once the flush ran")
    func answeredAfterFlush() async throws {
        let server = try TestServer()
        let gate = FlushGate()
        server.server.executor.syncer.gate.withLock { $0 = gate }
        let other = try server.openStore()
        let answered = Mutex(false)
        let executor = server.server.executor
        let write = Task {
            let result = try await executor.write(
                .setFields(id: "f1", fields: [FieldChange(name: "city", value: "Vigo")]), actor: "crm-sync")
            answered.withLock { $0 = true }
            guard case .customer(_, let created) = result else { return false }
            return created
        }
        await Self.wait(for: gate.reached)
        // Committed (another connection reads it), but held before its flush: not answered yet.
        let city = try other.customer("f1").fields["city"]?.value
        #expect(city == "Vigo")
        #expect(answered.withLock { $0 } == false)
        executor.syncer.gate.withLock { $0 = nil }
        gate.release.signal()
        let created = try await write.value
        #expect(created)
        #expect(answered.withLock { $0 })
    }

    @Test("writes committed while a flush runs are answered by the next flush, all of them")
    func laterGroups() async throws {
        let server = try TestServer()
        try await server.test { client in
            try await withThrowingTaskGroup(of: Int.self) { group in
                for index in 0..<40 {
                    group.addTask {
                        try await client.call(
                            .put, "/v2/customer/field?customerId=g\(index)", key: server.writeKey,
                            body: #"{"city":"Lugo"}"#
                        ).status
                    }
                }
                for try await status in group { #expect(status == 201) }
            }
        }
        let other = try server.openStore()
        for index in 0..<40 { #expect(try other.customer("g\(index)").fields["city"]?.value == "Lugo") }
    }

    private static func wait(for semaphore: DispatchSemaphore) async {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                semaphore.wait()
                continuation.resume()
            }
        }
    }
}
