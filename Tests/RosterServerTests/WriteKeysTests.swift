import Foundation
import HummingbirdTesting
import RosterCore
import RosterModel
import Testing

@testable import RosterServer

@Suite("Write keys let in from the keys the store thread keeps, checked again at the group")
struct WriteKeysTests {
    private func city(_ value: String) -> [FieldChange] { [FieldChange(name: "city", value: value)] }

    @Test("a write let in before another process revoked its key, and queued after, is refused and writes nothing")
    func revokedWhileQueued() async throws {
        let server = try TestServer()
        let other = try server.openStore()
        let executor = server.server.executor
        // The first group reads the keys.
        #expect(executor.keys.admit(server.writeKey, needs: .write) == nil)
        _ = try await executor.write(.setFields(id: "w0", fields: city("Vigo")), actor: "crm-sync")
        let admitted = try #require(executor.keys.admit(server.writeKey, needs: .write))
        #expect(admitted.0.name == "crm-sync")
        // Let in from the kept keys, the write then waits for its group while the key is revoked.
        _ = try other.revokeServerKey(name: "crm-sync")
        await #expect {
            _ = try await executor.write(
                .setFields(id: "w1", fields: city("Lugo")), by: WriteKey(name: "crm-sync", grant: admitted.1))
        } throws: { error in
            (error as? APIError)?.status.code == 401
        }
        #expect(throws: RosterError.self) { try other.customer("w1") }
        // The kept keys are the new ones now: the revoked key is no longer let in from them.
        #expect(executor.keys.admit(server.writeKey, needs: .write) == nil)
        // A grant made at the keys' current version is not checked again (nothing changed since).
        let admin = try #require(executor.keys.admit(server.adminKey, needs: .write))
        _ = try await executor.write(
            .setFields(id: "w2", fields: city("Tui")), by: WriteKey(name: "dpo", grant: admin.1))
        #expect(try other.customer("w2").fields["city"]?.value == "Tui")
    }

    @Test("over HTTP: a revoked write key is refused from the next request on, on every write route")
    func revokedOverHTTP() async throws {
        let server = try TestServer()
        let other = try server.openStore()
        try await server.test { client in
            let put = try await client.call(
                .put, "/v2/customer/field?customerId=h1", key: server.writeKey, body: #"{"city":"Vigo"}"#)
            #expect(put.status == 201)
            // Now let in from the kept keys.
            #expect(server.server.executor.keys.admit(server.writeKey, needs: .write) != nil)
            _ = try other.revokeServerKey(name: "crm-sync")
            let refused = try await client.call(
                .put, "/v2/customer/field?customerId=h2", key: server.writeKey, body: #"{"city":"Lugo"}"#)
            #expect(refused.status == 401)
            #expect(refused.errorCode == 4010)
            let batch = try await client.call(
                .post, "/v2/customers", key: server.writeKey, body: #"[{"customerId":"h3"}]"#)
            #expect(batch.status == 401)
            let device = try await client.call(
                .post, "/v1/device", key: server.writeKey, body: #"{"platform":"webpush"}"#)
            #expect(device.status == 401)
            #expect(throws: RosterError.self) { try other.customer("h2") }
            #expect(throws: RosterError.self) { try other.customer("h3") }
        }
    }

    @Test("a key created by another process is let in on a reader, and a read key gets 403 on a write")
    func newKeyAndRole() async throws {
        let server = try TestServer()
        let other = try server.openStore()
        try await server.test { client in
            #expect(
                try await client.call(
                    .put, "/v2/customer/field?customerId=n1", key: server.writeKey, body: #"{"city":"Vigo"}"#
                ).status == 201)
            let fresh = try other.createServerKey(name: "fresh", role: .write).secret
            // The kept keys do not know it yet: the reader's check lets it in.
            #expect(server.server.executor.keys.admit(fresh, needs: .write) == nil)
            let put = try await client.call(
                .put, "/v2/customer/field?customerId=n2", key: fresh, body: #"{"city":"Lugo"}"#)
            #expect(put.status == 201)
            #expect(try other.auditEntries().last?.actor == "fresh")
            let forbidden = try await client.call(
                .put, "/v2/customer/field?customerId=n3", key: server.readKey, body: #"{"city":"Tui"}"#)
            #expect(forbidden.status == 403)
            #expect(throws: RosterError.self) { try other.customer("n3") }
        }
    }
}
