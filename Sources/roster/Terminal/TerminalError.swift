/// Why the console cannot take over the terminal.
enum TerminalError: Error, CustomStringConvertible {
    case noTerminal
    case unknownTerminal(String)
    case noTermVariable
    case initialisationFailed(String)
    case noCursorAddressing(String)

    var description: String {
        switch self {
        case .noTerminal:
            return "the console needs a terminal (standard input and output are not one); "
                + "use the commands (roster --help) in scripts"
        case .unknownTerminal(let name):
            return "unknown terminal type TERM=\(name): no terminfo entry for it; "
                + "try TERM=xterm-256color or install ncurses-term"
        case .noTermVariable:
            return "TERM is not set, so the terminal type is unknown; set it (for example TERM=xterm-256color)"
        case .noCursorAddressing(let name):
            return "the terminal TERM=\(name) cannot move the cursor, so it cannot show the console; "
                + "use a full-screen terminal (TERM=xterm-256color, say) or the commands (roster --help)"
        case .initialisationFailed(let name):
            return "could not initialise the terminal (TERM=\(name))"
        }
    }
}
