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

    static let letters: [Slot: Character] = [
        .body: "b", .header: "h", .selection: "S", .status: "t", .dim: "d", .accent: "a", .error: "e", .masked: "m",
    ]

    /// The style of every cell, one letter per cell: b body, h header, S selection, t status, d dim, a accent,
    /// e error, m masked (a wide cluster's other cells repeat its letter); then, for each slot used, the colours
    /// and attributes `theme` gives it, so a change of slot or of a slot's look shows in the diff.
    static func styles(_ buffer: CellBuffer, theme: Theme = .builtIn) -> String {
        let grid = (0..<buffer.height).map { y in
            String((0..<buffer.width).map { letters[buffer[$0, y].slot] ?? "?" }) + "|"
        }
        let used = Set(buffer.cells.map(\.slot))
        let legend = Slot.allCases.filter(used.contains).map { slot in
            "\(letters[slot] ?? "?") \(slot.rawValue): \(describe(theme.style(slot)))"
        }
        return (grid + [""] + legend).joined(separator: "\n") + "\n"
    }

    /// `252 on default bold`: foreground, background (`default` for the terminal's own) and attributes.
    static func describe(_ style: SlotStyle) -> String {
        func colour(_ colour: Colour) -> String {
            switch colour {
            case .terminalDefault: return "default"
            case .indexed(let index): return String(index)
            }
        }
        let attributes = [
            (style.bold, "bold"), (style.underline, "underline"), (style.reverse, "reverse"), (style.dim, "dim"),
        ]
        return ([colour(style.foreground) + " on " + colour(style.background)] + attributes.filter(\.0).map(\.1))
            .joined(separator: " ")
    }

    /// `check`, and the cells' styles compared with `Snapshots/NAME.style.txt`.
    static func checkStyled(
        _ buffer: CellBuffer, _ name: String, theme: Theme = .builtIn, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        check(buffer, name, sourceLocation: sourceLocation)
        let file = directory.appendingPathComponent(name + ".style.txt")
        let actual = styles(buffer, theme: theme)
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
