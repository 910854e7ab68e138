import Foundation
import HummingbirdTesting
import RosterCore
import RosterModel
import Testing

@testable import RosterServer

@Suite("Server keys and roles")
struct AuthenticationTests {
    @Test("health needs no key and reports the region and version")
    func health() async throws {
        let server = try TestServer()
        try await server.test { client in
            let answer = try await client.call(.get, "/health")
            #expect(answer.status == 200)
            #expect(answer.data["region"] as? String == "eu")
            #expect(answer.data["version"] as? String == RosterVersion.string)
        }
    }

    @Test("a request without a key, with an unknown key or with a malformed header gets 401 and code 4010")
    func unauthorized() async throws {
        let server = try TestServer()
        try await server.test { client in
            for key in [nil, "rk_not-a-key", server.readKey + "x", ""] as [String?] {
                let answer = try await client.call(.get, "/v2/customer?customerId=c1", key: key)
                #expect(answer.status == 401)
                #expect(answer.errorCode == 4010)
            }
            let basic = try await client.execute(
                uri: "/v2/customer?customerId=c1", method: .get, headers: [.authorization: "Basic \(server.readKey)"]
            ) { $0.status.code }
            #expect(basic == 401)
        }
    }

    @Test("the Authorization scheme is matched in any case and the secret without the blanks around it; else 401")
    func bearerHeader() async throws {
        let server = try TestServer()
        let key = server.readKey
        try await server.test { client in
            let accepted = ["Bearer \(key)", "bearer \(key)", "BEARER   \(key) \t", "bEaReR \t\(key)"]
            let refused = [
                "Bearer\t\(key)", "Bearer\(key)", "Bearer ", "Bearer  \t ", "Bearér \(key)", "Bearer \(key)x",
            ]
            for header in accepted + refused {
                let status = try await client.execute(
                    uri: "/v2/customer?customerId=c1", method: .get, headers: [.authorization: header]
                ) { $0.status.code }
                // A valid key reaches the look-up: no such customer.
                #expect(status == (accepted.contains(header) ? 404 : 401), "\(header.prefix(10))")
            }
        }
    }

    @Test("a read key gets 403 on writes, a write key on the GDPR endpoints; nothing is written")
    func forbidden() async throws {
        let server = try TestServer()
        try await server.test { client in
            let write = try await client.call(
                .put, "/v2/customer/field?customerId=c1", key: server.readKey, body: #"{"name":"Ana"}"#)
            #expect(write.status == 403)
            #expect(write.errorCode == 4030)
            let lookup = try await client.call(.get, "/v2/customer?customerId=c1", key: server.readKey)
            #expect(lookup.status == 404)
            let erase = try await client.call(
                .post, "/v2/customer/erase", key: server.writeKey, body: #"{"customerId":"c1"}"#)
            #expect(erase.status == 403)
            let export = try await client.call(.get, "/v2/customer/export?customerId=c1", key: server.writeKey)
            #expect(export.status == 403)
        }
    }

    @Test("a revoked key is refused from the next request on")
    func revoked() async throws {
        let directory = try TemporaryFolder()
        let store = try directory.store()
        let secret = try store.createServerKey(name: "temp", role: .read).secret
        #expect(try store.authenticateServerKey(secret)?.name == "temp")
        _ = try store.revokeServerKey(name: "temp")
        #expect(try store.authenticateServerKey(secret) == nil)
        // The name is free again, and the new key is not the old one.
        let again = try store.createServerKey(name: "temp", role: .write)
        #expect(again.secret != secret)
        #expect(try store.authenticateServerKey(again.secret)?.role == .write)
        #expect(try store.serverKeys().map(\.name) == ["temp", "temp"])
    }

    @Test("the store keeps no key secret in clear, and two keys never share a name")
    func storedHashed() throws {
        let directory = try TemporaryFolder()
        let store = try directory.store()
        let secret = try store.createServerKey(name: "crm", role: .write).secret
        #expect(secret.hasPrefix("rk_") && secret.count == 46)
        #expect(throws: RosterError.self) { try store.createServerKey(name: "crm", role: .read) }
        #expect(throws: RosterError.self) { try store.createServerKey(name: "bad name!", role: .read) }
        try store.close()
        let bytes = directory.bytes()
        #expect(!bytes.contains(bytes: Array(secret.utf8)))
        #expect(!bytes.contains(bytes: Array(secret.dropFirst(3).prefix(20).utf8)))
    }

    @Test("key creation and revocation are in the audit log")
    func audited() throws {
        let directory = try TemporaryFolder()
        let store = try directory.store()
        _ = try store.createServerKey(name: "crm", role: .write)
        _ = try store.revokeServerKey(name: "crm")
        let details = try store.auditEntries().filter { $0.action == .key }.map(\.detail)
        #expect(details == ["created server key crm (write)", "revoked server key crm"])
        #expect(try store.verifyAudit().isEmpty)
    }
}

/// A folder for one store, removed afterwards.
final class TemporaryFolder {
    let path = NSTemporaryDirectory() + "roster-server-tests-" + UUID().uuidString

    init() throws { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) }
    deinit { try? FileManager.default.removeItem(atPath: path) }

    func store() throws -> Store {
        let keyFile = path + "/store.key"
        if !FileManager.default.fileExists(atPath: keyFile) { try KeyFile.create(at: keyFile) }
        if FileManager.default.fileExists(atPath: path + "/store.roster") {
            return try Store.open(at: path + "/store.roster", key: .keyFile(path: keyFile))
        }
        return try Store.create(at: path + "/store.roster", region: "eu", key: .keyFile(path: keyFile))
    }

    func bytes() -> [UInt8] {
        ["store.roster", "store.roster-wal"].flatMap {
            FileManager.default.contents(atPath: path + "/" + $0).map(Array.init) ?? []
        }
    }
}

extension Array where Element == UInt8 {
    func contains(bytes needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, needle.count <= count else { return false }
        var index = 0
        while index <= count - needle.count {
            if self[index] == needle[0], Array(self[index..<index + needle.count]) == needle { return true }
            index += 1
        }
        return false
    }
}
