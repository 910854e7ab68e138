import Dispatch
import Foundation
import RosterModel
import Synchronization

/// Live refresh: the store's change stamp is polled off the UI loop, and a change made by another process (an
/// import, `roster customer set`, the server) is posted as `storeChanged`, which reloads the working set.
///
/// Polling is one indexed read of the store every `interval`; it never waits for this console's own work.
final class StoreWatch: Sendable {
    private struct Watched {
        /// The stamp of the data loaded or last reported; nil before the first load (nothing to compare with).
        var seen: ChangeStamp?
        /// The stamp a load under way read before it started: the data it brings, so no news for the poll.
        var inLoad: ChangeStamp?
        var throttle = RefreshThrottle(interval: ConsoleRuntime.refreshInterval)
        var loads = 0
        /// Which `start` the running timer belongs to: an older timer cancels itself at its next tick.
        var timerGeneration = 0
        /// The number of the last field rename the console knows of; nil before the first load.
        var renamesSeen: Int?
    }

    /// Of the store's recent field renames, read before a load, those that the console has not followed yet (none at
    /// the first load, whose names are the store's own), and whether older ones it has not followed are no longer
    /// kept (more renames than the store keeps since the last load).
    func newRenames(_ renames: [FieldRename]) -> (renames: [FieldRename], missed: Bool) {
        watched.withLock { watched in
            defer { watched.renamesSeen = max(watched.renamesSeen ?? 0, renames.last?.number ?? 0) }
            guard let seen = watched.renamesSeen else { return ([], false) }
            let new = renames.filter { $0.number > seen }
            return (new, (new.first?.number ?? seen + 1) > seen + 1)
        }
    }

    private let watched = Mutex(Watched())

    /// Whether this is the first load (the remembered columns are read with it).
    func firstLoad() -> Bool {
        watched.withLock { watched in
            watched.loads += 1
            return watched.loads == 1
        }
    }

    /// A load read `stamp` before it started: changes up to it are in the loaded set.
    func loaded(_ stamp: ChangeStamp?) {
        watched.withLock { watched in
            watched.inLoad = nil
            guard let stamp else { return }
            // A change reported while the load ran stays reported (its reload is queued): never back to older data.
            if let seen = watched.seen, seen.reopens == stamp.reopens, seen.dataVersion > stamp.dataVersion { return }
            watched.seen = stamp
        }
    }

    /// A load read `stamp` and is under way: a poll that finds the store at that stamp meanwhile does not ask for
    /// another load (the console's own edit, then its reload, would otherwise load twice).
    func loading(_ stamp: ChangeStamp?) {
        watched.withLock { $0.inLoad = stamp }
    }

    /// This console wrote once, moving the stamp from `before` to `after`: when nothing else was written between
    /// (one version on), that is no change to reload for.
    func advance(from before: ChangeStamp?, to after: ChangeStamp?) {
        guard let before, let after, after.reopens == before.reopens, after.dataVersion == before.dataVersion + 1
        else { return }
        watched.withLock { watched in
            if watched.seen == before { watched.seen = after }
        }
    }

    /// Whether `stamp` is news; it becomes the one seen.
    func isChange(_ stamp: ChangeStamp) -> Bool {
        watched.withLock { watched in
            guard let seen = watched.seen, seen != stamp, stamp != watched.inLoad else { return false }
            watched.seen = stamp
            return true
        }
    }

    /// Whether to post a change now (`RefreshThrottle`), given whether this poll saw one.
    private func shouldReport(changed: Bool) -> Bool {
        let now = Double(DispatchTime.now().uptimeNanoseconds) / 1e9
        return watched.withLock { $0.throttle.report(changed: changed, now: now) }
    }

    /// Starts polling `store` every `interval` seconds on a queue of its own.
    func start(store: ConsoleStore, events: EventQueue, interval: Double) {
        let queue = DispatchQueue(label: "roster.console.watch", qos: .utility)
        let generation = watched.withLock { watched in
            watched.timerGeneration += 1
            return watched.timerGeneration
        }
        // The timer is kept by its own handler, not by this watch: it cancels itself at the first tick after the
        // watch is gone or started again, so no one else ever touches it.
        let timer = DispatchSource.makeTimerSource(queue: queue)
        timer.schedule(deadline: .now() + interval, repeating: interval, leeway: .milliseconds(50))
        timer.setEventHandler { [weak self] in
            guard let self, self.watched.withLock({ $0.timerGeneration == generation }) else {
                timer.cancel()
                return
            }
            let changed = store.changeStamp(wait: false).map { self.isChange($0) } ?? false
            if self.shouldReport(changed: changed) { events.post(.storeChanged) }
        }
        timer.resume()
    }
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
