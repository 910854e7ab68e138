import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// The threads of this process inside `Store.use`, so that a swap (a bulk import renaming its copy over the store)
/// waits until every other thread has left and keeps new ones out until it is done.
///
/// Several threads may use one `Store` at once (the console's queues, a watch poll): each call is safe, but a
/// thread inside `use` may have taken the connection the swap is about to close, or be about to commit into the
/// file the swap replaces (a write that the copy does not hold, so lost). The swapping thread itself is usually
/// inside `use` (the console imports in a call), so the gate counts holds per thread.
final class UseGate: Sendable {
    private struct Users {
        /// Nested `use` calls per thread.
        var byThread: [UInt: Int] = [:]
        /// The thread swapping, if one is.
        var swapper: UInt?
    }

    private let users = Mutex(Users())

    private static var currentThread: UInt {
        #if canImport(Darwin)
            UInt(bitPattern: pthread_self())
        #else
            UInt(pthread_self())
        #endif
    }

    /// Counts the calling thread in, first waiting while another thread swaps (a swap takes seconds).
    func enter() {
        _ = enter(before: .distantFuture)
    }

    /// Counts the calling thread in unless another thread still swaps at `deadline`; whether it did.
    func enter(before deadline: Date) -> Bool {
        let me = Self.currentThread
        var pause: useconds_t = 100
        while true {
            let entered = users.withLock { users in
                guard users.swapper == nil || users.swapper == me else { return false }
                users.byThread[me, default: 0] += 1
                return true
            }
            if entered { return true }
            guard Date() < deadline else { return false }
            // Polled: a `Mutex` has no condition to wait on, and a swap is rare and short.
            usleep(pause)
            pause = min(pause * 2, 20_000)
        }
    }

    /// Counts the calling thread out once.
    func leave() {
        let me = Self.currentThread
        users.withLock { users in
            guard let count = users.byThread[me] else { return }
            users.byThread[me] = count > 1 ? count - 1 : nil
        }
    }

    /// Waits until no other thread is inside `use` and marks the calling thread as swapping; false when another
    /// thread still uses the store (or swaps) after `seconds`.
    func beginSwap(waiting seconds: Double) -> Bool {
        let me = Self.currentThread
        let deadline = Date().addingTimeInterval(seconds)
        var pause: useconds_t = 100
        while true {
            let begun = users.withLock { users in
                guard users.swapper == nil, users.byThread.keys.allSatisfy({ $0 == me }) else { return false }
                users.swapper = me
                return true
            }
            if begun { return true }
            guard Date() < deadline else { return false }
            usleep(pause)
            pause = min(pause * 2, 20_000)
        }
    }

    /// Lets other threads in again.
    func endSwap() {
        users.withLock { $0.swapper = nil }
    }
}
