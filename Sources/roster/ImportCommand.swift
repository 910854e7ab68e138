import ArgumentParser
import Foundation
import RosterCSV
import RosterCore
import RosterDemo
import RosterModel

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

            Files with other headers: --preset hubspot|salesforce|mailchimp|google|outlook maps a CRM's export; \
            --map TARGET=SOURCE maps one column or a template of columns; --mapping FILE reads a TOML mapping. \
            A new field's type comes from a sample of its column. Dates are read as YYYY-MM-DD, DD/MM/YYYY or \
            MM/DD/YYYY (the order decided per column by a part above 12, else --date-order), DD.MM.YYYY, \
            DD-MM-YYYY, YYYY/MM/DD, Excel serials, and MM/DD or --MM-DD without a year; two-digit years are \
            refused. Numbers may use a decimal comma and thousands separators. --dry-run prints the mapping and \
            the first rows as they would be stored.
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
        name: .customLong("map"),
        help: ArgumentHelp(
            "Take TARGET from a column of another name, or a template of columns: --map customerId=\"Record ID\" "
                + "--map name=\"{First Name} {Last Name}\". TARGET is customerId, email, countryCode, phone, deviceId, "
                + "consent, … or a field, optionally typed (birthdate:date). Repeatable; replaces a preset's target.",
            valueName: "target=source"))
    var map: [String] = []

    @Option(help: ArgumentHelp("A mapping file (TOML; docs/import.md shows one).", valueName: "file"))
    var mapping: String?

    @Option(
        help: ArgumentHelp(
            "The mapping of a CRM's export: hubspot, salesforce, mailchimp, google or outlook.", valueName: "name"))
    var preset: String?

    @Option(
        name: .customLong("date-order"),
        help: ArgumentHelp(
            "dmy or mdy: the day/month order of date columns whose values all leave it open (06/12/1990). A column "
                + "with a part above 12 decides its own.", valueName: "order"))
    var dateOrder: DateOrder?

    @Option(
        name: .customLong("default-country"),
        help: ArgumentHelp(
            "The calling code of phones written without one (34 for Spain); a row's countryCode still wins.",
            valueName: "code"))
    var defaultCountry: String?

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
        if kind == .jsonl, !map.isEmpty || mapping != nil || preset != nil || dateOrder != nil || defaultCountry != nil
        {
            throw ValidationError(
                "--map, --mapping, --preset, --date-order and --default-country apply to CSV files; a jsonl export "
                    + "has Roster's own fields")
        }
        if let preset, Preset(rawValue: preset.lowercased()) == nil {
            throw ValidationError(MappingError.unknownPreset(preset).description)
        }
        for entry in map {
            do {
                _ = try ColumnMapping.entry(entry)
            } catch {
                throw ValidationError("--map \(error)")
            }
        }
    }

    /// The preset, then the mapping file, then each --map: a later one replaces an earlier one's target.
    func columnMapping() throws -> ColumnMapping {
        var result = ColumnMapping()
        if let preset, let named = Preset(rawValue: preset.lowercased()) { result = named.mapping }
        if let mapping {
            let text: String
            do {
                text = try String(contentsOfFile: mapping, encoding: .utf8)
            } catch {
                throw RosterError.io(path: mapping, detail: "cannot read the mapping file (does it exist?)")
            }
            result = result.overridden(by: try ColumnMapping.read(toml: text, path: mapping))
        }
        let entries = try map.map { try ColumnMapping.entry($0) }
        return result.overridden(by: ColumnMapping(entries: entries))
    }

    /// A mapping error worded with the options that fix it.
    static func wording(_ error: MappingError) -> String {
        switch error {
        case .missingColumns(_, _, _, let suggestions) where !suggestions.isEmpty:
            let base = error.description
            let cut = base.range(of: "; to use a column of another name")?.lowerBound ?? base.endIndex
            return String(base[..<cut]) + "; if a column of another name holds it, map it: "
                + suggestions.map { "--map \($0)" }.joined(separator: " ")
        case .ambiguousDateOrder(let field, let column):
            return
                "the dates of field \(field) (column \"\(Output.safe(column))\") could all be day/month or month/day: none has "
                + "a part above 12. Say which with --date-order dmy (06/12 is 6 December) or --date-order mdy "
                + "(12 June); nothing was imported"
        case .conflictingDateOrder(let field, let column):
            return
                "the dates of field \(field) (column \"\(Output.safe(column))\") are written both day/month and month/day; "
                + "pass --date-order dmy or mdy to keep the rows written that way (the others are rejected); "
                + "nothing was imported"
        case .badDefaultCountry(let code):
            return "--default-country \(code): " + error.description
        default:
            return error.description
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
        options.dateOrder = dateOrder
        options.defaultCountry = defaultCountry
        do {
            options.mapping = try columnMapping()
        } catch let error as MappingError {
            throw RosterError.invalidValue(.message(Self.wording(error)))
        }
        let meter = ProgressMeter(label: (file as NSString).lastPathComponent)
        // One importer for the preview and the run: the file is opened once (a pipe can be read only once).
        let importer = Importer(store: store, options: options, progress: meter.isActive ? meter.update : nil)
        if dryRun && !output.json {
            do {
                Self.printPreview(try importer.preview())
            } catch let error as MappingError {
                throw RosterError.invalidValue(.message(Self.wording(error)))
            }
        }
        let summary: ImportSummary
        do {
            summary = try importer.run()
        } catch let refused as ImportRefused {
            meter.finish()
            Self.printRejects(refused.summary)
            throw RosterError.invalidValue(.message(refused.description))
        } catch let error as MappingError {
            meter.finish()
            throw RosterError.invalidValue(.message(Self.wording(error)))
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
        for format in summary.formats {
            Output.line("  \(format.field) (\(format.type.rawValue)): \(format.format)")
        }
    }

    /// The mapping a dry run uses and its first rows as they would be stored.
    static func printPreview(_ preview: ImportPreview) {
        guard !preview.columns.isEmpty else { return }
        Output.line("Mapping:")
        for column in preview.columns {
            let type = column.type.map { " (\($0.rawValue))" } ?? ""
            Output.line("  \(Output.safe(column.target))\(type) <- \(Output.safe(column.source))")
        }
        if !preview.unused.isEmpty {
            Output.line("  not imported: " + preview.unused.map { Output.safe($0) }.joined(separator: ", "))
        }
        for format in preview.formats {
            Output.line("  \(Output.safe(format.field)) is written \(format.format)")
        }
        Output.line("First rows as they would be stored:")
        for row in preview.rows {
            if let rejection = row.rejection {
                Output.line("  line \(row.line): rejected: \(Output.safe(rejection))")
            } else {
                let values = row.values.map { "\(Output.safe($0.name))=\(Output.safe($0.value))" }
                Output.line("  line \(row.line): " + values.joined(separator: ", "))
            }
        }
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
extension DateOrder: ExpressibleByArgument {}

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
