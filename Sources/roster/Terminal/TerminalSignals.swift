import Dispatch
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// The signal that asked the console to stop, set off the signal handler and read by the UI loop.
private let pendingSignal = Atomic<Int32>(0)

/// Turns SIGINT, SIGTERM and SIGHUP into a flag the UI loop checks, so the terminal is restored before
/// exiting; a crash signal restores the terminal before the process dies.
final class TerminalSignals {
    private var sources: [DispatchSourceSignal] = []

    /// Installs the handlers; call before `newterm` so ncurses keeps its hands off these signals.
    init() {
        // A parent may have started us with signals blocked (a thread of a test runner, a job system):
        // without SIGWINCH curses never learns of a resize, without SIGTSTP/SIGCONT job control breaks.
        var unblocked = sigset_t()
        sigemptyset(&unblocked)
        for number in [SIGWINCH, SIGTSTP, SIGCONT, SIGINT, SIGTERM, SIGHUP] { sigaddset(&unblocked, number) }
        pthread_sigmask(SIG_UNBLOCK, &unblocked, nil)
        for number in [SIGINT, SIGTERM, SIGHUP] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { pendingSignal.store(number, ordering: .relaxed) }
            source.resume()
            sources.append(source)
        }
        for number in [SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGABRT, SIGFPE] {
            signal(number, restoreAndDie)
        }
    }

    /// The signal received since the console started, if any.
    var pending: Int32? {
        let value = pendingSignal.load(ordering: .relaxed)
        return value == 0 ? nil : value
    }

    /// Gives the signals back to their defaults.
    func restore() {
        for source in sources { source.cancel() }
        for number in [SIGINT, SIGTERM, SIGHUP, SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGABRT, SIGFPE] {
            signal(number, SIG_DFL)
        }
    }
}

/// On a crash: leave curses mode so the shell is usable, then die of the same signal.
private func restoreAndDie(_ number: Int32) {
    CursesTerminal.emergencyRestore()
    signal(number, SIG_DFL)
    raise(number)
}
