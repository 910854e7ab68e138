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
    /// The stamp a load under way read before it started: the data it brings, so no news for the poll.
    private var inLoad: ChangeStamp?
    private var timer: DispatchSourceTimer?
    private var throttle = RefreshThrottle(interval: ConsoleRuntime.refreshInterval)

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
        lock.lock()
        defer { lock.unlock() }
        inLoad = nil
        guard let stamp else { return }
        // A change reported while the load ran stays reported (its reload is queued): never back to older data.
        if let seen, seen.reopens == stamp.reopens, seen.dataVersion > stamp.dataVersion { return }
        seen = stamp
    }

    /// A load read `stamp` and is under way: a poll that finds the store at that stamp meanwhile does not ask for
    /// another load (the console's own edit, then its reload, would otherwise load twice).
    func loading(_ stamp: ChangeStamp?) {
        lock.lock()
        inLoad = stamp
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
        guard let seen, seen != stamp, stamp != inLoad else { return false }
        self.seen = stamp
        return true
    }

    /// Whether to post a change now (`RefreshThrottle`), given whether this poll saw one.
    private func shouldReport(changed: Bool) -> Bool {
        let now = Double(DispatchTime.now().uptimeNanoseconds) / 1e9
        lock.lock()
        defer { lock.unlock() }
        return throttle.report(changed: changed, now: now)
    }

    /// Starts polling `store` every `interval` seconds on a queue of its own.
    func start(store: ConsoleStore, events: EventQueue, interval: Double) {
        let queue = DispatchQueue(label: "roster.console.watch", qos: .utility)
        let timer = DispatchSource.makeTimerSource(queue: queue)
        timer.schedule(deadline: .now() + interval, repeating: interval, leeway: .milliseconds(50))
        timer.setEventHandler { [weak self] in
            guard let self else { return }
            let changed = store.changeStamp(wait: false).map { self.isChange($0) } ?? false
            if self.shouldReport(changed: changed) { events.post(.storeChanged) }
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
    /// The least time between two reloads for other processes' changes.
    public static let refreshInterval = 1.0

    /// Starts live refresh (not for an inline runtime: tests and the replay bench send `storeChanged` themselves).
    public func watchStore(every interval: Double = ConsoleRuntime.watchInterval) {
        guard !isInline else { return }
        watch.start(store: store, events: events, interval: interval)
    }
}
