import Foundation
import HTTPTypes
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

    @Test("over HTTP: a key revoked while the kept keys still accept it is refused at the group, on every write route")
    func revokedOverHTTP() async throws {
        let server = try TestServer()
        let other = try server.openStore()
        let routes: [(method: HTTPRequest.Method, path: String, body: String, written: String?)] = [
            (.put, "/v2/customer/field?customerId=h1", #"{"city":"Lugo"}"#, "h1"),
            (.post, "/v2/customers", #"[{"customerId":"h2"},{"customerId":"h3"}]"#, "h2"),
            (.post, "/v1/device", #"{"platform":"webpush","deviceId":"dev-h4"}"#, nil),
            (.post, "/v2/customer/link", #"{"customerId":"h5","channel":"email","email":"h5@example.com"}"#, "h5"),
        ]
        try await server.test { client in
            for (index, route) in routes.enumerated() {
                // A key of its own, known to the kept keys (a write with it commits a group that reads them).
                let secret = try other.createServerKey(name: "route\(index)", role: .write).secret
                let first = try await client.call(
                    .put, "/v2/customer/field?customerId=seen\(index)", key: secret, body: #"{"city":"Vigo"}"#)
                #expect(first.status == 201)
                #expect(server.server.executor.keys.admit(secret, needs: .write) != nil)
                _ = try other.revokeServerKey(name: "route\(index)")
                // Let in from the kept keys, refused by the group's check: nothing written.
                let refused = try await client.call(route.method, route.path, key: secret, body: route.body)
                #expect(refused.status == 401, "\(route.path)")
                #expect(refused.errorCode == 4010)
                if let written = route.written {
                    #expect(throws: RosterError.self) { try other.customer(written) }
                } else {
                    #expect(throws: RosterError.self) { try other.device("dev-h4") }
                }
            }
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
