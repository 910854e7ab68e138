import Foundation
import Testing

/// Quitting the real console while a change is still being written.
extension ConsoleEndToEndTests {
    @Test("q while an edit is being written waits for it: the edit is in the store when the console has quit")
    func quitDuringEdit() throws {
        guard let tmux = Self.tmux else { return }
        let gate = FileManager.default.temporaryDirectory.appendingPathComponent("roster-edit-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: gate) }
        let session = try Session(
            tmux: tmux, names: ["Ana", "Bea"], environment: "ROSTER_TEST_EDIT_GATE=\(gate.path)")
        let pane = session.pane
        try pane.wait(for: "Customers (2)")
        try pane.keys(":")
        try pane.wait(for: "edits go to")
        try pane.type("set city Lyon")
        // Enter and q in one write: q arrives while the edit is held before it is written.
        try pane.keys("Enter", "q")
        try pane.wait(for: "the console quits when written")
        #expect(!FileManager.default.fileExists(atPath: session.status), "the console is still open")
        #expect(FileManager.default.createFile(atPath: gate.path, contents: Data()))
        #expect(session.exitStatus() == "0")
        let shown = try ["CRM-1", "CRM-2"].map { try session.roster.run("customer", "show", $0, "--json").stdout }
        #expect(shown.filter { $0.contains("Lyon") }.count == 1, "\(shown)")
    }
}

extension ConsoleEndToEndTests {
    @Test("a field renamed on one customer says so in the singular")
    func singularNotice() throws {
        guard let tmux = Self.tmux else { return }
        let session = try Session(tmux: tmux, names: ["Ana"])
        let pane = session.pane
        try pane.wait(for: "Customers (1)")
        try pane.keys(":")
        try pane.type("field rename city town")
        try pane.keys("Enter")
        try pane.wait(for: "Rename field city to town on 1 customer.")
        try pane.keys("y")
        try pane.wait(for: "field city is now town on 1 customer (recorded in the audit log)")
        try pane.keys("Escape", "q")
        #expect(session.exitStatus() == "0")
    }
}
