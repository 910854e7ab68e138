/// The console as a backend drives it: send events, drain background results, draw frames.
///
/// It owns the state and the runtime; the backend owns the terminal. Used from one thread (the UI loop).
public final class ConsoleApp {
    /// The one state; changed only by `send`.
    public private(set) var state: ConsoleState
    public let runtime: ConsoleRuntime
    /// Whether the state changed since the last frame.
    public private(set) var needsRedraw = true

    public init(state: ConsoleState, runtime: ConsoleRuntime) {
        self.state = state
        self.runtime = runtime
    }

    /// Starts loading the working set: the first frame shows progress while it loads.
    public func start() {
        runtime.perform(.loadWorkingSet)
        runtime.watchStore()
    }

    /// Applies one event; returns the effects that are the terminal's (redraw, suspend, quit).
    @discardableResult
    public func send(_ event: ConsoleEvent) -> [ConsoleEffect] {
        let effects = ConsoleUpdate.apply(event, to: &state)
        needsRedraw = true
        var terminal: [ConsoleEffect] = []
        for effect in effects {
            if effect.isTerminalEffect {
                terminal.append(effect)
            } else {
                runtime.perform(effect)
            }
        }
        return terminal
    }

    /// Applies every event the workers posted; returns the terminal's effects.
    @discardableResult
    public func drain() -> [ConsoleEffect] {
        runtime.events.drain().flatMap { send($0) }
    }

    /// Draws the current state and clears `needsRedraw`.
    public func frame() -> CellBuffer {
        needsRedraw = false
        return ConsoleView.render(state)
    }
}
