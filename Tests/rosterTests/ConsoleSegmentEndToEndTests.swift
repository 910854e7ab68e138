import Foundation
import Testing

extension ConsoleEndToEndTests {
    @Test("the console saves its filter as a segment, lists it with its count, opens it as @NAME and deletes it")
    func savedSegments() throws {
        guard let tmux = Self.tmux else { return }
        let session = try Session(tmux: tmux, names: ["Ana", "Bea", "Cris"])
        let pane = session.pane
        try pane.wait(for: "Customers (3)")
        try pane.keys("/")
        try pane.type("name ~ \"a\"")
        try pane.wait(for: "Customers (2 of 3)")
        try pane.keys("Enter", ":")
        try pane.type("segment save conA")
        try pane.keys("Enter")
        try pane.wait(for: "saved @conA: 2 customers")

        try pane.keys("Escape")
        try pane.wait(for: "Customers (3)")
        try pane.keys(":")
        try pane.type("segments")
        try pane.keys("Enter")
        let listed = try pane.wait(for: "name ~ \"a\"")
        #expect(listed.contains("Saved segments") && listed.contains("@conA"), "\(listed)")
        try pane.wait(for: "          2  name ~")
        try pane.keys("Enter")
        try pane.wait(for: "Customers (2 of 3)")
        try pane.keys("/")
        try pane.wait(for: "/@conA")
        try pane.keys("Enter", ":")
        try pane.type("segment delete cona")
        try pane.keys("Enter")
        try pane.wait(for: "deleted @cona")
        try pane.keys("Escape", "q")
        #expect(session.exitStatus() == "0")

        let list = try session.roster.run("segment", "list", "--json")
        #expect(list.stdout.contains("\"segments\" : [") || list.stdout.contains("\"segments\": ["), "\(list.stdout)")
        #expect(!list.stdout.contains("conA"))
        let audit = try session.roster.run("audit")
        #expect(audit.stdout.contains("segment saved") && audit.stdout.contains("segment deleted"), "\(audit.stdout)")
    }
}
