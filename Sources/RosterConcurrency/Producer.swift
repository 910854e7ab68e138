/// A pipeline's producing stage: a `WorkerThread` that sends items to the calling thread through a bounded
/// `BlockingChannel`, and that the calling thread can stop.
///
/// The import pipelines (pass 2 reading and planning while batches are written; the bulk path reading while
/// batches are sealed) are each one producer and the calling thread consuming. The body ends by calling
/// `Outlet.finish()`, also when it stops early, so that the consumer's last `next()` returns nil. `Sendable`
/// from its parts: a channel, a locked flag and a worker.
package final class Producer<Item>: Sendable {
    /// What the producing body is given: where to send, and whether the consumer asked it to stop.
    package struct Outlet: Sendable {
        fileprivate let channel: BlockingChannel<Item>
        fileprivate let stopped: Locked<Bool>

        /// Whether the consumer wants no more items: the body stops reading and finishes.
        package var isStopped: Bool { stopped.withLock { $0 } }

        /// Sends one item, waiting while the channel is full.
        package func send(_ item: Item) { channel.put(item) }

        /// Ends the stream.
        package func finish() { channel.put(nil) }
    }

    private let outlet: Outlet
    private let worker: WorkerThread

    /// Starts `body` on its own thread; at most `capacity` items wait between it and the consumer.
    package init(capacity: Int, _ body: @escaping @Sendable (Outlet) -> Void) {
        let outlet = Outlet(channel: BlockingChannel(capacity: capacity), stopped: Locked(false))
        self.outlet = outlet
        worker = WorkerThread { body(outlet) }
    }

    /// The next item, waiting for it; nil once the producer has finished.
    package func next() -> Item? { outlet.channel.take() }

    /// Asks the producer to stop; what it still sends must be taken with `next()` until nil.
    package func stop() { outlet.stopped.withLock { $0 = true } }

    /// Stops the producer, takes what it still sends and waits for its thread: after the consumer failed.
    package func cancel() {
        stop()
        while next() != nil {}
        worker.wait()
    }
}
