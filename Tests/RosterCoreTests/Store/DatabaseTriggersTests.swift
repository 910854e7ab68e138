import GRDB
import Testing

@testable import RosterCore
@testable import RosterModel

@Suite("Triggers turned off for one connection")
struct DatabaseTriggersTests {
    /// A table whose inserts a trigger logs, in `path` (in memory without one).
    private func makeQueue(path: String? = nil) throws -> DatabaseQueue {
        let queue = try path.map { try DatabaseQueue(path: $0) } ?? DatabaseQueue()
        try queue.write { db in
            try db.execute(
                sql: """
                    CREATE TABLE item(id INTEGER PRIMARY KEY);
                    CREATE TABLE log(id INTEGER);
                    CREATE TRIGGER logged AFTER INSERT ON item BEGIN INSERT INTO log(id) VALUES (NEW.id); END;
                    """)
        }
        return queue
    }

    private func logged(_ db: Database) throws -> [Int] { try Int.fetchAll(db, sql: "SELECT id FROM log ORDER BY id") }

    @Test("inside the body nothing fires; after it, statements prepared inside fire again")
    func offThenOn() throws {
        let queue = try makeQueue()
        try queue.write { db in
            let insert = "INSERT INTO item(id) VALUES (?)"
            try db.withoutTriggers { try db.cachedStatement(sql: insert).execute(arguments: [1]) }
            #expect(try logged(db) == [])
            // The same cached statement, prepared while triggers were off, is prepared again with them.
            try db.cachedStatement(sql: insert).execute(arguments: [2])
            #expect(try logged(db) == [2])
        }
    }

    @Test("triggers are on again when the body throws, and the body's error comes out")
    func onAfterError() throws {
        struct Refused: Error {}
        let queue = try makeQueue()
        try queue.write { db in
            #expect(throws: Refused.self) {
                try db.withoutTriggers {
                    try db.execute(sql: "INSERT INTO item(id) VALUES (1)")
                    throw Refused()
                }
            }
            try db.execute(sql: "INSERT INTO item(id) VALUES (2)")
            #expect(try logged(db) == [2])
        }
    }

    @Test("another connection to the same file keeps its triggers")
    func otherConnectionUnaffected() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("t.sqlite")
        let first = try makeQueue(path: path)
        let second = try DatabaseQueue(path: path)
        try first.writeWithoutTransaction { try $0.setTriggers(enabled: false) }
        try second.write { try $0.execute(sql: "INSERT INTO item(id) VALUES (7)") }
        try first.write { try $0.execute(sql: "INSERT INTO item(id) VALUES (8)") }
        #expect(try second.read { try logged($0) } == [7])
    }
}
