import Foundation
import HummingbirdTesting
import RosterCore
import RosterModel
import Testing

@Suite("POST /v2/query reads @NAME from the store's saved segments")
struct SegmentQueryTests {
    @Test("a saved segment selects through the API; an unknown one is a 400 naming it")
    func segmentInQuery() async throws {
        let server = try TestServer()
        try await server.test { client in
            let body = #"[{"customerId":"S1","fields":{"city":"Lugo"}},{"customerId":"S2","fields":{"city":"Vigo"}}]"#
            _ = try await client.call(.post, "/v2/customers", key: server.writeKey, body: body)
            let store = try Store.open(
                at: server.directory + "/store.roster", key: .keyFile(path: server.directory + "/store.key"))
            _ = try store.saveSegment(named: "lugo", expression: "city = lugo", replacing: false) { _, _ in 0 }
            try store.close()

            let answer = try await client.call(
                .post, "/v2/query", key: server.readKey, body: #"{"filter":"@LUGO or city = nowhere"}"#)
            #expect(answer.status == 200)
            #expect(answer.data["count"] as? Int == 1)
            let unknown = try await client.call(.post, "/v2/query", key: server.readKey, body: #"{"filter":"@nope"}"#)
            #expect(unknown.status == 400)
            #expect("\(unknown.json)".contains("unknown segment @nope (saved: @lugo)"), "\(unknown.json)")
        }
    }
}
