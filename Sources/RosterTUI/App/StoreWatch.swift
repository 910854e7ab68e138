import Dispatch
import Foundation
import RosterModel

/// Live refresh: the store's change stamp is polled off the UI loop, and a change made by another process (an
/// import, `roster customer set`, the server) is posted as `storeChanged`, which reloads the working set.
///
/// Polling is one indexed read of the store every `interval`; it never waits for this console's own work.
final class StoreWatch: @unchecked Sendable {
    private let lock = NSLock()
    /// The stamp of the data loaded or last reported; nil before the first load (nothing to compare with).
    private var seen: ChangeStamp?
    private var timer: DispatchSourceTimer?

    private var loads = 0

    /// Whether this is the first load (the remembered columns are read with it).
    func firstLoad() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        loads += 1
        return loads == 1
    }

    /// A load read `stamp` before it started: changes up to it are in the loaded set.
    func loaded(_ stamp: ChangeStamp?) {
        guard let stamp else { return }
        lock.lock()
        seen = stamp
        lock.unlock()
    }

    /// This console wrote once, moving the stamp from `before` to `after`: when nothing else was written between
    /// (one version on), that is no change to reload for.
    func advance(from before: ChangeStamp?, to after: ChangeStamp?) {
        guard let before, let after, after.reopens == before.reopens, after.dataVersion == before.dataVersion + 1
        else { return }
        lock.lock()
        if seen == before { seen = after }
        lock.unlock()
    }

    /// Whether `stamp` is news; it becomes the one seen.
    func isChange(_ stamp: ChangeStamp) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        guard let seen, seen != stamp else { return false }
        self.seen = stamp
        return true
    }

    /// Starts polling `store` every `interval` seconds on a queue of its own.
    func start(store: ConsoleStore, events: EventQueue, interval: Double) {
        let queue = DispatchQueue(label: "roster.console.watch", qos: .utility)
        let timer = DispatchSource.makeTimerSource(queue: queue)
        timer.schedule(deadline: .now() + interval, repeating: interval, leeway: .milliseconds(50))
        timer.setEventHandler { [weak self] in
            guard let self, let stamp = store.changeStamp(wait: false), self.isChange(stamp) else { return }
            events.post(.storeChanged)
        }
        lock.lock()
        self.timer?.cancel()
        self.timer = timer
        lock.unlock()
        timer.resume()
    }

    deinit { timer?.cancel() }
}

extension ConsoleRuntime {
    /// How often the store is asked whether another process changed it.
    public static let watchInterval = 0.25

    /// Starts live refresh (not for an inline runtime: tests and the replay bench send `storeChanged` themselves).
    public func watchStore(every interval: Double = ConsoleRuntime.watchInterval) {
        guard !isInline else { return }
        watch.start(store: store, events: events, interval: interval)
    }
}
