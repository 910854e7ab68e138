import Foundation
import GRDB
import Testing

@testable import RosterCore
@testable import RosterModel

@Suite("Server key rows are authenticated")
struct ServerKeyMACTests {
    @Test("a role raised by hand in the file is refused by the key check and reported by roster check")
    func roleEdited() throws {
        let dir = try TemporaryDirectory()
        let store = try dir.makeStore()
        let reader = try store.createServerKey(name: "reader", role: .read).secret
        let writer = try store.createServerKey(name: "writer", role: .write).secret
        #expect(try store.check().problems == [])
        try store.db.write { try $0.execute(sql: "UPDATE serverKey SET role = 'admin' WHERE name = 'reader'") }
        #expect(try store.authenticateServerKey(reader) == nil)
        #expect(try store.authenticateServerKey(writer)?.role == .write)
        let problems = try store.check().problems
        #expect(problems.count == 1)
        #expect(problems.first?.area == "server keys")
        #expect(problems.first?.message.contains("reader") == true)
    }

    @Test("a revocation undone by hand does not bring the key back; a revoked key checks clean")
    func revocationUndone() throws {
        let dir = try TemporaryDirectory()
        let store = try dir.makeStore()
        let secret = try store.createServerKey(name: "temp", role: .write).secret
        _ = try store.revokeServerKey(name: "temp")
        #expect(try store.check().problems == [])
        try store.db.write { try $0.execute(sql: "UPDATE serverKey SET revokedAt = NULL") }
        #expect(try store.authenticateServerKey(secret) == nil)
        #expect(try store.check().problems.map(\.area) == ["server keys"])
    }

    @Test("a key row without a MAC (made before keys were authenticated) is refused")
    func missingMAC() throws {
        let dir = try TemporaryDirectory()
        let store = try dir.makeStore()
        let secret = try store.createServerKey(name: "old", role: .read).secret
        try store.db.write { try $0.execute(sql: "UPDATE serverKey SET mac = NULL") }
        #expect(try store.authenticateServerKey(secret) == nil)
        #expect(try store.check().problems.first?.message.contains("no MAC") == true)
    }
}
