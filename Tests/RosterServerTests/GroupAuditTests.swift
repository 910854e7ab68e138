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
                store.forgetGroupState()
                try store.audit(db, .field, subject: "*", detail: "kept after")
            }
        }
        #expect(try store.auditEntries().suffix(2).map(\.detail) == ["kept before", "kept after"])
        #expect(try store.verifyAudit().isEmpty)
        #expect(try server.openStore().verifyAudit().isEmpty)
    }

    @Test("an upsert refused mid-group after creating its customer: the others commit, the chain holds")
    func upsertRefusedInGroup() throws {
        let server = try TestServer()
        let store = try server.openStore()
        _ = try store.apply([Self.set("r0", "score", "1")])
        let upsert = CustomerUpsert(
            crmId: "r2", email: "r2@example.com", fields: [FieldChange(name: "score", value: "not a number")])
        let results = try store.apply([
            Self.set("r1", "score", "2"), AttributedChange(.upsert(upsert), actor: "crm-sync"),
            Self.set("r3", "score", "3"),
        ])
        #expect(results.map { if case .success = $0 { true } else { false } } == [true, false, true])
        #expect(try store.verifyAudit().isEmpty)
        #expect(try server.openStore().verifyAudit().isEmpty)
        #expect(throws: RosterError.self) { try store.customer("r2") }
    }

    @Test("a refusal that depends on an earlier change of the same group: the same outcomes as savepoints alone give")
    func refusalAfterDependentChange() throws {
        let server = try TestServer()
        let store = try server.openStore()
        // `level` is registered as a number by the group's first change, which makes its second change invalid.
        let results = try store.apply([
            Self.set("d1", "level", "3"), Self.set("d2", "level", "high"), Self.set("d3", "level", "4"),
        ])
        #expect(results.map { if case .success = $0 { true } else { false } } == [true, false, true])
        #expect(try store.customer("d1").fields["level"]?.value == "3")
        #expect(try store.customer("d3").fields["level"]?.value == "4")
        #expect(throws: RosterError.self) { try store.customer("d2") }
        #expect(try store.fieldSummaries().filter { $0.name == "level" }.count == 1)
        #expect(try store.verifyAudit().isEmpty)
        // One change refused alone: a field it would have registered is not left in the registry.
        let alone = try store.apply([
            AttributedChange(
                .setFields(
                    id: "d4",
                    fields: [FieldChange(name: "tier", value: "gold"), FieldChange(name: "level", value: "top")]),
                actor: "crm-sync")
        ])
        #expect(alone.count == 1)
        if case .success = alone[0] { Issue.record("a non-number level was accepted") }
        #expect(store.fields.contains { $0.name == "tier" } == false)
        #expect(try server.openStore().fieldSummaries().contains { $0.name == "tier" } == false)
        // The next write registers it as a text field, as if the refused change had never run.
        #expect(try store.apply([Self.set("d5", "tier", "gold")]).count == 1)
        #expect(try store.customer("d5").fields["tier"]?.value == "gold")
        #expect(try server.openStore().fieldSummaries().contains { $0.name == "tier" })
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
