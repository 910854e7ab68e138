import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import RosterCore
import RosterModel
import RosterServer

/// A store in a temporary folder with one key per role, and a server over it.
final class TestServer: Sendable {
    let directory: String
    let server: SyncServer
    let readKey: String
    let writeKey: String
    let adminKey: String

    init(logger given: Logger? = nil, configure: (inout ServerConfiguration) -> Void = { _ in }) throws {
        directory = NSTemporaryDirectory() + "roster-server-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let keyFile = directory + "/store.key"
        try KeyFile.create(at: keyFile)
        let store = try Store.create(
            at: directory + "/store.roster", region: "eu", appKey: "ak-123456", timeZone: "Europe/Madrid",
            key: .keyFile(path: keyFile))
        readKey = try store.createServerKey(name: "reader", role: .read).secret
        writeKey = try store.createServerKey(name: "crm-sync", role: .write).secret
        adminKey = try store.createServerKey(name: "dpo", role: .admin).secret
        var configuration = ServerConfiguration()
        configure(&configuration)
        var logger = Logger(label: "roster.test")
        logger.logLevel = .critical
        if let given { logger = given }
        server = SyncServer(store: store, configuration: configuration, logger: logger)
    }

    deinit {
        server.shutdown()
        try? FileManager.default.removeItem(atPath: directory)
    }

    var storePath: String { directory + "/store.roster" }

    /// Another connection to the server's store, as another process would have.
    func openStore() throws -> Store {
        try Store.open(at: storePath, key: .keyFile(path: directory + "/store.key"))
    }

    /// Runs `body` against the routes, in process.
    func test(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let app = Application(router: server.router())
        try await app.test(.router) { client in try await body(client) }
    }
}

/// A decoded response: its status and its JSON body.
struct Answer {
    let status: Int
    let json: [String: Any]

    var data: [String: Any] { json["data"] as? [String: Any] ?? [:] }
    var errorCode: Int? { json["errorCode"] as? Int }
}

extension TestClientProtocol {
    /// Sends a request with an optional key and JSON body text and decodes the JSON answer.
    func call(_ method: HTTPRequest.Method, _ uri: String, key: String? = nil, body: String? = nil) async throws
        -> Answer
    {
        var headers: HTTPFields = [:]
        if let key { headers[.authorization] = "Bearer \(key)" }
        if body != nil { headers[.contentType] = "application/json" }
        let (status, bytes) = try await execute(
            uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) }
        ) { response in
            (Int(response.status.code), Data(response.body.readableBytesView))
        }
        let json = (try? JSONSerialization.jsonObject(with: bytes)) as? [String: Any] ?? [:]
        return Answer(status: status, json: json)
    }
}
