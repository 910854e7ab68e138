import Dispatch
import RosterTUI

/// The UI loop: keys and background results in, frames out, until the operator quits or a signal arrives.
enum ConsoleLoop {
    /// Runs the console on `terminal`; returns the exit status (0 on quit, 128 + N after signal N).
    static func run(_ app: ConsoleApp, on terminal: CursesTerminal, signals: TerminalSignals) -> Int32 {
        app.start()
        var lastTick = DispatchTime.now()
        while true {
            if let signal = signals.pending { return 128 + signal }
            if app.needsRedraw { terminal.draw(app.frame(), theme: app.state.theme) }
            var effects: [ConsoleEffect] = []
            var input = terminal.read()
            var burst = 0
            // Apply a burst of typed keys (a held j, a paste) before drawing once.
            while let received = input, burst < 64 {
                switch received {
                case .key(let key): effects += app.send(.key(key))
                case .resize(let width, let height): effects += app.send(.resize(width: width, height: height))
                }
                burst += 1
                input = effects.isEmpty ? terminal.readWaiting() : nil
            }
            effects += app.drain()
            let now = DispatchTime.now()
            if app.state.isBusy && now.uptimeNanoseconds - lastTick.uptimeNanoseconds > 100_000_000 {
                app.send(.tick)
                lastTick = now
            }
            for effect in effects {
                switch effect {
                case .quit: return 0
                case .redraw: terminal.invalidate()
                case .suspend: terminal.suspend()
                default: break
                }
            }
        }
    }
}
