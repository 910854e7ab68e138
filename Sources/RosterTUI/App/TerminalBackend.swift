/// What reading the terminal gave.
public enum TerminalInput: Sendable, Equatable {
    case key(Key)
    case resize(width: Int, height: Int)
    /// Text pasted with bracketed paste, whole.
    case paste(String)
}

/// A terminal the console loop runs on: ncurses in the binary, `TestTerminal` in tests (Ratatui's Backend and
/// TestBackend). It knows cells, keys and the clipboard; everything the console decides is `ConsoleLoop`'s.
public protocol TerminalBackend: AnyObject {
    /// The terminal's size in cells.
    var size: (width: Int, height: Int) { get }
    /// Whether the terminal can set the clipboard (OSC 52), and if not a sentence saying why.
    var clipboardSupport: (supported: Bool, reason: String) { get }
    /// Waits a short while (the backend's read timeout) for input, then returns it with everything else already
    /// waiting, in order; empty when nothing came. A burst (a held key, 500 keys sent at once) comes whole, so the
    /// loop applies it all before it draws once.
    func readPending() -> [TerminalInput]
    /// Draws a frame: every cell's cluster in its slot's style of `theme`.
    func draw(_ buffer: CellBuffer, theme: Theme)
    /// Repaints the whole screen on the next draw (Ctrl-L, after a resume).
    func invalidate()
    /// Gives the terminal back to the shell until the process is resumed, then takes it again (Ctrl-Z).
    func suspend()
    /// Puts `text` on the terminal's clipboard.
    func copy(_ text: String)
}
