import Foundation

/// A pause at a named step, for tests that must act on a running process at an exact point (change its input between
/// two passes, kill it there) instead of guessing with a delay.
///
/// Only when `ROSTER_TEST_PAUSE_AT` names the step and `ROSTER_TEST_PAUSE_DIR` a folder: the process creates
/// `STEP.paused` there and waits until the test creates `STEP.resume` (at most a minute, so a test that fails never
/// leaves it hanging). Without both variables it costs one dictionary look-up.
enum TestPause {
    static func at(_ step: String) {
        let environment = ProcessInfo.processInfo.environment
        guard environment["ROSTER_TEST_PAUSE_AT"] == step, let folder = environment["ROSTER_TEST_PAUSE_DIR"] else {
            return
        }
        _ = FileManager.default.createFile(atPath: folder + "/" + step + ".paused", contents: nil)
        let resume = folder + "/" + step + ".resume"
        for _ in 0..<60_000 where !FileManager.default.fileExists(atPath: resume) {
            usleep(1000)
        }
    }
}
