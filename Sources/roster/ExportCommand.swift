import ArgumentParser
import Foundation
import RosterCore
import RosterModel

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export customers (CSV or JSON lines), or everything held on one customer.",
        subcommands: [Customers.self, OneCustomer.self])

    struct Customers: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "customers",
            abstract: "Export every customer, or a segment, with externalCode, channels, consent and fields.",
            discussion: """
                csv: one row per customer, the columns `roster import contacts` reads back (customerId, externalCode, \
                email, consents, phone, fields), values as they are. --excel is for spreadsheets: UTF-8 with a BOM, ; \
                separators, the origin and device count, and a leading apostrophe on cells starting with = + - or @ \
                (phones in E.164 too) so that a spreadsheet shows them as text. \
                jsonl: Roster's lossless format; its first line names the store's region, its last counts and digests \
                the lines, and `roster import jsonl` restores it into a store of the same region (externalCodes match \
                when both stores share an app key). --out never replaces the store, its companions or the key file; \
                a regular file is replaced only once the export is complete.
                """)

        @OptionGroup var storeOptions: StoreOptions

        @Option(help: "csv or jsonl.")
        var format: CustomerExport.Format = .csv

        @Option(help: ArgumentHelp("Write to this file instead of stdout.", valueName: "file"))
        var out: String?

        @Option(
            help: ArgumentHelp("Only the customers this filter selects (see `roster query --help`).", valueName: "expr")
        )
        var filter: String?

        @Flag(help: "For Excel: UTF-8 with a BOM and ; separators (csv only).")
        var excel = false

        func run() throws {
            try OutputFile.check(out, protecting: storeOptions.protectedFiles)
            let store = try storeOptions.open()
            var export = CustomerExport(format: format)
            export.excel = excel
            if let filter { export.rowIDs = try Segment.rowIDs(matching: filter, in: store) }
            let file = try OutputFile(path: out, protecting: storeOptions.protectedFiles)
            let count = try export.write(from: store) { try file.write($0) }
            // On the disk before it is recorded, and recorded before it is in place: a failed export is never
            // audited as done.
            try file.sync()
            let customers = "\(count) customer\(count == 1 ? "" : "s")"
            try store.audit(.export, subject: "*", detail: "\(format.rawValue) export of \(customers)")
            try file.commit()
            Output.note(
                "Exported \(count) customers from \(store.path) (region \(store.region))\(out.map { " to \($0)" } ?? "")."
            )
        }
    }

    struct OneCustomer: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "customer",
            abstract: "Everything held on one customer as one JSON document (GDPR access and portability).")

        @OptionGroup var storeOptions: StoreOptions

        @Argument(help: ArgumentHelp(idHelp, valueName: "id"))
        var id: String

        @Option(help: ArgumentHelp("Write to this file instead of stdout.", valueName: "file"))
        var out: String?

        func run() throws {
            try OutputFile.check(out, protecting: storeOptions.protectedFiles)
            let store = try storeOptions.open()
            let file = try OutputFile(path: out, protecting: storeOptions.protectedFiles)
            // Written and flushed inside the transaction that audits it: a failure (a full disk) records nothing.
            try store.accessExport(id) { document in
                try file.write(Array((document.rendered(pretty: true) + "\n").utf8))
                try file.sync()
            }
            try file.commit()
        }
    }
}

extension CustomerExport.Format: ExpressibleByArgument {}
