import Foundation
import HummingbirdTesting
import Logging
import Synchronization
import Testing

@testable import RosterServer

@Suite("Request logs name the key")
struct RequestLogTests {
    @Test("a request refused after its key was accepted is logged with the key's name; one without a key as anonymous")
    func refusedAfterKey() async throws {
        let lines = LogLines()
        var logger = Logger(label: "roster.test") { _ in CapturingHandler(sink: lines) }
        logger.logLevel = .info
        let server = try TestServer(logger: logger)
        try await server.test { client in
            let malformed = try await client.call(
                .put, "/v2/customer/field?customerId=K1", key: server.writeKey, body: #"{"city":"#)
            #expect(malformed.status == 400)
            let unknown = try await client.call(.get, "/v2/customer?customerId=nobody", key: server.readKey)
            #expect(unknown.status == 404)
            let keyless = try await client.call(.put, "/v2/customer/field?customerId=K1", body: #"{"city":"Lugo"}"#)
            #expect(keyless.status == 401)
        }
        let requests = lines.all.filter { $0["route"] != nil }.map { ($0["status"] ?? "", $0["key"] ?? "") }
        #expect(requests.map(\.0) == ["400", "404", "401"])
        #expect(requests.map(\.1) == ["crm-sync", "reader", "anonymous"])
    }
}

/// The metadata of every line logged, as text.
final class LogLines: Sendable {
    private let lines = Mutex<[[String: String]]>([])

    var all: [[String: String]] { lines.withLock { $0 } }

    func append(_ metadata: Logger.Metadata) {
        lines.withLock { $0.append(metadata.mapValues { "\($0)" }) }
    }
}

struct CapturingHandler: LogHandler {
    let sink: LogLines
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        sink.append(metadata.merging(event.metadata ?? [:]) { $1 })
    }
}
