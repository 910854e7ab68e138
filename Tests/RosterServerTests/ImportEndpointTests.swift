import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import RosterCore
import RosterModel
import Testing

@testable import RosterServer

@Suite("POST /v2/import and creating customers from IDs")
struct ImportEndpointTests {
    static let csv = """
        customerId,email,city
        U1,u1@example.com,Zamora-Quintanilla
        U2,u2@example.com,Lugo
        U3,not-an-email,Vigo

        """

    @Test("an upload goes through the importer: the summary of roster import --json, rejects listed, the key audited")
    func imports() async throws {
        let server = try TestServer()
        try await server.test { client in
            let answer = try await client.upload("/v2/import?kind=contacts", key: server.writeKey, body: Self.csv)
            #expect(answer.status == 200)
            #expect(answer.data["created"] as? Int == 2)
            #expect(answer.data["rejected"] as? Int == 1)
            #expect(answer.data["rejectsShown"] as? Int == 1)
            let rejects = answer.data["rejects"] as? [[String: Any]]
            #expect(rejects?.first?["line"] as? Int == 4)
            let field = try await client.call(.get, "/v2/customer/field?customerId=U2", key: server.readKey)
            #expect(field.data["city"] as? String == "Lugo")
        }
        server.server.shutdown()
        let store = try server.openStore()
        #expect(try store.auditEntries().contains { $0.actor == "crm-sync" && $0.action == .import })
        // The upload was sealed as it arrived: no file in the folder holds its values in clear.
        for name in try FileManager.default.contentsOfDirectory(atPath: server.directory) {
            let bytes = FileManager.default.contents(atPath: server.directory + "/" + name).map(Array.init) ?? []
            #expect(!bytes.contains(bytes: Array("Zamora-Quintanilla".utf8)), "\(name)")
            #expect(!bytes.contains(bytes: Array("u1@example.com".utf8)), "\(name)")
        }
    }

    @Test("an upload over --max-csv-bytes is refused with 413 and imports nothing; a dry run writes nothing")
    func limits() async throws {
        let server = try TestServer { $0.maxCSVBytes = 2048 }
        try await server.test { client in
            let big = Self.csv + String(repeating: "U9,u9@example.com,Vigo\n", count: 200)
            let refused = try await client.upload("/v2/import?kind=contacts", key: server.writeKey, body: big)
            #expect(refused.status == 413)
            #expect(refused.errorCode == 4130)
            #expect(try await client.call(.get, "/v2/customer?customerId=U1", key: server.readKey).status == 404)
            let dry = try await client.upload(
                "/v2/import?kind=contacts&dryRun=true", key: server.writeKey, body: Self.csv)
            #expect(dry.status == 200)
            #expect(dry.data["created"] as? Int == 2)
            #expect(dry.data["dryRun"] as? Bool == true)
            #expect(try await client.call(.get, "/v2/customer?customerId=U1", key: server.readKey).status == 404)
        }
    }

    @Test("an upload needs a write key, a known kind, and a file the importer can read")
    func refusals() async throws {
        let server = try TestServer()
        try await server.test { client in
            let read = try await client.upload("/v2/import?kind=contacts", key: server.readKey, body: Self.csv)
            #expect(read.status == 403)
            let kind = try await client.upload("/v2/import?kind=people", key: server.writeKey, body: Self.csv)
            #expect(kind.status == 400)
            #expect((kind.json["message"] as? String)?.contains("contacts") == true)
            let columns = try await client.upload("/v2/import?kind=sms", key: server.writeKey, body: "name\nAna\n")
            #expect(columns.status == 400)
            let strict = try await client.upload(
                "/v2/import?kind=contacts&strict=true", key: server.writeKey, body: Self.csv)
            #expect(strict.status == 422)
            #expect(try await client.call(.get, "/v2/customer?customerId=U1", key: server.readKey).status == 404)
        }
    }

    @Test("an unknown ID creates a customer only as a CRM id: other typed forms and unknown prefixes get 400")
    func typedIDs() async throws {
        let server = try TestServer()
        try await server.test { client in
            let unknownPrefix = try await client.call(
                .put, "/v2/customer/field?customerId=foo:123", key: server.writeKey, body: #"{"city":"Vigo"}"#)
            #expect(unknownPrefix.status == 400)
            #expect((unknownPrefix.json["message"] as? String)?.contains("crm:foo:123") == true)
            let email = try await client.call(
                .put, "/v2/customer/field?customerId=email:ana@example.com", key: server.writeKey,
                body: #"{"city":"Vigo"}"#)
            #expect(email.status == 400)
            let link = try await client.call(
                .post, "/v2/customer/link", key: server.writeKey,
                body: #"{"channel":"email","customerId":"device:d-1","email":"ana@example.com"}"#)
            #expect(link.status == 400)
            let typed = try await client.call(
                .put, "/v2/customer/field?customerId=crm:foo:123", key: server.writeKey, body: #"{"city":"Vigo"}"#)
            #expect(typed.status == 201)
            let found = try await client.call(.get, "/v2/customer?customerId=crm:foo:123", key: server.readKey)
            #expect(found.data["customerId"] as? String == "foo:123")
            // Once it exists, the bare ID finds it.
            #expect(try await client.call(.get, "/v2/customer?customerId=foo:123", key: server.readKey).status == 200)
        }
    }
}

extension TestClientProtocol {
    /// Posts a file body (CSV) and decodes the JSON answer.
    func upload(_ uri: String, key: String, body: String) async throws -> Answer {
        let (status, bytes) = try await execute(
            uri: uri, method: .post, headers: [.authorization: "Bearer \(key)", .contentType: "text/csv"],
            body: ByteBuffer(string: body)
        ) { response in
            (Int(response.status.code), Data(response.body.readableBytesView))
        }
        let json = (try? JSONSerialization.jsonObject(with: bytes)) as? [String: Any] ?? [:]
        return Answer(status: status, json: json)
    }
}
