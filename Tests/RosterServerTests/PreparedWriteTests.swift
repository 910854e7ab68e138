import Foundation
import RosterCore
import RosterModel
import Testing

@testable import RosterServer

@Suite("Field writes prepared on a reader, checked and written on the store thread")
struct PreparedWriteTests {
    private static func fields(_ pairs: KeyValuePairs<String, String>) -> [FieldChange] {
        pairs.map { FieldChange(name: $0.key, value: $0.value) }
    }

    /// Creates a customer with fields `a` and `b` (registering both fields), unprepared.
    private static func seed(_ server: TestServer, _ id: String) async throws {
        let outcomes = await server.server.executor.writeAll(
            [.setFields(id: id, fields: fields(["a": "1", "b": "1"]))], actor: "crm-sync")
        _ = try outcomes[0].get()
    }

    @Test("PUT /v2/customer/field prepares on a reader only when the server is told to (--prepare-writes)")
    func onlyWhenAsked() async throws {
        for prepares in [false, true] {
            let server = try TestServer { $0.prepareWrites = prepares }
            try await Self.seed(server, "Q1")
            try await server.test { client in
                let answer = try await client.call(
                    .put, "/v2/customer/field?customerId=Q1", key: server.writeKey, body: #"{"a":"5"}"#)
                #expect(answer.status == 200)
                #expect(answer.data["a"] as? String == "5")
                let created = try await client.call(
                    .put, "/v2/customer/field?customerId=b1765-1-5", key: server.writeKey, body: #"{"a":"6","b":7}"#)
                #expect(created.status == 201)
            }
            let metrics = server.server.metrics.render()
            #expect(metrics.contains(#"roster_prepared_writes_total{outcome="written"} 2"#) == prepares, "\(metrics)")
        }
    }

    @Test("a prepared write is written as prepared, with its audit entry naming the key")
    func writtenAsPrepared() async throws {
        let server = try TestServer()
        try await Self.seed(server, "P1")
        let update = StoreChange.setFields(id: "P1", fields: Self.fields(["a": "7"]))
        let create = StoreChange.setFields(id: "P2", fields: Self.fields(["b": "4"]))
        let prepared = [server.server.reads.prepare(update), server.server.reads.prepare(create)]
        #expect(prepared.allSatisfy { $0 != nil })
        let outcomes = await server.server.executor.writeAll([update, create], actor: "crm-sync", prepared: prepared)
        guard case .customer(let updated, let wasCreated) = try outcomes[0].get(),
            case .customer(let created, let isNew) = try outcomes[1].get()
        else {
            Issue.record("not customers")
            return
        }
        #expect(prepared.allSatisfy { $0?.wasWritten == true })
        #expect(!wasCreated && isNew)
        #expect(updated.fields["a"]?.value == "7" && updated.fields["b"]?.value == "1")
        #expect(created.fields["b"]?.value == "4")
        let other = try server.openStore()
        #expect(try other.customer("P1") == updated)
        #expect(try other.customer("P2") == created)
        let entries = try other.auditEntries().filter {
            [updated.externalCode, created.externalCode].contains($0.subject)
        }
        #expect(entries.map(\.detail) == ["set a, b", "set a", "set b"])
        #expect(entries.allSatisfy { $0.actor == "crm-sync" })
        #expect(try other.verifyAudit().isEmpty)
    }

    @Test(
        "two writes to different fields of one customer, prepared from the same read and committed together, both land")
    func sameCustomerSameGroup() async throws {
        let server = try TestServer()
        try await Self.seed(server, "S1")
        let first = StoreChange.setFields(id: "S1", fields: Self.fields(["a": "2"]))
        let second = StoreChange.setFields(id: "S1", fields: Self.fields(["b": "3"]))
        let prepared = [server.server.reads.prepare(first), server.server.reads.prepare(second)]
        #expect(prepared.allSatisfy { $0 != nil })
        let outcomes = await server.server.executor.writeAll([first, second], actor: "crm-sync", prepared: prepared)
        #expect(outcomes.allSatisfy { (try? $0.get()) != nil })
        // One group: the first is written as prepared, the second finds the row changed and is redone.
        #expect(server.server.metrics.render().contains("roster_commits_total 2"))
        #expect(prepared[0]?.wasWritten == true)
        #expect(prepared[1]?.wasWritten == false)
        let customer = try server.openStore().customer("S1")
        #expect(customer.fields["a"]?.value == "2")
        #expect(customer.fields["b"]?.value == "3")
    }

    @Test("another process's write between the read and the commit is kept, not overwritten")
    func otherProcessMeanwhile() async throws {
        let server = try TestServer()
        try await Self.seed(server, "O1")
        let other = try server.openStore()
        let update = StoreChange.setFields(id: "O1", fields: Self.fields(["a": "5"]))
        let create = StoreChange.setFields(id: "O2", fields: Self.fields(["a": "6"]))
        let preparedUpdate = try #require(server.server.reads.prepare(update))
        let preparedCreate = try #require(server.server.reads.prepare(create))
        // Meanwhile, another connection changes the customer read, and creates the one that was unknown.
        _ = try other.set("O1", field: "b", value: "9")
        _ = try other.addCustomer(crmId: "O2", fields: [(name: "b", value: "8")])
        let updated = try await server.server.executor.write(update, actor: "crm-sync", prepared: preparedUpdate)
        let created = try await server.server.executor.write(create, actor: "crm-sync", prepared: preparedCreate)
        #expect(!preparedUpdate.wasWritten && !preparedCreate.wasWritten)
        guard case .customer(_, let wasCreated) = created, case .customer = updated else {
            Issue.record("not customers")
            return
        }
        #expect(!wasCreated)
        let first = try other.customer("O1")
        #expect(first.fields["a"]?.value == "5" && first.fields["b"]?.value == "9")
        let second = try other.customer("O2")
        #expect(second.fields["a"]?.value == "6" && second.fields["b"]?.value == "8")
    }

    @Test("what a reader cannot decide is left to the store thread: a new field, a bad value, a device, a typo'd kind")
    func notPrepared() async throws {
        let server = try TestServer()
        try await Self.seed(server, "N1")
        let reads = server.server.reads
        #expect(reads.prepare(.setFields(id: "N1", fields: Self.fields(["brandnew": "x"]))) == nil)
        #expect(reads.prepare(.setFields(id: "N1", fields: Self.fields(["a": "not a number"]))) == nil)
        #expect(reads.prepare(.setFields(id: "emial:x@example.com", fields: Self.fields(["a": "1"]))) == nil)
        #expect(reads.prepare(.unsetFields(id: "N1", names: ["a"])) == nil)
        // The store thread refuses the bad value in the CLI's words, and writes nothing.
        await #expect(throws: RosterError.self) {
            _ = try await server.server.executor.write(
                .setFields(id: "N1", fields: Self.fields(["a": "not a number"])), actor: "crm-sync")
        }
        #expect(try server.openStore().customer("N1").fields["a"]?.value == "1")
    }
}
