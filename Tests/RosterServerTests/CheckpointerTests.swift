import Foundation
import RosterModel
import Testing

@testable import RosterCore
@testable import RosterServer

/// The WAL is copied back into the store file beside the store thread, not by it.
@Suite("Checkpoints on a thread and a connection of their own")
struct CheckpointerTests {
    private static func write(_ store: Store, _ count: Int, from first: Int = 0) throws {
        let changes = (first..<first + count).map {
            AttributedChange(
                .setFields(id: "k\($0)", fields: [FieldChange(name: "city", value: "Vigo \($0)")]), actor: "test")
        }
        for result in try store.apply(changes) { _ = try result.get() }
    }

    private static func modified(_ path: String) throws -> Date {
        try FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date ?? .distantPast
    }

    @Test("a passive checkpoint on another connection copies every committed page back")
    func passiveCopiesAll() throws {
        let server = try TestServer()
        let writer = try server.openStore()
        try Self.write(writer, 50)
        let connection = try writer.openCheckpointConnection()
        let (frames, copied) = try connection.use { try connection.checkpointWAL() }
        #expect(frames > 0)
        #expect(copied == frames)
        // What it copied is what the writer committed: a fresh connection reads it from the store file.
        #expect(try server.openStore().customer("k49").fields["city"]?.value == "Vigo 49")
    }

    @Test("the server's writer checkpoints itself only past the bound; the checkpoint thread does it after commits")
    func backgroundThread() async throws {
        let server = try TestServer()
        let executor = server.server.executor
        #expect(executor.checkpointer != nil)
        let pages = try await executor.run { store in
            try store.db.read { try Int.fetchOne($0, sql: "PRAGMA wal_autocheckpoint") }
        }
        #expect(pages == Checkpointer.writerPages)
        // A checkpoint writes the store file, which commits alone (in the WAL) do not touch.
        let before = try Self.modified(server.storePath)
        _ = await executor.writeAll(
            (0..<20).map { .setFields(id: "b\($0)", fields: [FieldChange(name: "city", value: "Lugo")]) },
            actor: "test")
        let deadline = Date().addingTimeInterval(10)
        while try Self.modified(server.storePath) == before, Date() < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(try Self.modified(server.storePath) > before)
    }

    @Test("after another process's first import swapped the store file, the reopened writer gets the bound again")
    func boundAfterSwap() async throws {
        let server = try TestServer()
        let other = try server.openStore()
        let csv = server.directory + "/contacts.csv"
        try Data("customerId,email,city\nS1,s1@example.com,Vigo\n".utf8).write(to: URL(fileURLWithPath: csv))
        let summary = try Importer(store: other, options: ImportOptions(kind: .contacts, path: csv)).run()
        #expect(summary.bulk)
        let executor = server.server.executor
        let outcomes = await executor.writeAll(
            [.setFields(id: "S1", fields: [FieldChange(name: "city", value: "Lugo")])], actor: "test")
        _ = try outcomes[0].get()
        let (generation, pages) = try await executor.run { store in
            (store.connectionGeneration, try store.db.read { try Int.fetchOne($0, sql: "PRAGMA wal_autocheckpoint") })
        }
        #expect(generation > 0)
        #expect(pages == Checkpointer.writerPages)
    }

    @Test("shutting down after another process's swap leaves the new file's WAL alone, with its writes")
    func shutdownAfterSwap() async throws {
        let server = try TestServer()
        // The checkpoint thread has the WAL open once it has checkpointed (the keys the test server made).
        let before = try Self.modified(server.storePath)
        server.server.executor.checkpointer?.committed()
        let deadline = Date().addingTimeInterval(10)
        while try Self.modified(server.storePath) == before, Date() < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        let other = try server.openStore()
        let csv = server.directory + "/contacts.csv"
        try Data("customerId,email,city\nS1,s1@example.com,Vigo\n".utf8).write(to: URL(fileURLWithPath: csv))
        let summary = try Importer(store: other, options: ImportOptions(kind: .contacts, path: csv)).run()
        #expect(summary.bulk)
        // The other process goes on writing into the new file's WAL and keeps it open.
        _ = try other.apply([
            AttributedChange(.setFields(id: "S2", fields: [FieldChange(name: "city", value: "Tui")]), actor: "t")
        ])
        #expect(FileManager.default.fileExists(atPath: server.storePath + "-wal"))
        // A job on the store thread reopens the writer on the new file; no commit since the swap, so the checkpoint
        // connection is still on the old one, and closes last there.
        _ = try await server.server.executor.run { _ in 0 }
        server.server.shutdown()
        #expect(FileManager.default.fileExists(atPath: server.storePath + "-wal"))
        #expect(FileManager.default.fileExists(atPath: server.storePath + "-shm"))
        #expect(try other.customer("S2").fields["city"]?.value == "Tui")
        try other.close()
        #expect(try server.openStore().customer("S2").fields["city"]?.value == "Tui")
    }

    @Test("an import the server runs on its writer leaves the checkpoint bound as it found it")
    func boundAfterImport() async throws {
        let server = try TestServer()
        let executor = server.server.executor
        _ = await executor.writeAll(
            [.setFields(id: "first", fields: [FieldChange(name: "city", value: "Lugo")])], actor: "test")
        let csv = server.directory + "/more.csv"
        try Data("customerId,email,city\nI1,i1@example.com,Vigo\nI2,i2@example.com,Tui\n".utf8)
            .write(to: URL(fileURLWithPath: csv))
        let (bulk, pages) = try await executor.run { store in
            let summary = try Importer(store: store, options: ImportOptions(kind: .contacts, path: csv)).run()
            return (summary.bulk, try store.db.read { try Int.fetchOne($0, sql: "PRAGMA wal_autocheckpoint") })
        }
        #expect(!bulk)
        #expect(pages == Checkpointer.writerPages)
    }

    @Test("stopping the thread closes its connection, and the writer still checkpoints and removes the WAL at close")
    func stopThenClose() async throws {
        let server = try TestServer()
        _ = await server.server.executor.writeAll(
            [.setFields(id: "s1", fields: [FieldChange(name: "city", value: "Ourense")])], actor: "test")
        server.server.shutdown()
        #expect(!FileManager.default.fileExists(atPath: server.storePath + "-wal"))
        #expect(try server.openStore().customer("s1").fields["city"]?.value == "Ourense")
    }
}
