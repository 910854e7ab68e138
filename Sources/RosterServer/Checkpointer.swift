import Foundation
import RosterConcurrency
import RosterCore

/// Copies the WAL back into the store file on a thread and a connection of its own, so that the store thread does
/// not.
///
/// SQLite checkpoints after the commit that takes the WAL past `wal_autocheckpoint` pages (1,000 by default), on
/// the committing connection: the sync server's store thread then copied up to 16 MB of pages and waited for two
/// fsyncs (the WAL's, the store file's) between two groups. That was a tenth to a fifth of its time per write, and
/// the stalls were most of the writes' 99th percentile (docs/server.md, "Checkpoints"). Here the store thread tells
/// this thread after each commit; it runs a passive checkpoint (the writer goes on committing meanwhile), at most
/// one per `interval`. The writer keeps a checkpoint of its own at `writerPages` (64 MB of 16 KiB pages) as the
/// bound of the WAL: a passive checkpoint under a steady load never catches up with the last commit, and only a
/// checkpoint that does lets the next transaction start the WAL again from its beginning. Most of its pages are in
/// the store file already by then, so it costs the store thread little.
final class Checkpointer: Sendable {
    /// The WAL pages after which the writer checkpoints itself.
    static let writerPages = 4096
    /// The shortest time between two checkpoints of this thread, in seconds.
    static let interval = 0.1

    private struct State {
        /// A commit since the thread last looked.
        var committed = false
        var stopped = false
    }

    private let connection: Store
    private let wakeUp = DispatchSemaphore(value: 0)
    private let state = Locked(State())
    private let worker: WorkerThread

    /// Starts the thread on `connection` (from `Store.openCheckpointConnection`) and lets `writer` checkpoint
    /// itself only past `writerPages`; nil, leaving the writer as it was, when either cannot be done.
    static func start(for writer: Store) -> Checkpointer? {
        guard let connection = try? writer.openCheckpointConnection() else { return nil }
        guard (try? writer.setAutomaticCheckpoint(pages: writerPages)) != nil else {
            try? connection.closeKeepingWAL()
            return nil
        }
        return Checkpointer(connection: connection)
    }

    private init(connection: Store) {
        self.connection = connection
        let wakeUp = wakeUp
        let state = state
        worker = WorkerThread {
            while true {
                wakeUp.wait()
                let stopped = state.withLock { state in
                    state.committed = false
                    return state.stopped
                }
                if stopped { return }
                // A failure (the disk, a swap by another process being reopened) leaves the WAL to the writer's
                // own checkpoint; the next commit tries again.
                _ = try? connection.use { try connection.checkpointWAL() }
                // Commits meanwhile have woken it once more: the next checkpoint waits the interval.
                Thread.sleep(forTimeInterval: Checkpointer.interval)
            }
        }
    }

    /// A group committed: the WAL grew.
    func committed() {
        // One wake-up for all the commits until the thread looks: not one checkpoint per commit.
        let wake = state.withLock { state in
            defer { state.committed = true }
            return !state.committed && !state.stopped
        }
        if wake { wakeUp.signal() }
    }

    /// Stops the thread and closes its connection (before the writer closes, so that the writer, last, checkpoints
    /// and removes the WAL).
    func stop() {
        let wasRunning = state.withLock { state in
            defer { state.stopped = true }
            return !state.stopped
        }
        guard wasRunning else { return }
        wakeUp.signal()
        worker.wait()
        // Never the one to remove the WAL: after another process's swap, its names are the new file's.
        try? connection.closeKeepingWAL()
    }
}
