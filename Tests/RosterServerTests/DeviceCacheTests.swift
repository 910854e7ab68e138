import Foundation
import HummingbirdTesting
import RosterCore
import Testing

@testable import RosterServer

@Suite("GET /v1/device answered from a reader's cache, exact after every commit")
struct DeviceCacheTests {
    @Test(
        "a device read after the server's own write shows the write, with and without read connections",
        arguments: [0, 4])
    func ownWrites(readConnections: Int) async throws {
        let server = try TestServer { $0.readConnections = readConnections }
        #expect(server.server.reads.size == readConnections)
        try await server.test { client in
            _ = try await client.call(
                .post, "/v1/device", key: server.writeKey, body: #"{"deviceId":"c-1","platform":"android"}"#)
            for _ in 0..<3 {
                let answer = try await client.call(.get, "/v1/device?deviceId=c-1", key: server.readKey)
                #expect(answer.data["enabled"] as? Bool == true)
            }
            let put = try await client.call(
                .put, "/v1/device?deviceId=c-1", key: server.writeKey, body: #"{"enabled":false,"locale":"gl-ES"}"#)
            #expect(put.status == 200)
            let after = try await client.call(.get, "/v1/device?deviceId=c-1", key: server.readKey)
            #expect(after.status == 200)
            #expect(after.data["enabled"] as? Bool == false)
            #expect(after.data["locale"] as? String == "gl-ES")
        }
    }

    @Test("another process's change to a cached device shows at the next request")
    func otherProcess() async throws {
        let server = try TestServer()
        let other = try server.openStore()
        try await server.test { client in
            _ = try await client.call(
                .post, "/v1/device", key: server.writeKey, body: #"{"deviceId":"c-2","platform":"ios"}"#)
            // Every reader caches it (requests take whichever reader is idle).
            for _ in 0..<8 {
                #expect(
                    try await client.call(.get, "/v1/device?deviceId=c-2", key: server.readKey).data["enabled"]
                        as? Bool == true)
            }
            _ = try other.setDeviceEnabled("device:c-2", false)
            for _ in 0..<8 {
                let answer = try await client.call(.get, "/v1/device?deviceId=c-2", key: server.readKey)
                #expect(answer.data["enabled"] as? Bool == false)
            }
        }
    }

    @Test("a cached device is refused to a key revoked meanwhile, and an unknown device is never cached")
    func revokedAndUnknown() async throws {
        let server = try TestServer()
        let other = try server.openStore()
        try await server.test { client in
            let missing = try await client.call(.get, "/v1/device?deviceId=c-3", key: server.readKey)
            #expect(missing.status == 404)
            _ = try await client.call(
                .post, "/v1/device", key: server.writeKey, body: #"{"deviceId":"c-3","platform":"ios"}"#)
            #expect(try await client.call(.get, "/v1/device?deviceId=c-3", key: server.readKey).status == 200)
            _ = try other.revokeServerKey(name: "reader")
            let refused = try await client.call(.get, "/v1/device?deviceId=c-3", key: server.readKey)
            #expect(refused.status == 401)
            #expect(refused.errorCode == 4010)
            #expect(try await client.call(.get, "/v1/device?deviceId=c-3", key: server.writeKey).status == 200)
        }
    }

    @Test("a reader's stamp moves with another connection's commit and with its own writes, not with reads")
    func stamp() throws {
        let server = try TestServer()
        let store = try server.openStore()
        let other = try server.openStore()
        let first = try store.use { try store.readStamp() }
        let code = try store.customer(forEmail: "x@example.com").externalCode
        let second = try store.use { try store.readStamp() }
        #expect(second != first)
        _ = try other.resolve(code)
        _ = try store.resolve(code)
        #expect(try store.use { try store.readStamp() } == second)
        _ = try other.customer(forEmail: "y@example.com")
        #expect(try store.use { try store.readStamp() } != second)
    }
}
