import Foundation
import Testing

@testable import RosterConcurrency
@testable import RosterCore
@testable import RosterModel

@Suite("Parallel: work spread over the cores")
struct ParallelTests {
    struct Failure: Error, Equatable {
        let index: Int
    }

    /// The most iterations seen running at once.
    final class Concurrency: @unchecked Sendable {
        private let lock = NSLock()
        private var running = 0
        private(set) var peak = 0

        func enter() {
            lock.lock()
            running += 1
            peak = max(peak, running)
            lock.unlock()
        }

        func leave() {
            lock.lock()
            running -= 1
            lock.unlock()
        }
    }

    @Test("tryMap on a number of lanes gives the results in order and runs no more than that many at once")
    func lanesKeepOrder() throws {
        for lanes in [0, 1, 2, 3, 5] {
            for count in [0, 1, 2, 7, 40] {
                let seen = Concurrency()
                let results = try Parallel.tryMap(count, lanes: lanes) { index -> Int in
                    seen.enter()
                    defer { seen.leave() }
                    usleep(200)
                    return index * index
                }
                #expect(results == (0..<count).map { $0 * $0 }, "lanes \(lanes), count \(count)")
                #expect(seen.peak <= max(1, lanes))
            }
        }
    }

    @Test("tryRanges on a number of lanes covers every index once, in order")
    func rangesOnLanes() throws {
        for lanes in [1, 2, 3] {
            for count in [0, 1, 5, 100] {
                let ranges = try Parallel.tryRanges(count, minimum: 4, lanes: lanes) { $0 }
                #expect(ranges.flatMap { Array($0) } == Array(0..<count), "lanes \(lanes), count \(count)")
                #expect(ranges.count == (count < 4 ? 1 : 4 * lanes))
            }
        }
    }

    @Test("tryMap on lanes throws the first error in order")
    func lanesThrowFirstError() {
        for lanes in [1, 2, 3] {
            #expect(throws: Failure(index: 3)) {
                _ = try Parallel.tryMap(10, lanes: lanes) { index -> Int in
                    if index == 3 || index == 8 { throw Failure(index: index) }
                    return index
                }
            }
        }
    }
}
