import Foundation
import Testing

extension ConsoleEndToEndTests {
    @Test("a Mailchimp export through the console's mapping step: headers mapped, then Hi $Name greets by full name")
    func importMappingStep() throws {
        guard let tmux = Self.tmux else { return }
        let session = try Session(tmux: tmux, names: ["Ana"])
        let file = session.scratch.path + "/audience.csv"
        try """
        Email Address,First Name,Last Name,Phone Number,Birthday,MEMBER_RATING
        lena@example.com,Lena,Berg,,12/06,2
        omar@example.com,Omar,Haddad,,03/01,3

        """.write(toFile: file, atomically: true, encoding: .utf8)
        let pane = session.pane
        try pane.wait(for: "Customers (1)")
        try pane.keys("i")
        try pane.type("email \(file)")
        try pane.keys("Enter")
        // The file's headers; without a preset, Birthday's 12/06 and 03/01 leave the order open: the step offers the
        // choice.
        try pane.wait(forAll: ["fits this file: mailchimp", "Email Address, First Name, Last Name", "o chooses it"])
        try pane.keys("p")
        try pane.wait(for: ":preset mailchimp")
        try pane.keys("Enter")
        // The date format found.
        try pane.wait(forAll: ["name=Lena Berg", "{First Name} {Last Name}", "MM/DD", "birthdate=--12-06"])
        #expect(try session.roster.run("query", "has email", "--count").stdout.hasPrefix("1 "), "nothing written yet")
        try pane.keys("Enter")
        try pane.wait(for: "import finished: 2 read, 2 created")
        try pane.keys("Escape")
        try pane.wait(for: "Customers (3)")
        try pane.keys("/")
        try pane.type("Lena")
        try pane.wait(for: "Customers (1 of 3)")
        try pane.keys("Enter", "p")
        try pane.type("Hi $Name")
        try pane.wait(for: "Hi Lena Berg")
        try pane.keys("Escape", "Escape")
        let birthdays = try session.roster.run("query", "birthday = today", "--today", "2026-12-06", "--count")
        #expect(birthdays.stdout.hasPrefix("1 "), "\(birthdays.stdout) \(birthdays.stderr)")
        try pane.keys("q")
        #expect(session.exitStatus() == "0")
    }

    @Test(":field lists types and counts; rename asks first, names the count, and is audited")
    func fieldCommands() throws {
        guard let tmux = Self.tmux else { return }
        let session = try Session(tmux: tmux, names: ["Ana", "Bo"])
        let pane = session.pane
        try pane.wait(for: "Customers (2)")
        try pane.keys(":")
        try pane.type("fields")
        try pane.keys("Enter")
        try pane.wait(forAll: ["type     customers", "city", "text"])
        try pane.keys(":")
        try pane.type("field rename city town")
        try pane.keys("Enter")
        try pane.wait(for: "Rename field city to town on 2 customers")
        #expect(
            try session.roster.run("query", "city = Madrid", "--count").stdout.hasPrefix("2 "), "nothing changed yet")
        try pane.keys("y")
        try pane.wait(for: "recorded in the audit log")
        try pane.wait(for: "town")
        #expect(try session.roster.run("query", "town = Madrid", "--count").stdout.hasPrefix("2 "))
        #expect(try session.roster.run("audit").stdout.contains("rename city to town"))
        try pane.keys("Escape", "q")
        #expect(session.exitStatus() == "0")
    }
}
