import ArgumentParser
import Foundation
import RosterCore
import RosterModel

struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Show the audit log: who revealed, exported, erased or changed what, and when.",
        discussion: """
            Entries name the operating-system user, the time, the action (import, reveal, export, erase, consent, \
            field) and the customer's externalCode, never a personal value. The log is append-only and chained: \
            each entry carries a MAC over itself and the entry before it. --verify checks the chain and fails \
            (exit status 1) if an entry was altered or removed.
            """)

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions

    @Flag(help: "Check that no entry was altered or removed.")
    var verify = false

    func run() throws {
        let store = try storeOptions.open()
        if verify {
            let problems = try store.verifyAudit()
            let count = try store.auditEntries().count
            if output.json {
                Output.json(
                    .object([
                        ("region", .string(store.region)), ("entries", .int(Int64(count))),
                        ("intact", .bool(problems.isEmpty)), ("problems", .array(problems.map(JSONValue.string))),
                    ]))
            } else if problems.isEmpty {
                Output.line("The audit log of \(store.path) (region \(store.region)) is intact: \(count) entries.")
            }
            if !problems.isEmpty {
                if !output.json { for problem in problems { Output.note("audit: \(problem)") } }
                throw RosterError.integrity(
                    what: "the audit log (\(problems.count) problem\(problems.count == 1 ? "" : "s"))")
            }
            return
        }
        let entries = try store.auditEntries()
        if output.json {
            Output.json(.object([("region", .string(store.region)), ("entries", .array(entries.map(\.json)))]))
            return
        }
        for entry in entries {
            Output.line(
                "\(Timestamp.iso8601(entry.at))  \(entry.actor.padding(toLength: 10, withPad: " ", startingAt: 0)) "
                    + "\(entry.action.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)) "
                    + "\(entry.subject == "*" ? "(whole store)" : entry.subject)  \(Output.safe(entry.detail))")
        }
        if entries.isEmpty { Output.note("The audit log of \(store.path) is empty.") }
    }
}
