import ArgumentParser
import Foundation
import RosterCore

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
                csv: one row per customer; cells starting with = + - or @ get a leading apostrophe so a spreadsheet \
                shows them as text (phones in E.164 too). --excel writes UTF-8 with a BOM and ; separators. \
                jsonl: Roster's lossless format; its first line names the store's region, and `roster import jsonl` \
                restores it into a store of the same region (externalCodes match when both stores share an app key).
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
            let store = try storeOptions.open()
            var export = CustomerExport(format: format)
            export.excel = excel
            if let filter { export.rowIDs = try Segment.rowIDs(matching: filter, in: store) }
            let count = try Sink.write(to: out) { sink in try export.write(from: store, to: sink) }
            try store.audit(.export, subject: "*", detail: "\(format.rawValue) export of \(count) customers")
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
            let store = try storeOptions.open()
            let document = try store.accessExport(id)
            _ = try Sink.write(to: out) { sink in try sink(Data((document.rendered(pretty: true) + "\n").utf8)) }
        }
    }
}

extension CustomerExport.Format: ExpressibleByArgument {}

/// Output to a file (created 0600 through the process umask) or stdout.
enum Sink {
    static func write<T>(to path: String?, _ body: ((Data) throws -> Void) throws -> T) throws -> T {
        guard let path else {
            return try body { FileHandle.standardOutput.write($0) }
        }
        guard FileManager.default.createFile(atPath: path, contents: nil),
            let handle = FileHandle(forWritingAtPath: path)
        else { throw RosterError.io(path: path, detail: "cannot create the file") }
        defer { try? handle.close() }
        let result = try body { try handle.write(contentsOf: $0) }
        try handle.synchronize()
        return result
    }
}
