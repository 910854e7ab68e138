import Foundation
import Testing

@testable import RosterConcurrency
@testable import RosterCore
@testable import RosterModel

@Suite("Concurrency layer: channel, worker thread, locked value")
struct ConcurrencyLayerTests {
    @Test("a blocking channel of capacity 2 hands a thousand items from a worker thread over in order, then ends")
    func channelKeepsOrder() {
        let channel = BlockingChannel<Int>(capacity: 2)
        let producer = WorkerThread {
            for item in 0..<1000 { channel.put(item) }
            channel.put(nil)
        }
        var received: [Int] = []
        while let item = channel.take() { received.append(item) }
        producer.wait()
        #expect(received == Array(0..<1000))
    }

    @Test("a worker thread's wait returns only after its body has run to the end")
    func workerWaitJoins() {
        let done = Locked(0)
        let worker = WorkerThread {
            for _ in 0..<100 { done.withLock { $0 += 1 } }
        }
        worker.wait()
        #expect(done.withLock { $0 } == 100)
    }

    @Test("a locked value loses no increment made from every core at once")
    func lockedSerializes() {
        let counter = Locked(0)
        _ = Parallel.map(8) { _ in
            for _ in 0..<1000 { counter.withLock { $0 += 1 } }
        }
        #expect(counter.withLock { $0 } == 8000)
    }

    @Test("a locked value passes its body's error on and keeps the change made before it")
    func lockedRethrows() {
        struct Refused: Error {}
        let value = Locked([1])
        #expect(throws: Refused.self) {
            try value.withLock { (list: inout [Int]) throws(Refused) in
                list.append(2)
                throw Refused()
            }
        }
        #expect(value.withLock { $0 } == [1, 2])
    }
}

@Suite("Staging files beside a store")
struct StagingFileTests {
    @Test("opening removes a dead process's staging files and keeps a running one's")
    func leftoversOfDeadProcessesOnly() throws {
        let dir = try TemporaryDirectory()
        let store = dir.path + "/store.roster"
        let dead = store + ".import-2147483647"  // no such pid: kill(pid, 0) fails with ESRCH
        let deadSpill = dead + ".spill"
        let running = store + ".import-\(getppid())"  // the test runner's parent is alive
        let unrelated = store + ".lock"
        for path in [dead, deadSpill, running, unrelated] {
            #expect(FileManager.default.createFile(atPath: path, contents: Data()))
        }
        StagingFile.removeLeftovers(of: store)
        #expect(!FileManager.default.fileExists(atPath: dead))
        #expect(!FileManager.default.fileExists(atPath: deadSpill))
        #expect(FileManager.default.fileExists(atPath: running))
        #expect(FileManager.default.fileExists(atPath: unrelated))
        #expect(StagingFile.path(of: store) == store + ".import-\(getpid())")
    }
}
