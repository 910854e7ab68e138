import Synchronization

/// A thread-safe queue of events: workers post results, the UI loop drains them between keys.
public final class EventQueue: Sendable {
    private let events = Mutex<[ConsoleEvent]>([])

    public init() {}

    /// Adds an event (from any thread).
    public func post(_ event: ConsoleEvent) {
        events.withLock { $0.append(event) }
    }

    /// Takes every event posted so far, oldest first.
    public func drain() -> [ConsoleEvent] {
        events.withLock { events in
            let taken = events
            events.removeAll(keepingCapacity: true)
            return taken
        }
    }

    /// Whether events are waiting.
    public var isEmpty: Bool {
        events.withLock { $0.isEmpty }
    }
}

/// The latest generation asked for per kind of work, so a worker skips work that was superseded.
final class Generations: Sendable {
    private let latest = Mutex<[String: Int]>([:])

    func set(_ key: String, _ generation: Int) {
        latest.withLock { $0[key] = max($0[key] ?? 0, generation) }
    }

    func isCurrent(_ key: String, _ generation: Int) -> Bool {
        latest.withLock { ($0[key] ?? 0) <= generation }
    }
}
