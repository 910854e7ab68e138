import Foundation

/// A pipeline stage on a thread of its own, joined with `wait()`.
///
/// A thread, not the Dispatch pool: a stage blocks on a `BlockingChannel` for as long as the other stages run, and
/// a blocked pool thread is one core fewer for the `Parallel` work of the others. Invariant behind
/// `@unchecked Sendable`: the only state is the semaphore, signalled once by the thread when `body` returns.
package final class WorkerThread: @unchecked Sendable {
    private let finished = DispatchSemaphore(value: 0)

    /// Starts `body` now on a new thread.
    package init(_ body: @escaping @Sendable () -> Void) {
        let finished = finished
        let thread = Thread {
            body()
            finished.signal()
        }
        thread.start()
    }

    /// Waits until `body` has returned.
    package func wait() {
        finished.wait()
    }
}
