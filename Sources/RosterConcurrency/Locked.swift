import Synchronization

/// A value shared between threads, read and written only under its mutex.
///
/// A class around `Mutex` (which cannot be copied) so that threads can share it by reference. Invariant: every
/// access goes through `withLock`, so the type is `Sendable` without `@unchecked`.
package final class Locked<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>

    package init(_ value: Value) { mutex = Mutex(value) }

    /// Runs `body` with the value while holding the mutex; keep it short and never block in it.
    package func withLock<Result: Sendable, Failure: Error>(_ body: (inout Value) throws(Failure) -> Result)
        throws(Failure)
        -> Result
    {
        try mutex.withLock { (value: inout sending Value) throws(Failure) -> Result in try body(&value) }
    }
}
