import ArgumentParser
import Foundation
import RosterCore
import RosterModel
import RosterTUI

struct FieldCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "field",
        abstract: "List, retype or rename the customer fields of a store.",
        discussion: """
            A field's type (text, date, number, boolean) is set when it is first written: an import types a new \
            field from a sample of its column. `retype` converts every stored value to another type, `rename` \
            gives a field another name on every customer and in the saved segments that name it. Both are \
            audited (action field).
            """,
        subcommands: [List.self, Retype.self, Rename.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Each field with its type and how many customers have a value.")

        @OptionGroup var storeOptions: StoreOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            let store = try storeOptions.open()
            let fields = try store.fieldSummaries()
            if output.json {
                Output.json(
                    .object([
                        (
                            "fields",
                            .array(
                                fields.map {
                                    .object([
                                        ("name", .string($0.name)), ("type", .string($0.type.rawValue)),
                                        ("count", .int(Int64($0.count))),
                                    ])
                                })
                        )
                    ]))
                return
            }
            if fields.isEmpty {
                Output.note("The store \(store.path) has no fields yet.")
                return
            }
            let width = max(4, fields.map { TextWidth.of(Output.safe($0.name)) }.max() ?? 0)
            Output.line(Output.padded("name", to: width) + "  type     customers")
            for field in fields {
                Output.line(
                    Output.padded(Output.safe(field.name), to: width) + "  "
                        + field.type.rawValue.padding(toLength: 7, withPad: " ", startingAt: 0) + "  \(field.count)")
            }
        }
    }

    struct Retype: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Convert every stored value of a field to another type.",
            discussion: """
                Dates are read in the forms imports read (YYYY-MM-DD, DD/MM/YYYY or MM/DD/YYYY, DD.MM.YYYY, \
                YYYY/MM/DD, Excel serials, MM/DD or --MM-DD without a year); numbers with a decimal point or comma. \
                If a value does not convert, the values that do not are listed and nothing changes, unless \
                --drop-unconvertible is given: then those values are removed. Exit status 1 when nothing changed.
                """)

        @OptionGroup var storeOptions: StoreOptions
        @OptionGroup var output: OutputOptions

        @Argument(help: "The field.")
        var name: String

        @Argument(help: "date, number, boolean or text.")
        var type: FieldType

        @Option(
            name: .customLong("date-order"),
            help: ArgumentHelp(
                "dmy or mdy, when no value has a part above 12 (06/12/1990).", valueName: "order"))
        var dateOrder: DateOrder?

        @Flag(name: .customLong("drop-unconvertible"), help: "Remove the values that do not convert.")
        var dropUnconvertible = false

        func run() throws {
            let store = try storeOptions.open()
            let report: RetypeReport
            do {
                report = try store.retypeField(
                    name, to: type, dateOrder: dateOrder, dropUnconvertible: dropUnconvertible)
            } catch let error as FieldCommandError {
                switch error {
                case .ambiguousDateOrder, .conflictingDateOrder:
                    throw RosterError.invalidValue(
                        .message(
                            error.description.replacingOccurrences(
                                of: "give the order, dmy or mdy", with: "pass --date-order dmy or --date-order mdy")))
                default: throw RosterError.invalidValue(.message(error.description))
                }
            }
            if output.json {
                Output.json(
                    .object([
                        ("field", .string(report.field)), ("from", .string(report.from.rawValue)),
                        ("to", .string(report.to.rawValue)), ("converted", .int(Int64(report.converted))),
                        ("applied", .bool(report.applied)), ("format", report.format.map(JSONValue.string) ?? .null),
                        (
                            "unconvertible",
                            .array(
                                report.unconvertible.map {
                                    .object([
                                        ("externalCode", .string($0.externalCode)), ("value", .string($0.value)),
                                        ("reason", .string($0.reason)),
                                    ])
                                })
                        ),
                    ]))
            } else {
                for item in report.unconvertible.prefix(20) {
                    Output.note("\(item.externalCode): \(Output.safe(item.reason))")
                }
                if report.unconvertible.count > 20 {
                    Output.note("… and \(report.unconvertible.count - 20) more (use --json)")
                }
                let format = report.format.map { " (read as \($0))" } ?? ""
                if report.applied {
                    let dropped = report.unconvertible.isEmpty ? "" : ", \(report.unconvertible.count) dropped"
                    Output.line(
                        "Field \(Output.safe(report.field)) is now \(report.to.rawValue): \(report.converted) values "
                            + "converted\(dropped)\(format).")
                }
            }
            if !report.applied {
                throw RosterError.invalidValue(
                    .unconvertibleValues(
                        field: report.field, type: report.to, count: report.unconvertible.count, format: report.format))
            }
        }
    }

    struct Rename: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Give a field another name on every customer.",
            discussion: """
                The saved segments whose conditions name the field are rewritten to the new name in the same \
                write. A rename that would change what a segment means is refused and changes nothing: `has \
                city` renamed to sms would test the SMS channel, and `birthday = today` reads the field named \
                birthdate.
                """)

        @OptionGroup var storeOptions: StoreOptions

        @Argument(help: "The field's name.")
        var old: String

        @Argument(help: "Its new name.")
        var new: String

        func run() throws {
            let store = try storeOptions.open()
            let report: FieldRenameReport
            do {
                report = try store.renameField(old, to: new)
            } catch let error as FieldCommandError {
                throw RosterError.invalidValue(.message(error.description))
            }
            Output.line("Field \(Output.safe(old)) is now \(Output.safe(report.name)).")
            if !report.segments.isEmpty {
                let names = report.segments.map { "@" + Output.safe($0) }.joined(separator: ", ")
                Output.line("Saved segments that name it, rewritten: \(names).")
            }
        }
    }
}
