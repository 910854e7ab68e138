import Foundation
import RosterTUI
import Testing

/// Compares a rendered frame with `Snapshots/NAME.txt`: one line per row, a `|` marking the right edge.
///
/// `RECORD_SNAPSHOTS=1 swift test` writes the files instead; review the diff before keeping it.
enum Snapshot {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Snapshots")

    static func text(_ buffer: CellBuffer) -> String {
        (0..<buffer.height).map { y in
            var line = ""
            for x in 0..<buffer.width where !buffer[x, y].isContinuation { line.append(buffer[x, y].character) }
            return line + "|"
        }.joined(separator: "\n") + "\n"
    }

    static func check(_ buffer: CellBuffer, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let file = directory.appendingPathComponent(name + ".txt")
        let actual = text(buffer)
        let recording = ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1"
        guard !recording, let expected = try? String(contentsOf: file, encoding: .utf8) else {
            try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try? actual.write(to: file, atomically: true, encoding: .utf8)
            if !recording { Issue.record("recorded new snapshot \(name); review it", sourceLocation: sourceLocation) }
            return
        }
        #expect(actual == expected, "snapshot \(name) differs:\n\(actual)", sourceLocation: sourceLocation)
    }

    /// The style of every cell, one letter per cell: b body, h header, S selection, t status, d dim, a accent,
    /// e error, m masked (a wide cluster's other cells repeat its letter).
    static func styles(_ buffer: CellBuffer) -> String {
        let letters: [Slot: Character] = [
            .body: "b", .header: "h", .selection: "S", .status: "t", .dim: "d", .accent: "a", .error: "e", .masked: "m",
        ]
        return (0..<buffer.height).map { y in
            String((0..<buffer.width).map { letters[buffer[$0, y].slot] ?? "?" }) + "|"
        }.joined(separator: "\n") + "\n"
    }

    /// `check`, and the cells' styles compared with `Snapshots/NAME.style.txt`.
    static func checkStyled(_ buffer: CellBuffer, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) {
        check(buffer, name, sourceLocation: sourceLocation)
        let file = directory.appendingPathComponent(name + ".style.txt")
        let actual = styles(buffer)
        let recording = ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1"
        guard !recording, let expected = try? String(contentsOf: file, encoding: .utf8) else {
            try? actual.write(to: file, atomically: true, encoding: .utf8)
            if !recording {
                Issue.record("recorded new style snapshot \(name); review it", sourceLocation: sourceLocation)
            }
            return
        }
        #expect(actual == expected, "style snapshot \(name) differs:\n\(actual)", sourceLocation: sourceLocation)
    }
}
