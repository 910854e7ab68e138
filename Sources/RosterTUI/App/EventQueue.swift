import Foundation

/// A thread-safe queue of events: workers post results, the UI loop drains them between keys.
public final class EventQueue: @unchecked Sendable {
    private let lock = NSLock()
    private var events: [ConsoleEvent] = []

    public init() {}

    /// Adds an event (from any thread).
    public func post(_ event: ConsoleEvent) {
        lock.lock()
        events.append(event)
        lock.unlock()
    }

    /// Takes every event posted so far, oldest first.
    public func drain() -> [ConsoleEvent] {
        lock.lock()
        defer { lock.unlock() }
        let taken = events
        events.removeAll(keepingCapacity: true)
        return taken
    }

    /// Whether events are waiting.
    public var isEmpty: Bool {
        lock.lock()
        defer { lock.unlock() }
        return events.isEmpty
    }
}

/// The latest generation asked for per kind of work, so a worker skips work that was superseded.
final class Generations: @unchecked Sendable {
    private let lock = NSLock()
    private var latest: [String: Int] = [:]

    func set(_ key: String, _ generation: Int) {
        lock.lock()
        latest[key] = max(latest[key] ?? 0, generation)
        lock.unlock()
    }

    func isCurrent(_ key: String, _ generation: Int) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        return (latest[key] ?? 0) <= generation
    }
}
