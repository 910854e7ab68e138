import Foundation
import RosterCore
import RosterModel
import RosterTUI

/// Where command output goes: results on stdout, messages and errors on stderr.
///
/// This is the one boundary text crosses to reach a terminal: every line and note is passed through
/// `TerminalText.escapeMessage`, so a CSV header, a file name or a field value holding `ESC]52;…` or `ESC[2J` is
/// shown escaped whichever message carries it. JSON needs no pass: its strings escape control characters.
enum Output {
    static func line(_ text: String) {
        FileHandle.standardOutput.write(Data((TerminalText.escapeMessage(text) + "\n").utf8))
    }

    static func json(_ value: JSONValue, pretty: Bool = true) {
        FileHandle.standardOutput.write(Data((value.rendered(pretty: pretty) + "\n").utf8))
    }

    static func note(_ text: String) {
        FileHandle.standardError.write(Data((TerminalText.escapeMessage(text) + "\n").utf8))
    }

    static func error(_ text: String) {
        note("roster: error: \(text)")
    }

    /// Ends a successful command now: freeing a million decrypted strings one by one only delays the exit.
    /// Output is written unbuffered and the store was only read, so nothing is lost.
    static func exitSkippingTeardown() -> Never {
        Foundation.exit(0)
    }

    /// A value as it may be printed on a terminal.
    static func safe(_ value: String) -> String { TerminalText.escape(value) }

    /// `text` followed by spaces to `width` columns on a terminal: wide characters take two, combining marks none
    /// (counting characters or UTF-16 units misaligned a table of accented or CJK names).
    static func padded(_ text: String, to width: Int) -> String {
        text + String(repeating: " ", count: max(0, width - TextWidth.of(text)))
    }
}
