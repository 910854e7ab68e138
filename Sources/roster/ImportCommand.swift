import ArgumentParser
import Foundation
import RosterCore

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import a CSV file of one kind (or Roster's own jsonl export).",
        discussion: """
            KIND is email, sms, push, fields, contacts or jsonl. Columns (names match case-insensitively):
              email     email [, externalCode] [, consent] [, field columns]
              sms       countryCode, phone [, externalCode] [, consent] [, field columns]
              push      deviceId [, externalId] [, platform, pushToken, browserName,
                        browserVersion, osName, osVersion, deviceType, locale,
                        timeZone, enabled] [, field columns]
              fields    customerId, fieldName, fieldValue
              contacts  customerId [, email] [, countryCode, phone] [, field columns]
            customerId, externalCode or externalId carry the CRM id; they resolve as a CRM id, an externalCode, \
            an email, then a phone, and an unknown value creates the customer.

            The separator (, ; tab) and encoding are detected, and the summary says which were used. A file \
            is read as UTF-8 (with or without BOM) unless its first megabyte holds bytes that are not UTF-8 and \
            no character that is: then as Windows-1252. In a UTF-8 file a row with bytes that are not UTF-8 is \
            rejected with the byte at fault; --encoding utf-8 or windows-1252 overrides the detection. \
            Within one file the last row for a key wins; the rows it supersedes are counted as duplicatesInFile. \
            A bad row is reported with its line and reason and never stops the import; the exit status is 0 \
            when the file was processed. It is non-zero only when the import could not run (unreadable file, \
            missing columns, wrong key) or, with --strict, when any row was rejected: then nothing is written. \
            Counts are of customers (devices, for push files) by net change: importing the same file again \
            reports everything unchanged.
            """)

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: "email, sms, push, fields, contacts or jsonl.")
    var kind: ImportKind

    @Argument(help: "The file to import; - for standard input (a pipe or a FIFO is read once, into a sealed copy).")
    var file: String

    @Flag(name: .customLong("dry-run"), help: "Compute the same summary and write nothing.")
    var dryRun = false

    @Flag(help: "Fail, writing nothing, if any row is rejected.")
    var strict = false

    @Option(
        help: ArgumentHelp(
            "Write the rejected rows, as they were, plus a reason column (not with --strict, which writes nothing).",
            valueName: "file"))
    var rejects: String?

    @Option(help: ArgumentHelp("The separator: , ; tab (default: detected).", valueName: "char"))
    var delimiter: String?

    @Option(help: ArgumentHelp("utf-8 or windows-1252 (default: detected).", valueName: "name"))
    var encoding: String?

    @Option(
        name: .customLong("batch-size"),
        help: ArgumentHelp(
            "Rows per transaction when importing into a store that has customers (jsonl: at most 50,000); a "
                + "killed import keeps every whole transaction.", valueName: "rows"))
    var batchSize = ImportOptions.defaultBatchSize

    func validate() throws {
        guard batchSize > 0 else { throw ValidationError("--batch-size \(batchSize): use a number of rows above 0") }
        if let delimiter, CSVDialect.delimiter(fromOption: delimiter) == nil {
            throw ValidationError("--delimiter \(delimiter): use , ; or tab")
        }
        if let encoding, CSVEncoding(name: encoding) == nil {
            throw ValidationError("--encoding \(encoding): use utf-8 or windows-1252")
        }
    }

    func run() throws {
        var protected = storeOptions.protectedFiles
        protected.addInput(file)
        // Refused before the store is opened or the input read: nothing happens.
        if !strict { try OutputFile.check(rejects, protecting: protected) }
        let store = try storeOptions.open()
        var options = ImportOptions(kind: kind, path: file)
        options.protectedFiles = protected
        options.dryRun = dryRun
        options.strict = strict
        options.rejectsPath = rejects
        options.batchSize = batchSize
        options.delimiter = delimiter.flatMap(CSVDialect.delimiter(fromOption:))
        options.encoding = encoding.flatMap(CSVEncoding.init(name:))
        let meter = ProgressMeter(label: (file as NSString).lastPathComponent)
        let summary: ImportSummary
        do {
            summary = try Importer(store: store, options: options, progress: meter.isActive ? meter.update : nil).run()
        } catch let refused as ImportRefused {
            meter.finish()
            Self.printRejects(refused.summary)
            throw RosterError.invalidValue(refused.description)
        }
        meter.finish()
        if output.json {
            Output.json(summary.json)
            return
        }
        Self.printRejects(summary)
        let verb = dryRun ? "Would import" : "Imported"
        Output.line(
            "\(verb) \(file) into \(store.path) (region \(store.region)): \(summary.read) rows read; "
                + "\(summary.subject) \(summary.created) created, \(summary.updated) updated, "
                + "\(summary.unchanged) unchanged; \(summary.rejected) rejected, "
                + "\(summary.duplicatesInFile) duplicates in file."
                + (summary.dialect.map { " Read as \($0.summary)." } ?? ""))
        if let rejects, summary.rejected > 0, !strict { Output.line("Rejected rows were written to \(rejects).") }
    }

    static func printRejects(_ summary: ImportSummary, limit: Int = 20) {
        for rejection in summary.rejects.prefix(limit) {
            Output.note("line \(rejection.line): \(Output.safe(rejection.reason))")
        }
        if summary.rejects.count > limit {
            Output.note("… and \(summary.rejects.count - limit) more rejected rows (use --rejects FILE or --json)")
        }
    }
}

extension ImportKind: ExpressibleByArgument {}

struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write a realistic, messy contacts CSV file for tests and benchmarks.",
        discussion: """
            customerId,email,countryCode,phone,name,birthdate,city — mixed-case emails, phones in national and \
            international habits, accented and CJK names, about 2% invalid rows and 1% repeated customers. \
            The same seed always gives the same file.
            """)

    @Option(help: "How many rows to write.")
    var contacts: Int

    @Option(help: "The random seed.")
    var seed: UInt64 = 1

    @Option(help: ArgumentHelp("The file to write.", valueName: "file"))
    var out: String

    @Option(help: "The number of the first customer (CRM-0000000 by default), to make files that do not overlap.")
    var start = 0

    func validate() throws {
        guard contacts >= 0 else { throw ValidationError("--contacts must be 0 or more") }
    }

    func run() throws {
        var generator = ContactGenerator(contacts: contacts, seed: seed)
        generator.firstCustomer = start
        // No store is opened, but the one the environment names (and its key file) is still never overwritten.
        let protected = (try? StoreOptions.parse([]))?.protectedFiles ?? ProtectedFiles()
        let rows = try generator.write(to: out, protecting: protected)
        Output.note("Wrote \(rows) rows to \(out).")
    }
}
