import ArgumentParser
import Foundation
import RosterCore
import RosterModel

struct QueryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Select customers with a filter.",
        discussion: """
            Field comparisons: name = "Ana", city != Madrid, score >= 10, birthdate < 1990-01-01 (= and != on text \
            ignore case and accents). Contains: name ~ "mar". Channels: has email, has sms, has push; \
            consent email, consent sms, consent push. Birthdays: birthday = today (month and day of the \
            birthdate field, in the store's time zone or --tz; 29 February counts on 1 March in other years). \
            Combine with and, or, not and parentheses; quote values with spaces. @NAME stands for a saved \
            segment (see roster segment). \
            Examples:
              roster query 'birthday = today and consent email'
              roster query 'city = "A Coruña" or (has sms and not consent sms)' --count
            """)

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: "The filter.")
    var expression: String

    @Flag(help: "Print only how many customers match.")
    var count = false

    @Option(help: ArgumentHelp("Take this date as today.", valueName: "YYYY-MM-DD"))
    var today: String?

    @Option(help: ArgumentHelp("Today in this time zone instead of the store's.", valueName: "zone"))
    var tz: String?

    @Option(help: "Print at most this many customers (text output).")
    var limit = 50

    func run() throws {
        let store = try storeOptions.open()
        let context = try Segment.context(store: store, today: today, timeZone: tz)
        let segment = try Segment(store: store)
        let rows = try segment.rows(matching: expression, context: context)
        let set = segment.workingSet
        if output.json {
            if !count { try store.audit(.reveal, subject: "*", detail: "query --json of \(rows.count) customers") }
            var members: [(String, JSONValue)] = [("count", .int(Int64(rows.count)))]
            if !count { members.append(("customers", .array(rows.map { Self.json(row: Int($0), of: set) }))) }
            Output.json(.object(members))
            Output.exitSkippingTeardown()
        }
        if !count {
            for row in rows.prefix(limit) {
                let index = Int(row)
                let name = set.column(named: "name")?.values[index] ?? ""
                Output.line(
                    "\(set.externalCodes[index])  \(Output.safe(set.crmId(at: index)))  \(Output.safe(name))")
            }
            if rows.count > limit { Output.note("… \(rows.count - limit) more (use --limit, --count or --json)") }
        }
        Output.line(rows.count == 1 ? "1 customer matches." : "\(rows.count) customers match.")
        Output.exitSkippingTeardown()
    }

    static func json(row: Int, of set: WorkingSet) -> JSONValue {
        var fields: [(String, JSONValue)] = []
        for column in set.columns {
            if let value = column.values[row] { fields.append((column.name, .string(value))) }
        }
        return .object([
            ("externalCode", .string(set.externalCodes[row])), ("crmId", .string(set.crmId(at: row))),
            ("email", .optional(set.emails[row])), ("phone", .optional(set.phones[row])),
            (
                "consent",
                .object([
                    ("email", .bool(set.consent[row].email)), ("sms", .bool(set.consent[row].sms)),
                    ("push", .bool(set.consent[row].push)),
                ])
            ),
            ("devices", .int(Int64(set.deviceCounts[row]))), ("fields", .object(fields)),
        ])
    }
}

struct PreviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "preview",
        abstract: "Render a personalized message for one customer, or preview it over a segment.",
        discussion: """
            Templates: $Name or ${Name} insert a field (names ignore case), ${Name|friend} falls back to "friend" \
            when the field is missing or blank, $$ is a literal $. email, phone, crmId and externalCode are \
            available too. A field that is missing without a fallback is reported and left visible in the text. \
            Examples:
              roster preview 'Hi ${Name|there}, happy birthday!' --customer CRM-1
              roster preview 'Hi $Name' --filter 'birthday = today'
            """)

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: "The template.")
    var template: String

    @Option(help: ArgumentHelp("Render for this customer (any ID).", valueName: "id"))
    var customer: String?

    @Option(help: ArgumentHelp("Preview over the customers this filter selects.", valueName: "expr"))
    var filter: String?

    @Option(help: ArgumentHelp("Take this date as today (for birthday filters).", valueName: "YYYY-MM-DD"))
    var today: String?

    @Option(help: "How many sample renders a segment preview shows.")
    var samples = 3

    func validate() throws {
        guard (customer == nil) != (filter == nil) else {
            throw ValidationError("give exactly one of --customer ID or --filter EXPR")
        }
    }

    func run() throws {
        let parsed: Template
        do {
            parsed = try Template.parse(template)
        } catch {
            throw RosterError.invalidValue(.message(error.description))
        }
        let store = try storeOptions.open()
        if let customer {
            let rendering = parsed.render(try store.customer(customer))
            if output.json {
                Output.json(
                    .object([
                        ("rendered", .string(rendering.text)),
                        ("missing", .array(rendering.missing.map(JSONValue.string))),
                    ]))
            } else {
                Output.line(Output.safe(rendering.text))
                if !rendering.missing.isEmpty {
                    Output.note("missing: \(rendering.missing.joined(separator: ", ")) (no value and no fallback)")
                }
            }
            return
        }
        let context = try Segment.context(store: store, today: today)
        let segment = try Segment(store: store)
        let rows = try segment.rows(matching: filter ?? "", context: context)
        let preview = SegmentPreview(template: parsed, rows: rows, of: segment.workingSet, sampleCount: samples)
        if output.json {
            Output.json(
                .object([
                    ("total", .int(Int64(preview.total))), ("complete", .int(Int64(preview.complete))),
                    (
                        "missing",
                        .object(preview.missingByField.map { ($0.field, .int(Int64($0.count))) })
                    ),
                    (
                        "samples",
                        .array(
                            preview.samples.map {
                                .object([
                                    ("externalCode", .string($0.externalCode)),
                                    ("rendered", .string($0.rendering.text)),
                                    ("missing", .array($0.rendering.missing.map(JSONValue.string))),
                                ])
                            })
                    ),
                ]))
            return
        }
        Output.line("\(preview.complete) of \(preview.total) customers render completely.")
        for missing in preview.missingByField where missing.count > 0 {
            Output.line("  \(missing.count) miss \(missing.field)")
        }
        for sample in preview.samples {
            Output.line("  \(sample.externalCode.prefix(12))…  \(Output.safe(sample.rendering.text))")
        }
    }
}
