import ArgumentParser
import Foundation
import RosterCore
import RosterModel

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
                    throw RosterError.invalidValue(.erasureNotConfirmed(asked: false))
                }
                guard answer.trimmed.lowercased() == "yes" else {
                    throw RosterError.invalidValue(.erasureNotConfirmed(asked: true))
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
