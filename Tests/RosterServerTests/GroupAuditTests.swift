import Foundation
import RosterModel
import Testing

@testable import RosterCore

/// A group commit writes the audit log's head once, at the end, for the last entry that survived its savepoint.
@Suite("A group of changes ends with one audit head, for its last surviving entry")
struct GroupAuditTests {
    private static func set(_ id: String, _ name: String, _ value: String) -> AttributedChange {
        AttributedChange(.setFields(id: id, fields: [FieldChange(name: name, value: value)]), actor: "crm-sync")
    }

    @Test("refused changes first, in the middle and last: the chain and its head still verify")
    func headAfterRefusals() throws {
        let server = try TestServer()
        let store = try server.openStore()
        _ = try store.apply([Self.set("g0", "score", "1")])
        let before = try store.auditEntries().count
        let groups: [[AttributedChange]] = [
            [Self.set("g1", "score", "2"), Self.set("g2", "score", "not a number"), Self.set("g3", "score", "3")],
            [Self.set("g4", "score", "4"), Self.set("g5", "score", "nope")],
            [Self.set("g6", "score", "nope"), Self.set("g7", "score", "7")],
            [Self.set("g8", "score", "nope")],
        ]
        var written = 0
        for group in groups {
            let results = try store.apply(group)
            written += results.filter { if case .success = $0 { true } else { false } }.count
            #expect(try store.verifyAudit().isEmpty)
            // Another connection, opened afresh, checks the same chain and head.
            #expect(try server.openStore().verifyAudit().isEmpty)
        }
        #expect(written == 4)
        #expect(try store.auditEntries().count == before + 4)
        // Entries written one by one after a group still chain onto its head.
        _ = try store.apply([Self.set("g9", "score", "9")])
        #expect(try server.openStore().verifyAudit().isEmpty)
    }

    @Test("an entry rolled back with its savepoint is not chained onto: the group reads the last entry again")
    func tailAfterRollback() throws {
        let server = try TestServer()
        let store = try server.openStore()
        _ = try store.apply([Self.set("t0", "score", "1")])
        try store.db.write { db in
            try store.withAuditHeadAtEnd(db) {
                try store.audit(db, .field, subject: "*", detail: "kept before")
                try db.execute(sql: "SAVEPOINT change")
                try store.audit(db, .field, subject: "*", detail: "rolled back")
                try db.execute(sql: "ROLLBACK TO SAVEPOINT change")
                try db.execute(sql: "RELEASE SAVEPOINT change")
                store.forgetAuditTail()
                try store.audit(db, .field, subject: "*", detail: "kept after")
            }
        }
        #expect(try store.auditEntries().suffix(2).map(\.detail) == ["kept before", "kept after"])
        #expect(try store.verifyAudit().isEmpty)
        #expect(try server.openStore().verifyAudit().isEmpty)
    }

    @Test("a group whose changes were all refused leaves the head as it was, so a cut log stays visible")
    func refusedGroupKeepsHead() throws {
        let server = try TestServer()
        let store = try server.openStore()
        _ = try store.apply([Self.set("h1", "score", "1")])
        _ = try store.apply([Self.set("h2", "score", "2")])
        #expect(try store.verifyAudit().isEmpty)
        // The log's last entry removed by hand: the head still names it.
        try store.db.write { try $0.execute(sql: "DELETE FROM audit WHERE id = (SELECT MAX(id) FROM audit)") }
        #expect(try !store.verifyAudit().isEmpty)
        let results = try store.apply([Self.set("h3", "score", "not a number")])
        #expect(results.allSatisfy { if case .failure = $0 { true } else { false } })
        #expect(try !store.verifyAudit().isEmpty)
    }
}
