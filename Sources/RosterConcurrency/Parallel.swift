import Dispatch
import Foundation

/// Work spread over the cores, each iteration writing only its own result slot.
package enum Parallel {
    /// `body(0..<count)` run concurrently, the results in order. Each iteration initializes its own slot through a
    /// pointer taken once: no thread reads or copies the array while another writes it.
    package static func map<Value>(_ count: Int, _ body: (Int) -> Value) -> [Value] {
        guard count > 0 else { return [] }
        guard count > 1 else { return [body(0)] }
        return [Value](unsafeUninitializedCapacity: count) { buffer, initialized in
            let base = UncheckedSendable(buffer.baseAddress!)
            withoutActuallyEscaping(body) { body in
                let shared = UncheckedSendable(body)
                DispatchQueue.concurrentPerform(iterations: count) {
                    (base.value + $0).initialize(to: shared.value($0))
                }
            }
            initialized = count
        }
    }

    /// `map` for work that throws: every iteration runs, then the first error (in order) is thrown.
    package static func tryMap<Value>(_ count: Int, _ body: (Int) throws -> Value) throws -> [Value] {
        try map(count) { index in Result { try body(index) } }.map { try $0.get() }
    }

    /// `tryMap` on at most `lanes` threads at once (lane `l` takes iterations `l`, `l + lanes`, ...: fixed shares,
    /// no stealing): for work that must leave a core to another thread. One lane runs on the calling thread and
    /// stops at the first error; the first error in order is thrown either way.
    package static func tryMap<Value>(_ count: Int, lanes: Int, _ body: (Int) throws -> Value) throws -> [Value] {
        let lanes = max(1, min(lanes, count))
        guard lanes > 1 else { return try (0..<count).map(body) }
        let perLane = map(lanes) { lane in
            stride(from: lane, to: count, by: lanes).map { index in Result { try body(index) } }
        }
        return try (0..<count).map { index in try perLane[index % lanes][index / lanes].get() }
    }

    /// `body` over `0..<count` cut into ranges, four per core so that a core finishing early takes another;
    /// the results per range, in order. Below `minimum` items, one range on the calling thread.
    package static func ranges<Value>(_ count: Int, minimum: Int = 0, _ body: (Range<Int>) -> Value) -> [Value] {
        let cut = Cut(count, minimum: minimum, lanes: ProcessInfo.processInfo.activeProcessorCount)
        return map(cut.parts) { body(cut.range($0)) }
    }

    /// `ranges` for work that throws: every range runs, then the first error (in order) is thrown.
    package static func tryRanges<Value>(_ count: Int, minimum: Int = 0, _ body: (Range<Int>) throws -> Value) throws
        -> [Value]
    {
        try ranges(count, minimum: minimum) { range in Result { try body(range) } }.map { try $0.get() }
    }

    /// `tryRanges` on at most `lanes` threads at once (see `tryMap(_:lanes:_:)`), four ranges per lane.
    package static func tryRanges<Value>(
        _ count: Int, minimum: Int = 0, lanes: Int, _ body: (Range<Int>) throws -> Value
    ) throws -> [Value] {
        let cut = Cut(count, minimum: minimum, lanes: lanes)
        return try tryMap(cut.parts, lanes: lanes) { try body(cut.range($0)) }
    }

    /// `0..<count` cut into four ranges per lane (one below `minimum` items), as `ranges` and `tryRanges` use it.
    private struct Cut {
        let count: Int
        let parts: Int
        let chunk: Int

        init(_ count: Int, minimum: Int, lanes: Int) {
            self.count = count
            parts = count < minimum ? 1 : 4 * max(1, lanes)
            chunk = max(1, (count + parts - 1) / parts)
        }

        func range(_ part: Int) -> Range<Int> { min(count, part * chunk)..<min(count, (part + 1) * chunk) }
    }

    /// All cores but one: for work done while another thread (SQLite's writer) needs a core of its own.
    package static var lanesBesideWriter: Int { max(1, ProcessInfo.processInfo.activeProcessorCount - 1) }

    /// Work started on another thread now, its result (or error) collected by `wait()`.
    ///
    /// Unchecked: `result` is written once by the worker before it leaves the group, and read only after
    /// `group.wait()` returns, which orders the write before the read.
    package final class Background<Value>: @unchecked Sendable {
        private let group = DispatchGroup()
        private var result: Result<Value, any Error>?

        package init(_ body: @escaping () throws -> Value) {
            let work = UncheckedSendable(body)
            DispatchQueue.global().async(group: group) { self.result = Result { try work.value() } }
        }

        package func wait() throws -> Value {
            group.wait()
            return try result!.get()
        }
    }
}
