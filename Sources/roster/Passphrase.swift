import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Reads a passphrase from the controlling terminal with echo off.
enum Passphrase {
    /// The terminal state to restore if the user interrupts the prompt.
    nonisolated(unsafe) private static var saved = termios()
    nonisolated(unsafe) private static var ttyDescriptor: Int32 = -1

    /// Asks on /dev/tty; nil when there is no terminal.
    static func prompt(_ text: String) -> String? {
        let fd = open("/dev/tty", O_RDWR | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        _ = text.withCString { write(fd, $0, strlen($0)) }
        guard tcgetattr(fd, &saved) == 0 else { return nil }
        ttyDescriptor = fd
        var silent = saved
        silent.c_lflag &= ~tcflag_t(ECHO)
        tcsetattr(fd, TCSAFLUSH, &silent)
        let previous = signal(SIGINT) { _ in
            tcsetattr(Passphrase.ttyDescriptor, TCSAFLUSH, &Passphrase.saved)
            _ = write(Passphrase.ttyDescriptor, "\n", 1)
            _exit(130)
        }
        defer {
            tcsetattr(fd, TCSAFLUSH, &saved)
            signal(SIGINT, previous)
            _ = write(fd, "\n", 1)
        }
        var bytes: [UInt8] = []
        var byte: UInt8 = 0
        while read(fd, &byte, 1) == 1, byte != UInt8(ascii: "\n"), byte != UInt8(ascii: "\r") {
            bytes.append(byte)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Asks a question on the terminal with echo on; nil when there is no terminal.
    static func ask(_ text: String) -> String? {
        guard isatty(STDIN_FILENO) == 1 || canPrompt else { return nil }
        let fd = open("/dev/tty", O_RDWR | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        _ = text.withCString { write(fd, $0, strlen($0)) }
        var bytes: [UInt8] = []
        var byte: UInt8 = 0
        while read(fd, &byte, 1) == 1, byte != UInt8(ascii: "\n") { bytes.append(byte) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Whether a terminal is there to ask on.
    static var canPrompt: Bool {
        let fd = open("/dev/tty", O_RDWR | O_CLOEXEC)
        guard fd >= 0 else { return false }
        close(fd)
        return true
    }
}
