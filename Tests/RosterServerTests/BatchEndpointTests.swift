import Foundation
import HummingbirdTesting
import NIOCore
import RosterCore
import RosterModel
import Testing

@testable import RosterServer

@Suite("Batch upsert, group commit, query and preview")
struct BatchEndpointTests {
    @Test("a batch upsert reports each item; bad items are rejected alone and the rest commit in one transaction")
    func batchUpsert() async throws {
        let server = try TestServer()
        try await server.test { client in
            let body = #"""
                [{"customerId":"C1","email":"c1@example.com","fields":{"name":"Ana","score":3}},
                 {"customerId":"C2","countryCode":"34","phone":"600 11 22 33","consent":{"sms":false}},
                 {"customerId":"C3","email":"bad"},
                 {"customerId":"C4","colour":"red"},
                 {"customerId":"C5","fields":{"score":"many"}},
                 {"customerId":"C1","fields":{"city":"Lugo"}}]
                """#
            let answer = try await client.call(.post, "/v2/customers", key: server.writeKey, body: body)
            #expect(answer.status == 200)
            #expect(answer.data["accepted"] as? Int == 3)
            let statuses = (answer.data["results"] as? [[String: Any]] ?? []).map { $0["status"] as? String ?? "" }
            #expect(statuses == ["created", "created", "rejected", "rejected", "rejected", "updated"])
            let codes = (answer.data["results"] as? [[String: Any]] ?? []).map { $0["errorCode"] as? Int ?? 0 }
            #expect(codes == [0, 0, 4005, 4001, 4004, 0])
            let fields = try await client.call(.get, "/v2/customer/field?customerId=C1", key: server.readKey)
            #expect(fields.data["city"] as? String == "Lugo")
            #expect(fields.data["name"] as? String == "Ana")
            let metrics = try await client.execute(uri: "/metrics", method: .get) { String(buffer: $0.body) }
            #expect(metrics.contains("roster_commits_total 1"))
        }
    }

    @Test("writes queued together commit as one transaction and each is acknowledged")
    func groupCommit() async throws {
        let server = try TestServer()
        let changes = (0..<100).map {
            StoreChange.setFields(id: "G\($0)", fields: [FieldChange(name: "n", value: "\($0)")])
        }
        let outcomes = await server.server.executor.writeAll(changes, actor: "test")
        #expect(outcomes.count == 100)
        #expect(outcomes.allSatisfy { if case .success = $0 { true } else { false } })
        #expect(server.server.metrics.render().contains("roster_commits_total 1"))
        let customer = try await server.server.executor.run { try $0.customer("G42") }
        #expect(customer.fields["n"]?.value == "42")
    }

    @Test("too many customers in one batch, a body over the limit and malformed JSON change nothing")
    func limits() async throws {
        let server = try TestServer {
            $0.maxJSONBytes = 2048; $0.maxBatchCustomers = 3
        }
        try await server.test { client in
            let four = "[" + (1...4).map { #"{"customerId":"L\#($0)"}"# }.joined(separator: ",") + "]"
            let tooMany = try await client.call(.post, "/v2/customers", key: server.writeKey, body: four)
            #expect(tooMany.status == 400)
            let big = #"{"name":""# + String(repeating: "a", count: 4096) + #""}"#
            let tooLarge = try await client.call(
                .put, "/v2/customer/field?customerId=L1", key: server.writeKey, body: big)
            #expect(tooLarge.status == 413)
            #expect(tooLarge.errorCode == 4130)
            let malformed = try await client.call(
                .put, "/v2/customer/field?customerId=L1", key: server.writeKey, body: #"{"name":"#)
            #expect(malformed.errorCode == 4000)
            let nested = try await client.call(
                .put, "/v2/customer/field?customerId=L1", key: server.writeKey, body: #"{"name":{"a":1}}"#)
            #expect(nested.errorCode == 4002)
            let none = try await client.call(.get, "/v2/customer?customerId=L1", key: server.readKey)
            #expect(none.status == 404)
            let route = try await client.call(.get, "/v2/nothing", key: server.readKey)
            #expect(route.status == 404)
            #expect(route.errorCode == 4040)
        }
    }

    @Test("a query pages through externalCodes with a cursor; a bad filter is a 400")
    func query() async throws {
        let server = try TestServer()
        try await server.test { client in
            let body =
                "[" + (1...5).map { #"{"customerId":"Q\#($0)","fields":{"city":"Lugo"}}"# }.joined(separator: ",") + "]"
            _ = try await client.call(.post, "/v2/customers", key: server.writeKey, body: body)
            let first = try await client.call(
                .post, "/v2/query", key: server.readKey, body: #"{"filter":"city = Lugo","limit":3}"#)
            #expect(first.data["count"] as? Int == 5)
            #expect((first.data["externalCodes"] as? [String])?.count == 3)
            let cursor = first.data["nextCursor"] as? String ?? ""
            let second = try await client.call(
                .post, "/v2/query", key: server.readKey,
                body: #"{"filter":"city = Lugo","limit":3,"cursor":"\#(cursor)"}"#)
            #expect((second.data["externalCodes"] as? [String])?.count == 2)
            #expect(second.data["nextCursor"] is NSNull)
            let bad = try await client.call(.post, "/v2/query", key: server.readKey, body: #"{"filter":"city = ("}"#)
            #expect(bad.status == 400)
        }
    }

    @Test("a preview renders a template and names the missing fields")
    func preview() async throws {
        let server = try TestServer()
        try await server.test { client in
            _ = try await client.call(
                .put, "/v2/customer/field?customerId=P1", key: server.writeKey, body: #"{"name":"Ana"}"#)
            let answer = try await client.call(
                .get, "/v2/preview?customerId=P1&template=Hi%20%24Name%2C%20%24City", key: server.readKey)
            #expect(answer.status == 200)
            #expect((answer.data["rendered"] as? String)?.hasPrefix("Hi Ana,") == true)
            #expect(answer.data["missing"] as? [String] == ["City"])
        }
    }

    @Test("the served OpenAPI document is the one kept in docs/openapi.json")
    func openAPI() async throws {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/openapi.json")
        let kept = try String(contentsOf: file, encoding: .utf8)
        #expect(kept.trimmingCharacters(in: .whitespacesAndNewlines) == OpenAPIDocument.text)
        let parsed = try JSONSerialization.jsonObject(with: Data(OpenAPIDocument.text.utf8)) as? [String: Any]
        #expect(parsed?["openapi"] as? String == "3.1.0")
    }
}
