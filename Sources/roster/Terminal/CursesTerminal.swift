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
final class CursesTerminal {
    /// What reading the keyboard gave.
    enum Input {
        case key(Key)
        case resize(width: Int, height: Int)
    }

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
        roster_release_setupterm()
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
    func draw(_ buffer: CellBuffer, theme: Theme) {
        palette.apply(theme)
        let window = roster_stdscr()
        var text: [wchar_t] = []
        text.reserveCapacity(buffer.width * 2)
        for y in 0..<min(buffer.height, size.height) {
            var x = 0
            while x < buffer.width {
                let slot = buffer[x, y].slot
                let start = x
                text.removeAll(keepingCapacity: true)
                while x < buffer.width && buffer[x, y].slot == slot {
                    let cell = buffer[x, y]
                    if !cell.isContinuation { Self.append(cell.character, to: &text) }
                    x += 1
                }
                wattrset(window, Int32(bitPattern: palette.attributes(slot)))
                // Writing the bottom-right cell returns ERR but draws: the result is ignored.
                _ = text.withUnsafeBufferPointer {
                    mvwaddnwstr(window, Int32(y), Int32(start), $0.baseAddress, Int32($0.count))
                }
            }
        }
        wrefresh(window)
    }

    /// A character as curses gets it: the base scalar and its combining marks (what `TextWidth` measured).
    private static func append(_ character: Character, to text: inout [wchar_t]) {
        var first = true
        for scalar in character.unicodeScalars {
            if first {
                text.append(wchar_t(bitPattern: scalar.value))
                first = false
            } else if scalar.properties.generalCategory == .nonspacingMark
                || scalar.properties.generalCategory == .enclosingMark
            {
                text.append(wchar_t(bitPattern: scalar.value))
            } else {
                break
            }
        }
    }

    /// The next key or resize, or nil when none came within the read timeout.
    func read() -> Input? {
        var value: wint_t = 0
        let result = wget_wch(roster_stdscr(), &value)
        if result == ERR { return nil }
        if result == KEY_CODE_YES {
            let code = Int32(bitPattern: value)
            if code == KEY_RESIZE { return .resize(width: size.width, height: size.height) }
            return CursesKeys.special(code).map(Input.key)
        }
        return CursesKeys.character(UInt32(value)).map(Input.key)
    }

    /// Whether another key is already waiting (to draw once for a burst of keys).
    func readWaiting() -> Input? {
        wtimeout(roster_stdscr(), 0)
        defer { wtimeout(roster_stdscr(), 30) }
        return read()
    }

    /// Repaints the whole screen on the next draw (Ctrl-L, after a resume).
    func invalidate() {
        clearok(roster_stdscr(), true)
    }

    /// Gives the terminal back to the shell until the process is resumed (`fg`), then takes it again.
    func suspend() {
        def_prog_mode()
        endwin()
        kill(getpid(), SIGSTOP)
        reset_prog_mode()
        invalidate()
    }

    /// Restores the terminal; safe to call more than once.
    func close() {
        guard !closed else { return }
        closed = true
        endwin()
        cursesActive.store(false, ordering: .relaxed)
        delscreen(screen)
    }

    /// Leaves curses mode from a crash handler, when curses is active.
    static func emergencyRestore() {
        if cursesActive.exchange(false, ordering: .relaxed) { endwin() }
    }
}
