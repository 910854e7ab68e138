import Foundation

/// A `roster` process started in the background, optionally stopped by the test hook at a named step
/// (`ROSTER_TEST_STOP_AT`), so that a test kills or resumes it exactly there.
final class BackgroundRoster {
    let process = Process()
    private let outPath: String
    private let errPath: String

    /// Starts `roster ARGS…`; with `stopAt`, returns once the process has stopped itself at that step.
    init(_ roster: RosterProcess, _ arguments: [String], stopAt step: String? = nil) throws {
        let name = UUID().uuidString
        outPath = roster.directory + "/.out-" + name
        errPath = roster.directory + "/.err-" + name
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        process.executableURL = RosterProcess.executable
        process.arguments = arguments
        var environment = roster.environment
        environment["ROSTER_TEST_STOP_AT"] = step
        process.environment = environment
        process.currentDirectoryURL = URL(fileURLWithPath: roster.directory)
        process.standardOutput = FileHandle(forWritingAtPath: outPath)
        process.standardError = FileHandle(forWritingAtPath: errPath)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        if let step { try waitUntilStopped(step) }
    }

    /// A test that failed half-way leaves no stopped process behind.
    deinit {
        if process.isRunning { kill(pid, SIGKILL) }
    }

    var pid: Int32 { process.processIdentifier }

    /// Waits until the process is stopped (state `T` in /proc): it reached the step. Not a timing guess: the loop
    /// ends on the state, and the limit only turns a hang into a failure.
    private func waitUntilStopped(_ step: String) throws {
        let deadline = Date().addingTimeInterval(300)
        while Date() < deadline {
            guard process.isRunning else {
                throw Failure("roster ended before the step \(step): \(result().stderr)")
            }
            if let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")"),
                stat[stat.index(close, offsetBy: 2)] == "T"
            {
                return
            }
            usleep(2_000)
        }
        throw Failure("roster did not reach the step \(step)")
    }

    func resume() { kill(pid, SIGCONT) }

    func killNow() {
        kill(pid, SIGKILL)
        process.waitUntilExit()
    }

    /// Waits for the end and returns the status and output.
    func result() -> RosterProcess.Result {
        process.waitUntilExit()
        let stdout = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
        let stderr = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
        return RosterProcess.Result(status: process.terminationStatus, stdout: stdout, stderr: stderr)
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}
