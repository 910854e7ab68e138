import CNCursesW
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// `y`: text to the terminal's clipboard with OSC 52 (`ESC ] 52 ; c ; BASE64 BEL`).
extension CursesTerminal {
    /// Terminals known to take OSC 52 even when their terminfo entry does not say so (`Ms`).
    private static let clipboardFamilies = [
        "xterm", "tmux", "screen", "alacritty", "foot", "kitty", "wezterm", "contour", "rio", "ghostty",
    ]

    /// Whether this terminal can set the clipboard, and if not a sentence saying so.
    var clipboardSupport: (supported: Bool, reason: String) {
        let term = ProcessInfo.processInfo.environment["TERM"] ?? ""
        if roster_has_string_capability("Ms") != 0 { return (true, "") }
        let family = term.lowercased().split(separator: "-").first.map(String.init) ?? ""
        if Self.clipboardFamilies.contains(family) { return (true, "") }
        return (false, "this terminal (TERM=\(term)) cannot set the clipboard: it does not take OSC 52")
    }

    /// Sends `text` to the clipboard. The sequence goes out after curses has flushed its frame, in one write(2):
    /// it moves no cursor and draws nothing, so curses' idea of the screen stays right.
    func copy(_ text: String) {
        let sequence = "\u{1B}]52;c;" + Data(text.utf8).base64EncodedString() + "\u{07}"
        fflush(roster_stdout())
        let bytes = Array(sequence.utf8)
        var written = 0
        while written < bytes.count {
            let result = bytes[written...].withUnsafeBytes { Glibc.write(STDOUT_FILENO, $0.baseAddress, $0.count) }
            if result <= 0 { break }
            written += result
        }
    }
}
