import Foundation
import HummingbirdTesting
import RosterCore
import RosterModel
import Testing

@testable import RosterServer

@Suite("Reads on read-only connections beside the writer")
struct ReadPoolTests {
    @Test("reads run on the pool's connections and see another connection's commit at the next request")
    func seesOtherCommits() async throws {
        let server = try TestServer()
        #expect(server.server.reads.size == 4)
        let other = try server.openStore()
        try await server.test { client in
            #expect(try await client.call(.get, "/v2/customer/field?customerId=c9", key: server.readKey).status == 404)
            let results = try other.apply([
                AttributedChange(.setFields(id: "c9", fields: [FieldChange(name: "city", value: "Lugo")]), actor: "t")
            ])
            #expect(results.count == 1)
            let answer = try await client.call(.get, "/v2/customer/field?customerId=c9", key: server.readKey)
            #expect(answer.status == 200)
            #expect(answer.data["city"] as? String == "Lugo")
        }
    }

    @Test("a key revoked by another process is refused from the very next request")
    func revokedAtOnce() async throws {
        let server = try TestServer()
        let other = try server.openStore()
        try await server.test { client in
            #expect(try await client.call(.get, "/v2/customer?customerId=c1", key: server.readKey).status == 404)
            _ = try other.revokeServerKey(name: "reader")
            let refused = try await client.call(.get, "/v2/customer?customerId=c1", key: server.readKey)
            #expect(refused.status == 401)
            #expect(refused.errorCode == 4010)
            #expect(try await client.call(.get, "/v2/customer?customerId=c1", key: server.writeKey).status == 404)
        }
    }

    @Test("after another process's first import swapped the store file, reads and writes use the new file")
    func seesSwap() async throws {
        let server = try TestServer()
        let other = try server.openStore()
        let csv = server.directory + "/contacts.csv"
        try Data("customerId,email,city\nS1,s1@example.com,Vigo\nS2,s2@example.com,Lugo\n".utf8)
            .write(to: URL(fileURLWithPath: csv))
        try await server.test { client in
            #expect(try await client.call(.get, "/v2/customer?customerId=S1", key: server.readKey).status == 404)
            let before = try FileIdentityProbe(server.storePath)
            let summary = try Importer(store: other, options: ImportOptions(kind: .contacts, path: csv)).run()
            #expect(summary.bulk)
            #expect(try FileIdentityProbe(server.storePath) != before)
            let field = try await client.call(.get, "/v2/customer/field?customerId=S2", key: server.readKey)
            #expect(field.status == 200)
            #expect(field.data["city"] as? String == "Lugo")
            let put = try await client.call(
                .put, "/v2/customer/field?customerId=S1", key: server.writeKey, body: #"{"city":"Ourense"}"#)
            #expect(put.status == 200)
        }
        let reopened = try server.openStore()
        #expect(try reopened.customer("S1").fields["city"]?.value == "Ourense")
    }

    @Test("GET /v1/device looks deviceId up as a deviceId first, even when a CRM id spells the same")
    func deviceFirst() async throws {
        let server = try TestServer()
        try await server.test { client in
            let customer = try await client.call(
                .put, "/v2/customer/field?customerId=same-77", key: server.writeKey, body: #"{"city":"Vigo"}"#)
            #expect(customer.status == 201)
            let device = try await client.call(
                .post, "/v1/device", key: server.writeKey, body: #"{"deviceId":"same-77","platform":"ios"}"#)
            #expect(device.status == 201)
            let answer = try await client.call(.get, "/v1/device?deviceId=same-77", key: server.readKey)
            #expect(answer.status == 200)
            #expect(answer.data["deviceId"] as? String == "same-77")
            #expect(answer.data["platform"] as? String == "ios")
        }
    }

    @Test("POST /v2/query builds the working set once per data version, off the store thread")
    func queryCache() async throws {
        let server = try TestServer()
        try await server.test { client in
            for id in ["q1", "q2"] {
                _ = try await client.call(
                    .put, "/v2/customer/field?customerId=\(id)", key: server.writeKey, body: #"{"city":"Vigo"}"#)
            }
            for _ in 0..<3 {
                let answer = try await client.call(
                    .post, "/v2/query", key: server.readKey, body: #"{"filter":"city = Vigo"}"#)
                #expect(answer.data["count"] as? Int == 2)
            }
            #expect(server.server.queries.buildCount == 1)
            _ = try await client.call(
                .put, "/v2/customer/field?customerId=q3", key: server.writeKey, body: #"{"city":"Vigo"}"#)
            let after = try await client.call(
                .post, "/v2/query", key: server.readKey, body: #"{"filter":"city = Vigo"}"#)
            #expect(after.data["count"] as? Int == 3)
            #expect(server.server.queries.buildCount == 2)
        }
    }

    @Test("a server write moves the store's change stamp, which another process (the console) watches")
    func changeStamp() async throws {
        let server = try TestServer()
        let other = try server.openStore()
        let before = try other.changeStamp().dataVersion
        try await server.test { client in
            let put = try await client.call(
                .put, "/v2/customer/field?customerId=w1", key: server.writeKey, body: #"{"city":"Vigo"}"#)
            #expect(put.status == 201)
        }
        #expect(try other.changeStamp().dataVersion > before)
    }

    @Test("reads that show values are audited in summary, per key, when the server stops")
    func readsAudited() async throws {
        // A window longer than any run, so that a slow machine cannot split the three reads into two entries.
        let server = try TestServer { $0.readAuditInterval = .seconds(24 * 3600) }
        try await server.test { client in
            _ = try await client.call(
                .put, "/v2/customer/field?customerId=r1", key: server.writeKey, body: #"{"city":"Vigo"}"#)
            for _ in 0..<2 {
                #expect(
                    try await client.call(.get, "/v2/customer/field?customerId=r1", key: server.readKey).status == 200)
            }
            #expect(try await client.call(.get, "/v2/customer?customerId=r1", key: server.readKey).status == 200)
        }
        server.server.shutdown()
        let entries = try server.openStore().auditEntries().filter { $0.action == .reveal }
        #expect(entries.count == 1)
        #expect(entries.first?.actor == "reader")
        #expect(entries.first?.subject == "*")
        #expect(entries.first?.detail.contains("3 sync API reads") == true)
        #expect(entries.first?.detail.contains("GET /v2/customer/field 2") == true)
    }

    @Test("a body that does not arrive within the deadline is answered 408")
    func deadline() async throws {
        let never = AsyncStream<Int> { _ in }
        await #expect(throws: APIError.self) {
            _ = try await Deadline.run(.milliseconds(50)) {
                for await _ in never {}
                return 0
            }
        }
        do {
            _ = try await Deadline.run(.milliseconds(20)) { () async throws -> Int in
                for await _ in never {}
                return 0
            }
        } catch let error as APIError {
            #expect(error.code == 4080)
            #expect(error.status.code == 408)
        }
        #expect(try await Deadline.run(.seconds(5)) { 7 } == 7)
    }
}

/// The device and inode at a path.
struct FileIdentityProbe: Equatable {
    let device: UInt64
    let inode: UInt64

    init(_ path: String) throws {
        var info = stat()
        guard stat(path, &info) == 0 else { throw CocoaError(.fileNoSuchFile) }
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
    }
}
