import ArgumentParser
import Foundation
import RosterCore
import RosterModel

struct CustomerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "customer",
        abstract: "Add, show and change customers.",
        subcommands: [Add.self, Show.self, Set.self, Unset.self, ConsentCommand.self, Erase.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a customer by its CRM id, with channels and fields.",
            discussion: """
                An email or phone that belongs to a customer created from that channel alone is merged into \
                this one (its fields, devices and consent come along). One that belongs to another customer \
                with its own CRM id is refused. New channels are enabled.
                """)

        @OptionGroup var storeOptions: StoreOptions
        @OptionGroup var output: OutputOptions

        @Argument(help: "The CRM id (kept as given, trimmed).")
        var crmId: String

        @Option(help: "The customer's email address.")
        var email: String?

        @Option(name: .customLong("country-code"), help: "The phone's country calling code (34, +34 or 0034).")
        var countryCode: String?

        @Option(help: "The phone number, national or international.")
        var phone: String?

        @Option(
            name: .customLong("field"), help: ArgumentHelp("A customer field (repeatable).", valueName: "name=value"))
        var fields: [String] = []

        func validate() throws {
            if phone != nil, countryCode == nil, !(phone!.hasPrefix("+") || phone!.hasPrefix("00")) {
                throw ValidationError("--phone needs --country-code unless it is written as +CC… or 00CC…")
            }
            if countryCode != nil, phone == nil { throw ValidationError("--country-code needs --phone") }
            for field in fields where !field.contains("=") {
                throw ValidationError("--field \(field): write it as name=value")
            }
        }

        func run() throws {
            let store = try storeOptions.open()
            let phoneNumber = try phone.map { raw in
                try parsePhone(countryCode: countryCode, phone: raw)
            }
            let pairs = fields.map { field -> (name: String, value: String) in
                let parts = field.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                return (String(parts[0]), String(parts[1]))
            }
            let customer = try store.addCustomer(crmId: crmId, email: email, phone: phoneNumber, fields: pairs)
            try report(customer, store: store, json: output.json, verb: "Added", command: "customer add")
            let matches = try store.candidates(crmId)
            if matches.count > 1 {
                let kinds = matches.map(\.kind).filter { $0 != .crmId }.map(\.rawValue).joined(separator: ", ")
                Output.note(
                    "note: \"\(crmId)\" is also the \(kinds) of another customer, so it is ambiguous as an ID: "
                        + "name this customer crm:\(CRMID.trim(crmId)) in commands that change or disclose data")
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show everything held on a customer, in clear.")

        @OptionGroup var storeOptions: StoreOptions
        @OptionGroup var output: OutputOptions

        @Argument(help: ArgumentHelp(idHelp, valueName: "id"))
        var id: String

        func run() throws {
            let store = try storeOptions.open()
            let matches = try store.candidates(id)
            if matches.count > 1 {
                try AmbiguousShow(id: id, matches: matches, store: store, json: output.json).run()
                throw ExitCode.failure
            }
            let customer = try store.customer(id)
            try report(customer, store: store, json: output.json, verb: nil, command: "customer show")
        }
    }

    struct Set: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Set a customer field, or the email or phone channel.",
            discussion: """
                FIELD is a field name (case-insensitive), or `email`, or `phone` (international: +34600112233). \
                A field's type (text, date YYYY-MM-DD, number, boolean) is fixed by its first value, or by --type; \
                later values must fit it. A date is written YYYY-MM-DD (or --MM-DD, after --, for a birthday \
                without a year): one value alone cannot tell 06/12 in June from 06/12 in December, so the other \
                forms an import reads are refused here.
                """)

        @OptionGroup var storeOptions: StoreOptions
        @OptionGroup var output: OutputOptions

        @Argument(help: ArgumentHelp(idHelp, valueName: "id"))
        var id: String

        @Argument(help: "The field name, or email, or phone.")
        var field: String

        @Argument(help: "The new value.")
        var value: String

        @Option(help: "Declare the type of a new field: text, date, number or boolean.")
        var type: FieldType?

        func run() throws {
            let store = try storeOptions.open()
            let customer = try store.set(id, field: field, value: value, type: type)
            try report(customer, store: store, json: output.json, verb: "Updated", command: "customer set")
        }
    }

    struct Unset: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove a customer field, or the email or phone channel.")

        @OptionGroup var storeOptions: StoreOptions
        @OptionGroup var output: OutputOptions

        @Argument(help: ArgumentHelp(idHelp, valueName: "id"))
        var id: String

        @Argument(help: "The field name, or email, or phone.")
        var field: String

        func run() throws {
            let store = try storeOptions.open()
            let customer = try store.unset(id, field: field)
            try report(customer, store: store, json: output.json, verb: "Updated", command: "customer unset")
        }
    }

    struct ConsentCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "consent", abstract: "Turn a channel of a customer on or off.")

        @OptionGroup var storeOptions: StoreOptions
        @OptionGroup var output: OutputOptions

        @Argument(help: ArgumentHelp(idHelp, valueName: "id"))
        var id: String

        @Argument(help: "email, sms or push.")
        var channel: Channel

        @Argument(help: "on or off.")
        var state: Switch

        func run() throws {
            let store = try storeOptions.open()
            let customer = try store.setConsent(id, channel: channel, enabled: state == .on)
            try report(customer, store: store, json: output.json, verb: "Updated", command: "customer consent")
        }
    }
}

enum Switch: String, ExpressibleByArgument, CaseIterable {
    case on, off
}

extension Channel: ExpressibleByArgument {}
extension FieldType: ExpressibleByArgument {}
extension DevicePlatform: ExpressibleByArgument {}

/// A phone from `--country-code` and `--phone`, or from an international `--phone` alone.
func parsePhone(countryCode: String?, phone: String) throws -> PhoneNumber {
    do {
        if let countryCode { return try PhoneNumber.normalize(countryCode: countryCode, phone: phone) }
        return try PhoneNumber.parseInternational(phone)
    } catch {
        throw RosterError.invalidIdentifier(error)
    }
}

/// Prints a customer as JSON or as text for a person: everything held on it, in clear, so the disclosure is audited
/// (`command` says which one showed it), after a change as after `show`.
func report(_ customer: Customer, store: Store, json: Bool, verb: String?, command: String) throws {
    let devices = try store.devices(of: customer)
    try store.audit(.reveal, subject: customer.externalCode, detail: command)
    if json {
        var document = customer.json(devices: devices)
        if case .object(var members) = document {
            members.insert(("region", .string(store.region)), at: 0)
            document = .object(members)
        }
        Output.json(document)
        return
    }
    if let verb { Output.note("\(verb) customer \(customer.externalCode).") }
    Output.line(CustomerText.render(customer, devices: devices, store: store))
}
