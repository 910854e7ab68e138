import Dispatch
import Foundation

/// Phase timings on stderr when `ROSTER_TRACE` is set (for measuring loads; off otherwise), from the first mark.
package enum Trace {
    private static let start = DispatchTime.now()
    private static let enabled = ProcessInfo.processInfo.environment["ROSTER_TRACE"] != nil

    package static func mark(_ what: @autoclosure () -> String) {
        guard enabled else { return }
        let origin = start.uptimeNanoseconds
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds &- origin) / 1e6
        FileHandle.standardError.write(
            Data(String(format: "[%8.1f ms %4d MB] %@\n", elapsed, residentMegabytes(), what()).utf8))
    }

    /// The resident set size now and its peak so far (`/proc/self/status`), in MB; 0 where there is no /proc.
    private static func residentMegabytes() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            return (Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0) / 1024
        }
        return 0
    }
}
