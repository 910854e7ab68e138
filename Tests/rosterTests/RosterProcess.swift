import Foundation

/// Runs the built `roster` executable the way a user or a script does.
struct RosterProcess {
    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// The `roster` binary next to this test bundle (SwiftPM builds it because the test target depends on it).
    static let executable: URL = {
        let bundleDirectory = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
            .deletingLastPathComponent()
        var candidates = [bundleDirectory.appendingPathComponent("roster")]
        var root = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { root.deleteLastPathComponent() }
        candidates.append(root.appendingPathComponent(".build/debug/roster"))
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[0]
    }()

    let directory: String
    var environment: [String: String]

    init(directory: String, passphrase: String? = "test passphrase 1") {
        self.directory = directory
        var environment = ProcessInfo.processInfo.environment
        environment["ROSTER_STORE"] = directory + "/store.roster"
        environment["ROSTER_PASSPHRASE"] = passphrase
        environment["ROSTER_KEYFILE"] = nil
        environment["LANG"] = "es_ES.UTF-8"
        self.environment = environment
    }

    /// A store in `directory` unlocked by the key file `store.key` beside it (no scrypt: fast tests).
    static func withKeyFile(in directory: String) -> RosterProcess {
        var roster = RosterProcess(directory: directory, passphrase: nil)
        roster.environment["ROSTER_KEYFILE"] = directory + "/store.key"
        return roster
    }

    /// Runs `roster ARGS…` with no terminal and returns its exit status and output.
    func run(_ arguments: String..., environment extra: [String: String] = [:]) throws -> Result {
        try run(arguments, environment: extra)
    }

    /// Runs `roster` with an argument array.
    func run(_ arguments: [String], environment extra: [String: String] = [:]) throws -> Result {
        let process = Process()
        process.executableURL = Self.executable
        process.arguments = arguments
        process.environment = environment.merging(extra) { $1 }
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: stderr, as: UTF8.self))
    }
}

/// A fresh directory for one test, removed afterwards.
final class Scratch {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "roster-cli-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}
