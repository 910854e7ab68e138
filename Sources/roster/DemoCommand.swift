import ArgumentParser
import Foundation
import RosterCore
import RosterDemo
import RosterModel

/// `roster demo`: makes (once) a demo store of synthetic customers and opens the console on it.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Create (once) a demo store of synthetic customers and open the console on it.",
        discussion: """
            The demo store is ~/.local/share/roster/demo.roster (or --store PATH) with its own key file beside it \
            (PATH.key, mode 0600). Its customers come from `roster generate` (valid rows only): accented and CJK \
            names, national and international phones, some devices, and birthdays today. It is made again when \
            --contacts asks for a different number of customers.
            """)

    @Option(help: "How many customers the demo store holds.")
    var contacts = 10_000

    @Option(help: ArgumentHelp("Where the demo store lives.", valueName: "path"))
    var store: String?

    @Option(help: ArgumentHelp("The colour theme (see `roster console --help`).", valueName: "name"))
    var theme: String?

    @Flag(help: "Create the demo store and exit without opening the console.")
    var noConsole = false

    func validate() throws {
        guard (1...5_000_000).contains(contacts) else { throw ValidationError("--contacts must be 1 to 5,000,000") }
    }

    func run() throws {
        let path = store ?? DemoStore.defaultPath()
        let keyFile = DemoStore.keyFilePath(for: path)
        if FileManager.default.fileExists(atPath: path) {
            let existing = try Store.open(at: path, key: .keyFile(path: keyFile))
            let count = try existing.customerCount()
            try existing.close()
            if count != contacts {
                Output.note("The demo store \(path) has \(count) customers; making it again with \(contacts).")
                for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
            }
        }
        let started = Date()
        if try DemoStore.ensure(at: path, contacts: contacts, progress: { Output.note("demo: \($0)…") }) {
            Output.note(
                String(
                    format: "Created the demo store %@ (%d customers) in %.1f s.", path, contacts,
                    Date().timeIntervalSince(started)))
        }
        if noConsole { return }
        let console = try ConsoleCommand.parse(
            ["--store", path, "--keyfile", keyFile] + (theme.map { ["--theme", $0] } ?? []))
        try console.run()
    }
}
