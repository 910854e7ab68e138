import CNCursesW
import Foundation
import RosterTUI
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Whether curses owns the terminal, for the crash handler.
private let cursesActive = Atomic<Bool>(false)

/// The ncursesw backend: draws cell buffers and reads keys. The only code that talks to curses.
final class CursesTerminal: TerminalBackend {
    /// Key codes `define_key` gives the bracketed-paste markers (above every code ncurses uses).
    private static let pasteStart: Int32 = 0x7E00
    private static let pasteEnd: Int32 = 0x7E01
    /// The longest paste kept; the rest is dropped (a prompt is one line).
    private static let pasteLimit = 65_536

    private let screen: OpaquePointer
    private var palette: CursesPalette
    private var closed = false

    /// Says why the console cannot run here (no terminal, no or unknown `TERM`), touching nothing.
    ///
    /// Checked before the store is unlocked, so a script gets the answer at once.
    static func preflight() throws -> String {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else { throw TerminalError.noTerminal }
        guard let term = ProcessInfo.processInfo.environment["TERM"], !term.isEmpty else {
            throw TerminalError.noTermVariable
        }
        // newterm on an unknown TERM would print and exit on its own: look the terminfo entry up first.
        var status: Int32 = 0
        guard setupterm(term, STDOUT_FILENO, &status) == OK, status == 1 else {
            throw TerminalError.unknownTerminal(term)
        }
        // A terminal that cannot move the cursor (TERM=dumb, a printing terminal) cannot show a screen.
        let addressable = roster_has_string_capability("cup") != 0
        roster_release_setupterm()
        guard addressable else { throw TerminalError.noCursorAddressing(term) }
        return term
    }

    /// Takes over the terminal (after `preflight`).
    static func open(colour: CursesPalette.ColourMode) throws -> CursesTerminal {
        let term = try preflight()
        setlocale(LC_ALL, "")
        if roster_codeset_is_utf8() == 0 { setlocale(LC_CTYPE, "C.UTF-8") }
        guard let screen = newterm(term, roster_stdout(), roster_stdin()) else {
            throw TerminalError.initialisationFailed(term)
        }
        set_term(screen)
        cursesActive.store(true, ordering: .relaxed)
        set_escdelay(25)
        raw()
        noecho()
        nonl()
        keypad(roster_stdscr(), true)
        curs_set(0)
        wtimeout(roster_stdscr(), 30)
        // Bracketed paste: the terminal wraps pasted text in ESC[200~ … ESC[201~, so a paste arrives as text,
        // never as keys (a newline in it must not run a command).
        define_key("\u{1B}[200~", pasteStart)
        define_key("\u{1B}[201~", pasteEnd)
        setBracketedPaste(true)
        return CursesTerminal(screen: screen, palette: CursesPalette(mode: colour))
    }

    private init(screen: OpaquePointer, palette: CursesPalette) {
        self.screen = screen
        self.palette = palette
    }

    /// The terminal's size in cells.
    var size: (width: Int, height: Int) {
        (Int(getmaxx(roster_stdscr())), Int(getmaxy(roster_stdscr())))
    }

    /// Draws a frame; ncurses sends only what changed since the last one.
    ///
    /// Runs of cells in one style become one `mvwaddnwstr` with every scalar of every cluster, so ncurses lays
    /// a cluster out over the cells `TextWidth` gave it; an emoji ZWJ sequence goes in as one cell instead.
    func draw(_ buffer: CellBuffer, theme: Theme) {
        palette.apply(theme)
        let window = roster_stdscr()
        var text: [wchar_t] = []
        text.reserveCapacity(buffer.width * 2)
        for y in 0..<min(buffer.height, size.height) {
            var x = 0
            while x < buffer.width {
                let slot = buffer[x, y].slot
                let attributes = palette.attributes(slot)
                let start = x
                text.removeAll(keepingCapacity: true)
                while x < buffer.width && buffer[x, y].slot == slot {
                    let cell = buffer[x, y]
                    if !cell.isContinuation && TextWidth.isEmojiSequence(cell.character) {
                        if x > start { break }
                        var scalars = cell.character.unicodeScalars.prefix(5).map { wchar_t(bitPattern: $0.value) }
                        // A sequence cut to five scalars must not end on a joiner.
                        if scalars.last == 0x200D { scalars.removeLast() }
                        _ = scalars.withUnsafeBufferPointer {
                            roster_add_cluster(
                                window, Int32(y), Int32(x), $0.baseAddress, Int32($0.count), attributes)
                        }
                        x += buffer.span(x: x, y: y)
                        text.removeAll(keepingCapacity: true)
                        break
                    }
                    if !cell.isContinuation {
                        Self.append(cell.character, to: &text)
                        if cell.isolateEnd { text.append(0x2069) }
                        // ncurses joins a zero-width character to the cell before it: the isolate that opens the
                        // next cluster goes with this one, so it still reaches the terminal just before it.
                        let next = x + buffer.span(x: x, y: y)
                        if next < buffer.width && buffer[next, y].isolateStart { text.append(0x2068) }
                    }
                    x += 1
                }
                guard !text.isEmpty else { continue }
                wattrset(window, Int32(bitPattern: attributes))
                // Writing the bottom-right cell returns ERR but draws: the result is ignored.
                _ = text.withUnsafeBufferPointer {
                    mvwaddnwstr(window, Int32(y), Int32(start), $0.baseAddress, Int32($0.count))
                }
            }
        }
        wrefresh(window)
    }

    /// A cluster as curses gets it: every scalar, so nothing of it is lost (ncurses puts each spacing one in
    /// its own cells and joins zero-width ones to it). One that starts with a zero-width scalar (a lone
    /// combining mark) is drawn on a dotted circle, as it would otherwise join the cell to its left.
    private static func append(_ character: Character, to text: inout [wchar_t]) {
        if TextWidth.startsZeroWidth(character) { text.append(0x25CC) }
        for scalar in character.unicodeScalars { text.append(wchar_t(bitPattern: scalar.value)) }
    }

    private static func setBracketedPaste(_ on: Bool) {
        // write(2), not stdio: this also runs from the crash handler.
        let sequence: StaticString = on ? "\u{1B}[?2004h" : "\u{1B}[?2004l"
        _ = Glibc.write(STDOUT_FILENO, sequence.utf8Start, sequence.utf8CodeUnitCount)
    }

    /// What one `wget_wch` gave.
    private enum Read {
        /// Nothing came within the read timeout.
        case nothing
        /// A key the console has no use for (an unmapped control code, a stray end-of-paste marker).
        case ignored
        case input(TerminalInput)
    }

    /// The next key, resize or paste.
    private func read() -> Read {
        var value: wint_t = 0
        let result = wget_wch(roster_stdscr(), &value)
        if result == ERR { return .nothing }
        if result == KEY_CODE_YES {
            let code = Int32(bitPattern: value)
            if code == KEY_RESIZE { return .input(.resize(width: size.width, height: size.height)) }
            if code == Self.pasteStart { return .input(readPaste()) }
            return CursesKeys.special(code).map { .input(.key($0)) } ?? .ignored
        }
        return CursesKeys.character(UInt32(value)).map { .input(.key($0)) } ?? .ignored
    }

    /// The text up to the end-of-paste marker (or until input stops for a second).
    private func readPaste() -> TerminalInput {
        wtimeout(roster_stdscr(), 1000)
        defer { wtimeout(roster_stdscr(), 30) }
        var text = String.UnicodeScalarView()
        while true {
            var value: wint_t = 0
            let result = wget_wch(roster_stdscr(), &value)
            if result == ERR { break }
            if result == KEY_CODE_YES {
                if Int32(bitPattern: value) == Self.pasteEnd { break }
                continue
            }
            if text.count < Self.pasteLimit, let scalar = Unicode.Scalar(UInt32(value)) {
                text.append(scalar == "\r" ? "\n" : scalar)
            }
        }
        return .paste(String(text))
    }

    /// The next input (waiting at most the read timeout), then every other one already waiting, in order.
    ///
    /// The rest is read without waiting: a burst (500 keys, a held key) comes whole, and a key the console ignores
    /// in the middle of it does not cut it in two.
    func readPending() -> [TerminalInput] {
        var pending: [TerminalInput] = []
        var next = read()
        defer { wtimeout(roster_stdscr(), 30) }
        while true {
            switch next {
            case .nothing: return pending
            case .ignored: break
            case .input(let input): pending.append(input)
            }
            // Set before every read: a paste's read changes the timeout.
            wtimeout(roster_stdscr(), 0)
            next = read()
        }
    }

    /// Repaints the whole screen on the next draw (Ctrl-L, after a resume).
    func invalidate() {
        clearok(roster_stdscr(), true)
    }

    /// Gives the terminal back to the shell until the process is resumed (`fg`), then takes it again.
    func suspend() {
        def_prog_mode()
        Self.setBracketedPaste(false)
        endwin()
        kill(getpid(), SIGSTOP)
        reset_prog_mode()
        Self.setBracketedPaste(true)
        invalidate()
    }

    /// Restores the terminal; safe to call more than once.
    func close() {
        guard !closed else { return }
        closed = true
        Self.setBracketedPaste(false)
        endwin()
        roster_clear_without_alternate_screen()
        cursesActive.store(false, ordering: .relaxed)
        delscreen(screen)
    }

    /// Leaves curses mode from a crash handler, when curses is active.
    static func emergencyRestore() {
        if cursesActive.exchange(false, ordering: .relaxed) {
            setBracketedPaste(false)
            endwin()
        }
    }
}
