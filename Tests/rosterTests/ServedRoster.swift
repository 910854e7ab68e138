import Foundation
import Synchronization

/// `roster serve` running as its own process on a free loopback port, and curl as its client.
final class ServedRoster: Sendable {
    let process = Process()
    let port: Int
    /// `https` when the server was started with a certificate.
    let scheme: String
    let stderrPath: String

    /// Starts the server and waits for the line that names its port.
    init(_ roster: RosterProcess, arguments: [String] = [], environment extra: [String: String] = [:]) throws {
        stderrPath = roster.directory + "/serve-\(UUID().uuidString).log"
        _ = FileManager.default.createFile(atPath: stderrPath, contents: nil)
        process.executableURL = RosterProcess.executable
        process.arguments = ["serve", "--listen", "127.0.0.1:0"] + arguments
        process.environment = roster.environment.merging(extra) { $1 }
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle(forWritingAtPath: stderrPath)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        var text = ""
        while !text.contains("\n") {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        guard let range = text.range(of: #"127\.0\.0\.1:(\d+)"#, options: .regularExpression),
            let port = Int(text[range].split(separator: ":").last ?? "")
        else {
            process.terminate()
            throw ServeFailed(output: text + (try String(contentsOfFile: stderrPath, encoding: .utf8)))
        }
        self.port = port
        scheme = text.contains("https://") ? "https" : "http"
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    /// The server's stderr so far (its request log).
    var log: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }

    /// Waits until the server's stderr contains `text` (a test hook's announcement).
    func waitForLog(_ text: String) {
        while !log.contains(text) && process.isRunning { usleep(10_000) }
    }

    /// Sends SIGTERM and returns the exit status.
    func terminate() -> Int32 {
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        return process.terminationStatus
    }

    struct Answer {
        /// 0 when no HTTP answer came (connection refused or reset).
        let status: Int
        let json: [String: Any]
        var data: [String: Any] { json["data"] as? [String: Any] ?? [:] }
        var errorCode: Int? { json["errorCode"] as? Int }
    }

    /// One request through curl.
    func call(_ method: String, _ path: String, key: String? = nil, body: String? = nil, timeout: Int = 20) throws
        -> Answer
    {
        let curl = Process()
        curl.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        // -k: the TLS test's certificate is self-signed.
        var arguments = ["-s", "-k", "-X", method, "-w", "\n%{http_code}", "--max-time", String(timeout)]
        if let key { arguments += ["-H", "Authorization: Bearer \(key)"] }
        if body != nil { arguments += ["-H", "Content-Type: application/json", "--data-binary", "@-"] }
        curl.arguments = arguments + ["\(scheme)://127.0.0.1:\(port)\(path)"]
        let input = Pipe()
        let output = Pipe()
        curl.standardInput = input
        curl.standardOutput = output
        curl.standardError = FileHandle.nullDevice
        try curl.run()
        if let body { input.fileHandleForWriting.write(Data(body.utf8)) }
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        curl.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let status = Int(lines.last ?? "") ?? 0
        let json =
            (try? JSONSerialization.jsonObject(with: Data(lines.dropLast().joined(separator: "\n").utf8)))
            as? [String: Any] ?? [:]
        return Answer(status: status, json: json)
    }
}

struct ServeFailed: Error, CustomStringConvertible {
    let output: String
    var description: String { "roster serve did not start: \(output)" }
}
