import ArgumentParser
import Foundation
import RosterCore

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

extension CustomerCommand {
    struct Erase: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Erase a customer for good (GDPR Art. 17): data, identifiers, devices.",
            discussion: """
                The customer's record, its key, its blind indexes, its devices and its field values are removed; \
                freed pages are overwritten and the WAL is checkpointed, so the store files keep nothing of it. \
                --suppress keeps only blind indexes of its CRM id, email and phone so that a later import of the \
                same person is refused with a reason. Backups made before the erasure still hold the customer \
                and open with the same passphrase or key file: see the README (Privacy) for what that means. \
                On a terminal you are asked to confirm; otherwise --yes is required.
                """)

        @OptionGroup var storeOptions: StoreOptions
        @OptionGroup var output: OutputOptions

        @Argument(help: ArgumentHelp(idHelp, valueName: "id"))
        var id: String

        @Flag(help: "Do not ask for confirmation.")
        var yes = false

        @Flag(help: "Keep blind indexes of the identifiers so the customer is not imported again.")
        var suppress = false

        func run() throws {
            let store = try storeOptions.open()
            let customer = try store.customer(id)
            if !yes {
                guard
                    let answer = Passphrase.ask(
                        "Erase customer \(customer.externalCode) and everything held on it? This cannot be undone. "
                            + "Type yes to confirm: ")
                else {
                    throw RosterError.invalidValue(
                        "erasing needs a confirmation: run it on a terminal, or pass --yes (nothing was erased)")
                }
                guard answer.trimmed.lowercased() == "yes" else {
                    throw RosterError.invalidValue("not confirmed; nothing was erased")
                }
            }
            let report = try store.erase(id, suppress: suppress)
            if output.json {
                Output.json(
                    .object([
                        ("region", .string(store.region)), ("erased", .string(report.externalCode)),
                        ("devices", .int(Int64(report.devices))), ("suppressed", .bool(report.suppressed)),
                    ]))
            } else {
                Output.line(
                    "Erased customer \(report.externalCode) with \(report.devices) device\(report.devices == 1 ? "" : "s")"
                        + (report.suppressed ? "; its identifiers are suppressed." : "."))
            }
            if !report.walCleared {
                Output.note(
                    "warning: another process has the store open, so its write-ahead log still holds old pages of "
                        + "this customer; they are cleared when that process closes the store (run any roster command then)"
                )
            }
        }
    }
}
