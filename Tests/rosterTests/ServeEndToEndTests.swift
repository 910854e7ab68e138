import Foundation
import Synchronization
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@Suite("roster serve, as a real process on a free port", .serialized)
struct ServeEndToEndTests {
    /// A store with a key file and one server key per role, made with the CLI.
    private func prepared(_ scratch: Scratch) throws -> (RosterProcess, read: String, write: String, admin: String) {
        let roster = RosterProcess.withKeyFile(in: scratch.path)
        #expect(try roster.run("init", "--region", "eu", "--time-zone", "Europe/Madrid").status == 0)
        func key(_ name: String, _ role: String) throws -> String {
            let created = try roster.run("key", "create", "--name", name, "--role", role)
            #expect(created.status == 0, "\(created.stderr)")
            return created.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return (roster, try key("reader", "read"), try key("crm-sync", "write"), try key("dpo", "admin"))
    }

    @Test("keys from the CLI authorize requests by role; bad keys, bad JSON and big bodies are refused")
    func endpoints() throws {
        let scratch = try Scratch()
        let (roster, read, write, admin) = try prepared(scratch)
        let server = try ServedRoster(roster, arguments: ["--max-body-bytes", "4096"])
        #expect(try server.call("GET", "/health").data["region"] as? String == "eu")
        #expect(try server.call("GET", "/v2/customer?customerId=CRM-e2e-77").status == 401)
        #expect(try server.call("GET", "/v2/customer?customerId=CRM-e2e-77", key: "rk_wrong").status == 401)
        let denied = try server.call(
            "PUT", "/v2/customer/field?customerId=CRM-e2e-77", key: read, body: #"{"name":"Anastasia"}"#)
        #expect(denied.status == 403)
        let set = try server.call(
            "PUT", "/v2/customer/field?customerId=CRM-e2e-77", key: write, body: #"{"name":"Anastasia"}"#)
        #expect(set.status == 201)
        #expect(
            try server.call("GET", "/v2/customer/field?customerId=CRM-e2e-77", key: read).data["name"] as? String
                == "Anastasia")
        let registered = try server.call(
            "POST", "/v1/device", key: write,
            body: #"{"deviceId":"dev-e2e-55","platform":"webpush","timeZome":"Europe/Madrid"}"#)
        #expect(registered.status == 201)
        #expect(
            try server.call("GET", "/v1/device?deviceId=dev-e2e-55", key: read).data["timeZone"] as? String
                == "Europe/Madrid")
        let linked = try server.call(
            "POST", "/v2/customer/link", key: write,
            body: #"{"channel":"push","deviceId":"dev-e2e-55","customerId":"CRM-e2e-77"}"#)
        #expect(linked.status == 200)
        let bad = try server.call("PUT", "/v2/customer/field?customerId=CRM-e2e-77", key: write, body: #"{"name":"#)
        #expect(bad.status == 400 && bad.errorCode == 4000)
        let big = try server.call(
            "PUT", "/v2/customer/field?customerId=CRM-e2e-77", key: write,
            body: #"{"name":""# + String(repeating: "x", count: 8000) + #""}"#)
        #expect(big.status == 413)
        #expect(
            try server.call("POST", "/v2/customer/erase", key: write, body: #"{"customerId":"CRM-e2e-77"}"#).status
                == 403)
        #expect(try server.call("GET", "/v2/customer/export?customerId=CRM-e2e-77", key: admin).status == 200)
        let metrics = try server.call("GET", "/metrics")
        #expect(metrics.status == 200)
        #expect(try server.call("GET", "/openapi.json").json["openapi"] as? String == "3.1.0")
        // The request log names routes and keys, never the values sent.
        let log = server.log
        #expect(log.contains("crm-sync"))
        #expect(!log.contains("Anastasia") && !log.contains("dev-e2e-55") && !log.contains("CRM-e2e-77"))
        #expect(server.terminate() == 0)
        // The CLI sees what the server wrote, with the key's name in the audit log.
        let audit = try roster.run("audit", "--json")
        #expect(audit.stdout.contains("\"actor\" : \"crm-sync\"") || audit.stdout.contains("\"actor\": \"crm-sync\""))
        #expect(try roster.run("key", "revoke", "reader").status == 0)
        let again = try ServedRoster(roster)
        #expect(try again.call("GET", "/v2/customer?customerId=CRM-e2e-77", key: read).status == 401)
        #expect(again.terminate() == 0)
    }

    @Test("a non-loopback address without --insecure is refused before the store is opened")
    func loopbackOnly() throws {
        let scratch = try Scratch()
        let roster = RosterProcess.withKeyFile(in: scratch.path)
        let refused = try roster.run("serve", "--listen", "0.0.0.0:8420")
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("loopback"))
    }

    @Test("timeouts beyond a day, infinite or not a number are refused with a message, not a crash")
    func timeoutBounds() throws {
        let scratch = try Scratch()
        let roster = RosterProcess.withKeyFile(in: scratch.path)
        for arguments in [
            ["--request-timeout", "1e300"], ["--upload-timeout", "inf"], ["--request-timeout", "nan"],
            ["--idle-timeout", "99999999999"], ["--request-timeout", "0.01"],
        ] {
            let refused = try roster.run(arguments: ["serve", "--listen", "127.0.0.1:0"] + arguments, environment: [:])
            #expect(refused.status == 64, "\(arguments)")
            #expect(refused.stderr.contains("timeout"), "\(arguments)")
        }
    }

    @Test(
        "with --tls-cert and --tls-key the server speaks only HTTPS, and may then listen beyond loopback",
        .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl")))
    func tls() throws {
        let scratch = try Scratch()
        let (roster, read, _, _) = try prepared(scratch)
        let openssl = Process()
        openssl.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        openssl.arguments = [
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
            "-keyout", scratch.path + "/key.pem", "-out", scratch.path + "/cert.pem",
        ]
        openssl.standardError = FileHandle.nullDevice
        try openssl.run()
        openssl.waitUntilExit()
        let server = try ServedRoster(
            roster, arguments: ["--tls-cert", scratch.path + "/cert.pem", "--tls-key", scratch.path + "/key.pem"])
        #expect(server.scheme == "https")
        #expect(try server.call("GET", "/health").status == 200)
        #expect(try server.call("GET", "/v2/customer?customerId=nobody", key: read).errorCode == 4601)
        #expect(server.terminate() == 0)
        let missingKey = try roster.run(
            "serve", "--listen", "0.0.0.0:0", "--tls-cert", scratch.path + "/cert.pem", "--tls-key",
            scratch.path + "/none.pem")
        #expect(missingKey.status != 0)
        #expect(missingKey.stderr.contains("none.pem"))
    }

    @Test("SIGTERM lets a request in flight finish, then the server exits 0")
    func drainsOnSIGTERM() throws {
        let scratch = try Scratch()
        let (roster, _, write, _) = try prepared(scratch)
        let hold = scratch.path + "/hold"
        _ = FileManager.default.createFile(atPath: hold, contents: nil)
        let server = try ServedRoster(roster, environment: ["ROSTER_TEST_SERVE_HOLD_FILE": hold])
        let answer = Mutex<Int>(0)
        let request = Thread {
            let status = (try? server.call("PUT", "/v2/customer/field?customerId=t1", key: write, body: #"{"a":"1"}"#))?
                .status
            answer.withLock { $0 = status ?? -1 }
        }
        request.start()
        server.waitForLog("holding a commit")
        kill(server.process.processIdentifier, SIGTERM)
        try FileManager.default.removeItem(atPath: hold)
        server.process.waitUntilExit()
        #expect(server.process.terminationStatus == 0)
        while answer.withLock({ $0 }) == 0 { usleep(10_000) }
        #expect(answer.withLock { $0 } == 201, "the request in flight at SIGTERM was answered")
        #expect(try roster.run("customer", "show", "t1", "--json").stdout.contains("\"a\""))
    }

    @Test("kill -9 under a write load: after a restart every acknowledged write is there")
    func killedUnderLoad() throws {
        let scratch = try Scratch()
        let (roster, read, write, _) = try prepared(scratch)
        let hold = scratch.path + "/hold"
        let server = try ServedRoster(roster, environment: ["ROSTER_TEST_SERVE_HOLD_FILE": hold])
        let acknowledged = Mutex<[String]>([])
        let writers = (0..<6).map { writer in
            Thread {
                for index in 0..<1000 {
                    let id = "w\(writer)-\(index)"
                    guard
                        let answer = try? server.call(
                            "PUT", "/v2/customer/field?customerId=\(id)", key: write, body: #"{"n":"\#(index)"}"#,
                            timeout: 60),
                        answer.status == 201
                    else { return }
                    acknowledged.withLock { $0.append(id) }
                }
            }
        }
        writers.forEach { $0.start() }
        while acknowledged.withLock({ $0.count }) < 60 { usleep(10_000) }
        // Stop the next commit where it is and kill the process there: writes in it were never acknowledged.
        _ = FileManager.default.createFile(atPath: hold, contents: nil)
        server.waitForLog("holding a commit")
        kill(server.process.processIdentifier, SIGKILL)
        server.process.waitUntilExit()
        try FileManager.default.removeItem(atPath: hold)
        let written = acknowledged.withLock { $0 }
        #expect(written.count >= 60)
        let restarted = try ServedRoster(roster)
        for id in written {
            let answer = try restarted.call("GET", "/v2/customer/field?customerId=\(id)", key: read)
            #expect(answer.status == 200, "acknowledged write \(id) is present")
        }
        #expect(restarted.terminate() == 0)
    }

    @Test("a client that trickles its body is cut off at --request-timeout with 408, and nothing is written")
    func slowBody() throws {
        let scratch = try Scratch()
        let (roster, read, write, _) = try prepared(scratch)
        let server = try ServedRoster(roster, arguments: ["--request-timeout", "0.3"])
        // Headers announcing 64 bytes, then 9 of them, then nothing: the answer must come from the deadline.
        let head =
            "PUT /v2/customer/field?customerId=slow-1 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            + "Authorization: Bearer \(write)\r\nContent-Type: application/json\r\nContent-Length: 64\r\n\r\n"
        let answer = try RawHTTP.exchange(port: server.port, sending: head + #"{"city":"#)
        #expect(answer.hasPrefix("HTTP/1.1 408"), "\(answer.prefix(80))")
        #expect(answer.contains("4080"))
        #expect(try server.call("GET", "/v2/customer?customerId=slow-1", key: read).status == 404)
        #expect(try server.call("GET", "/health").status == 200)
    }

    @Test("a client that goes away in the middle of an upload is answered 400, not a server error; nothing imported")
    func droppedUpload() throws {
        let scratch = try Scratch()
        let (roster, read, write, _) = try prepared(scratch)
        let server = try ServedRoster(roster)
        let head =
            "POST /v2/import?kind=contacts HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(write)\r\n"
            + "Content-Type: text/csv\r\nContent-Length: 3000\r\n\r\n"
        try RawHTTP.sendAndLeave(port: server.port, sending: head + "customerId,email\ndropped-1,d1@example.com\n")
        // The request is counted once the server has given up on it: wait for that (at most 10 s).
        var counted: [String] = []
        for _ in 0..<200 where counted.isEmpty {
            let metrics = try RawHTTP.exchange(
                port: server.port, sending: "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            counted = metrics.split(separator: "\n").map(String.init).filter {
                $0.hasPrefix("roster_http_requests_total") && $0.contains("/v2/import")
            }
            if counted.isEmpty { Thread.sleep(forTimeInterval: 0.05) }
        }
        #expect(counted.count == 1)
        #expect(counted.first?.contains("status=\"400\"") == true, "\(counted)")
        #expect(try server.call("GET", "/v2/customer?customerId=dropped-1", key: read).status == 404)
    }

    @Test("POST /v2/import streams a CSV file into the importer: the same summary as roster import --json")
    func upload() throws {
        let scratch = try Scratch()
        let (roster, read, write, _) = try prepared(scratch)
        let server = try ServedRoster(roster, arguments: ["--max-csv-bytes", "4096"])
        let csv = "customerId,email,city\nE1,e1@example.com,Vigo\nE2,not-an-email,Lugo\n"
        let answer = try server.call("POST", "/v2/import?kind=contacts", key: write, body: csv)
        #expect(answer.status == 200)
        #expect(answer.data["created"] as? Int == 1 && answer.data["rejected"] as? Int == 1)
        #expect(try server.call("POST", "/v2/import?kind=contacts", key: read, body: csv).status == 403)
        let big = try server.call(
            "POST", "/v2/import?kind=contacts", key: write,
            body: csv + String(repeating: "E3,e3@example.com,x\n", count: 400))
        #expect(big.status == 413)
        #expect(try server.call("GET", "/v2/customer/field?customerId=E1", key: read).data["city"] as? String == "Vigo")
        #expect(try server.call("GET", "/v2/customer?customerId=E3", key: read).status == 404)
        #expect(server.terminate() == 0)
        let audit = try roster.run("audit", "--json")
        let entries =
            (try JSONSerialization.jsonObject(with: Data(audit.stdout.utf8)) as? [String: Any])?["entries"]
            as? [[String: Any]] ?? []
        #expect(entries.contains { $0["action"] as? String == "import" && $0["actor"] as? String == "crm-sync" })
    }
}

/// One HTTP exchange over a plain socket, for clients curl cannot play (a body that stops half-way).
enum RawHTTP {
    /// Sends `text` and closes the connection at once, as a client that goes away.
    static func sendAndLeave(port: Int, sending text: String) throws {
        let socket = try connected(port: port)
        defer { close(socket) }
        let bytes = Array(text.utf8)
        guard send(socket, bytes, bytes.count, 0) == bytes.count else { throw RawHTTPFailed() }
    }

    /// Sends `text`, leaves the connection open, and returns what the server sends until it closes (at most 20 s).
    static func exchange(port: Int, sending text: String) throws -> String {
        let socket = try connected(port: port)
        defer { close(socket) }
        let bytes = Array(text.utf8)
        guard send(socket, bytes, bytes.count, 0) == bytes.count else { throw RawHTTPFailed() }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = recv(socket, &buffer, buffer.count, 0)
            if count <= 0 { break }
            received += buffer[..<count]
            // The JSON answer is complete once its closing brace arrived after the headers.
            if let text = String(bytes: received, encoding: .utf8), let split = text.range(of: "\r\n\r\n"),
                text[split.upperBound...].hasSuffix("}")
            {
                break
            }
        }
        return String(decoding: received, as: UTF8.self)
    }

    private static func connected(port: Int) throws -> Int32 {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw RawHTTPFailed() }
        var timeout = timeval(tv_sec: 20, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            close(socket)
            throw RawHTTPFailed()
        }
        return socket
    }

    struct RawHTTPFailed: Error {}
}
