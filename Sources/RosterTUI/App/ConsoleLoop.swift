import Dispatch

/// The UI loop: keys and background results in, frames out, until the operator quits or a signal arrives.
///
/// It runs on any `TerminalBackend`, so the tests run the real loop on `TestTerminal` and the binary on ncurses.
public enum ConsoleLoop {
    /// How often a spinner moves while something is busy.
    static let tickNanoseconds: UInt64 = 100_000_000

    /// Runs the console on `terminal`; returns the exit status (the state's on quit, 128 + N after signal N).
    ///
    /// Every key waiting is read and applied, in order, before a frame is drawn: a held `j` or a paste never
    /// builds a queue of frames, and the frame after the last key is the one shown. `stopSignal` says whether a
    /// signal asked the console to stop; `clock` gives the time in nanoseconds for the spinner's ticks.
    public static func run(
        _ app: ConsoleApp, on terminal: some TerminalBackend, stopSignal: () -> Int32? = { nil },
        clock: () -> UInt64 = { DispatchTime.now().uptimeNanoseconds }
    ) -> Int32 {
        app.start()
        let clipboard = terminal.clipboardSupport
        app.send(.clipboard(supported: clipboard.supported, reason: clipboard.reason))
        var lastTick = clock()
        while true {
            if let signal = stopSignal() { return 128 + signal }
            if app.needsRedraw { terminal.draw(app.frame(), theme: app.state.theme) }
            var effects: [ConsoleEffect] = []
            for received in terminal.readPending() {
                switch received {
                case .key(let key): effects += app.send(.key(key))
                case .resize(let width, let height): effects += app.send(.resize(width: width, height: height))
                case .paste(let text): effects += app.send(.paste(text))
                }
                if app.state.quitting { return app.state.exitStatus }
            }
            effects += app.drain()
            let now = clock()
            if app.state.isBusy && now &- lastTick > tickNanoseconds {
                app.send(.tick)
                lastTick = now
            }
            for effect in effects {
                switch effect {
                case .quit: return app.state.exitStatus
                case .redraw: terminal.invalidate()
                case .suspend: terminal.suspend()
                case .copy(let text): terminal.copy(text)
                default: break
                }
            }
        }
    }
}
