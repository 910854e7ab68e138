/// Results written by several threads at once, each into its own slot: a fixed buffer written through its
/// pointer (an `Array` property of a class would be one variable modified from several threads).
///
/// Invariant behind `@unchecked Sendable`: while threads share it, each reads and writes only its own index, and
/// `values` is read after they are all done (after `concurrentPerform` or a `WorkerThread.wait()` returns).
package final class Slots<Value>: @unchecked Sendable {
    private let buffer: UnsafeMutableBufferPointer<Value>

    package init(_ values: [Value]) {
        buffer = .allocate(capacity: values.count)
        _ = buffer.initialize(from: values)
    }

    deinit {
        buffer.deinitialize()
        buffer.deallocate()
    }

    package subscript(index: Int) -> Value {
        get { buffer[index] }
        set { buffer[index] = newValue }
    }

    /// Changes one slot in place (through the subscript, a mutation would copy the value first).
    package func modify(_ index: Int, _ body: (inout Value) -> Void) {
        body(&buffer[index])
    }

    package var values: [Value] { Array(buffer) }
}
