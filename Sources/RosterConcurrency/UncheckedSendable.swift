/// A value handed to other threads although its type is not `Sendable`: the one way RosterCore opts out of the
/// compiler's check.
///
/// Invariant (the caller's to keep, and to state where it wraps): while the wrapper is shared, no two threads
/// access the same memory through it unless every access reads — typically a base pointer or a closure whose
/// iterations each write only their own slot, used inside a call that returns after every thread is done.
package struct UncheckedSendable<Value>: @unchecked Sendable {
    package let value: Value

    package init(_ value: Value) { self.value = value }
}
