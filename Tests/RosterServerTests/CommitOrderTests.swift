import Foundation
import Testing

@testable import RosterCore
@testable import RosterServer

/// The bookkeeping of overlapping flushes (`CommitSyncer.State`), step by step, without a disk: which groups a
/// finished flush answers, in which order, and which flush a freed flusher begins next.
@Suite("Overlapping flushes answer groups in commit order, each after a flush that began after its commit")
struct CommitOrderTests {
    private struct Failure: Error {}

    /// Two WAL files of a real store (one per `openWAL`), so that groups can be told apart by file.
    private static func wals() throws -> (WALFile, WALFile) {
        let server = try TestServer()
        let store = try server.openStore()
        return (try store.openWAL(), try store.openWAL())
    }

    private static func sequences(_ answers: [(CommitSyncer.Group, Result<Void, any Error>)]) -> [Int] {
        answers.map(\.0.sequence)
    }

    private static func succeeded(_ answers: [(CommitSyncer.Group, Result<Void, any Error>)]) -> Bool {
        answers.allSatisfy { if case .success = $0.1 { true } else { false } }
    }

    @Test("a later flush that returns first answers the earlier groups its fsync reached, in commit order")
    func laterFlushFirst() throws {
        let (wal, _) = try Self.wals()
        var state = CommitSyncer.State()
        let first = try #require(state.committed(wal) { _ in })
        let second = try #require(state.committed(wal) { _ in })
        #expect(first.through == 0 && second.through == 1)
        let late = state.finished(second, .success(()))
        #expect(Self.sequences(late.answers) == [0, 1])
        #expect(Self.succeeded(late.answers))
        #expect(late.next == nil)
        let early = state.finished(first, .success(()))
        #expect(early.answers.isEmpty)
        #expect(state.groups.isEmpty)
        #expect(state.idleFlushers == CommitSyncer.flushers)
    }

    @Test("when every flusher is busy, the next one freed begins one flush for all the groups committed meanwhile")
    func busyFlushers() throws {
        let (wal, _) = try Self.wals()
        var state = CommitSyncer.State()
        var flushes: [CommitSyncer.Flush] = []
        for _ in 0..<CommitSyncer.flushers { flushes.append(try #require(state.committed(wal) { _ in })) }
        #expect(state.committed(wal) { _ in } == nil)
        #expect(state.committed(wal) { _ in } == nil)
        let freed = state.finished(flushes[0], .success(()))
        #expect(Self.sequences(freed.answers) == [0])
        let next = try #require(freed.next)
        #expect(next.through == CommitSyncer.flushers + 1)
        #expect(next.wals.count == 1)
        // The groups the new flush covers are not answered by an older flush that returns before it.
        let older = state.finished(flushes[1], .success(()))
        #expect(Self.sequences(older.answers) == [1])
        #expect(older.next == nil)
        let last = state.finished(next, .success(()))
        #expect(Self.sequences(last.answers) == Array(2...CommitSyncer.flushers + 1))
    }

    @Test("a group in another WAL file waits for its own flush, and the groups after it wait with it")
    func anotherFile() throws {
        let (old, reopened) = try Self.wals()
        var state = CommitSyncer.State()
        let first = try #require(state.committed(old) { _ in })
        let second = try #require(state.committed(reopened) { _ in })
        #expect(second.wals.count == 1 && second.wals[0] === reopened)
        let other = state.finished(second, .success(()))
        #expect(other.answers.isEmpty)
        let own = state.finished(first, .success(()))
        #expect(Self.sequences(own.answers) == [0, 1])
    }

    @Test("a failed flush answers every group up to it with its error; a later group waits for a flush of its own")
    func failedFlush() throws {
        let (wal, _) = try Self.wals()
        var state = CommitSyncer.State()
        let first = try #require(state.committed(wal) { _ in })
        let second = try #require(state.committed(wal) { _ in })
        let failed = state.finished(first, .failure(Failure()))
        #expect(Self.sequences(failed.answers) == [0])
        #expect(!Self.succeeded(failed.answers))
        let later = state.finished(second, .success(()))
        #expect(Self.sequences(later.answers) == [1])
        #expect(Self.succeeded(later.answers))
    }

    @Test("each flushing thread has its own descriptor, and one lane's failure fails every later flush of the file")
    func stickyFailure() throws {
        let server = try TestServer()
        let store = try server.openStore()
        _ = try store.apply([
            AttributedChange(.setFields(id: "w1", fields: [FieldChange(name: "city", value: "Vigo")]), actor: "t")
        ])
        let good = try store.openWAL(lanes: CommitSyncer.lanes)
        #expect(good.lanes == CommitSyncer.lanes)
        for lane in 0..<good.lanes { try good.sync(lane: lane) }
        // A lane whose descriptor cannot be flushed (not open: EBADF) stands for a failed write-back.
        let spare = open(server.storePath + "-wal", O_RDONLY)
        let wal = WALFile(descriptors: [-1, spare], path: server.storePath + "-wal")
        #expect(throws: RosterError.self) { try wal.sync(lane: 0) }
        #expect(throws: RosterError.self) { try wal.sync(lane: 1) }
        #expect(throws: RosterError.self) { try wal.sync(lane: 1) }
    }
}
