import DequeModule
import Foundation

/// A bounded hand-over between threads that block: `put` waits while the channel is full, `take` while it is
/// empty; `nil` ends the stream.
///
/// For the import pipelines, whose stages are threads doing long synchronous work (SQLite, sealing) rather than
/// tasks. Invariant behind `@unchecked Sendable`: `items` is read and written only with `condition` locked.
package final class BlockingChannel<Item>: @unchecked Sendable {
    private var items: Deque<Item?> = []
    private let condition = NSCondition()
    private let capacity: Int

    package init(capacity: Int) { self.capacity = capacity }

    /// Adds `item` (nil: the end), waiting while `capacity` items are waiting to be taken.
    package func put(_ item: Item?) {
        condition.lock()
        while items.count >= capacity { condition.wait() }
        items.append(item)
        condition.broadcast()
        condition.unlock()
    }

    /// The next item, waiting for one; nil at the end of the stream.
    package func take() -> Item? {
        condition.lock()
        while items.isEmpty { condition.wait() }
        let item = items.removeFirst()
        condition.broadcast()
        condition.unlock()
        return item
    }
}
