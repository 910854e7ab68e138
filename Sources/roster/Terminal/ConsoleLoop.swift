import Dispatch
import RosterTUI

/// The UI loop: keys and background results in, frames out, until the operator quits or a signal arrives.
enum ConsoleLoop {
    /// Runs the console on `terminal`; returns the exit status (the state's on quit, 128 + N after signal N).
    ///
    /// Every key waiting is read and applied, in order, before a frame is drawn: a held `j` or a paste never
    /// builds a queue of frames, and the frame after the last key is the one shown.
    static func run(_ app: ConsoleApp, on terminal: CursesTerminal, signals: TerminalSignals) -> Int32 {
        app.start()
        let clipboard = terminal.clipboardSupport
        app.send(.clipboard(supported: clipboard.supported, reason: clipboard.reason))
        var lastTick = DispatchTime.now()
        while true {
            if let signal = signals.pending { return 128 + signal }
            if app.needsRedraw { terminal.draw(app.frame(), theme: app.state.theme) }
            var effects: [ConsoleEffect] = []
            var input = terminal.read()
            while let received = input {
                switch received {
                case .key(let key): effects += app.send(.key(key))
                case .resize(let width, let height): effects += app.send(.resize(width: width, height: height))
                case .paste(let text): effects += app.send(.paste(text))
                }
                if app.state.quitting { return app.state.exitStatus }
                input = terminal.readWaiting()
            }
            effects += app.drain()
            let now = DispatchTime.now()
            if app.state.isBusy && now.uptimeNanoseconds - lastTick.uptimeNanoseconds > 100_000_000 {
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
