import Foundation
import RosterModel
import Testing

@testable import RosterCore

/// A sync server's readers reload the field registry after every commit of its writer; the reload keeps the
/// registry it has when the rows are the same, and checks every row again when they are not.
@Suite("A reader's field registry follows other connections' commits, without checking unchanged rows again")
struct RegistryReloadTests {
    private static func set(_ store: Store, _ id: String, _ name: String, _ value: String) throws {
        let results = try store.apply([
            AttributedChange(.setFields(id: id, fields: [FieldChange(name: name, value: value)]), actor: "test")
        ])
        _ = try results[0].get()
    }

    private static func names(_ store: Store) -> [String] { store.fields.map(\.name) }

    @Test("a new field, a customer's change, a field registered in place and a row altered by hand")
    func follows() throws {
        let server = try TestServer()
        let writer = try server.openStore()
        let reader = try server.openStore()
        try Self.set(writer, "c1", "city", "Lugo")
        _ = try reader.readStamp()
        #expect(Self.names(reader) == ["city"])
        try Self.set(writer, "c2", "score", "5")
        _ = try reader.readStamp()
        #expect(Self.names(reader) == ["city", "score"])
        #expect(reader.fieldType("score")?.type == .number)
        // A commit that leaves the registry as it was: same rows, same registry.
        try Self.set(writer, "c1", "city", "Vigo")
        _ = try reader.readStamp()
        #expect(Self.names(reader) == ["city", "score"])
        // Changed in place (as a registration rolled back with its savepoint leaves it): the next reload reads it
        // again, though the rows did not change.
        reader.registerFieldType("ghost", ("ghost", .text))
        try Self.set(writer, "c1", "city", "Ourense")
        _ = try reader.readStamp()
        #expect(Self.names(reader) == ["city", "score"])
        // A type altered by hand fails its MAC at the next reload.
        try writer.db.write { try $0.execute(sql: "UPDATE field SET type = 'text' WHERE key = 'score'") }
        #expect(throws: RosterError.self) { _ = try reader.readStamp() }
    }
}
