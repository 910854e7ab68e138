import Foundation
import RosterCore
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A one-line progress display on stderr, only when stderr is a terminal.
final class ProgressMeter: Sendable {
    let label: String
    let isActive = isatty(STDERR_FILENO) == 1
    private let start = Date()
    /// When the line was last drawn, and whether it ever was (reports come from the import's threads).
    private let drawn = Mutex((last: Date.distantPast, ever: false))

    init(label: String) { self.label = label }

    func update(_ report: ImportProgressReport) {
        drawn.withLock { drawn in draw(report, &drawn) }
    }

    private func draw(_ report: ImportProgressReport, _ drawn: inout (last: Date, ever: Bool)) {
        let now = Date()
        guard now.timeIntervalSince(drawn.last) > 0.1 else { return }
        drawn.last = now
        let elapsed = max(now.timeIntervalSince(start), 0.001)
        var text = "\r\u{1b}[2K\(label): \(report.phase.rawValue) \(Self.grouped(report.rows)) rows"
        if report.phase != .scanning { text += ", \(Self.grouped(Int(Double(report.rows) / elapsed))) rows/s" }
        if let total = report.totalBytes, total > 0 {
            text += String(format: ", %.0f%%", min(100, 100 * Double(report.bytesRead) / Double(total)))
        }
        FileHandle.standardError.write(Data(text.utf8))
        drawn.ever = true
    }

    func finish() {
        drawn.withLock { drawn in
            if drawn.ever { FileHandle.standardError.write(Data("\r\u{1b}[2K".utf8)) }
        }
    }

    static func grouped(_ value: Int) -> String {
        let digits = String(value)
        var out = ""
        for (index, char) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(char)
        }
        return out
    }
}
