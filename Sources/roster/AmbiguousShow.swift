import Foundation
import RosterCore
import RosterModel

/// The help text of every ID argument.
let idHelp =
    "CRM id, externalCode, email, E.164 phone or deviceId; or a typed ID (crm:, code:, email:, phone:, device:) "
    + "when one value names different customers."

/// `customer show` with an ID that names several customers: says so and shows each candidate with the kind it
/// matched as, so the operator can pick one with a typed ID. Each shown customer is audited as revealed.
struct AmbiguousShow {
    let id: String
    let matches: [IDMatch]
    let store: Store
    let json: Bool

    func run() throws {
        var documents: [JSONValue] = []
        for match in matches {
            let customer = try self.customer(match)
            if let customer {
                try store.audit(.reveal, subject: customer.externalCode, detail: "customer show (ambiguous ID)")
            }
            let typed = match.kind.prefix + TypedID(id).value
            if json {
                var members: [(String, JSONValue)] = [
                    ("matchedAs", .string(match.kind.rawValue)), ("typedId", .string(typed)),
                ]
                if let customer {
                    members.append(("customer", customer.json(devices: try store.devices(of: customer))))
                }
                documents.append(.object(members))
                continue
            }
            Output.line("As \(match.kind.rawValue) (\(Output.safe(typed))):")
            if let customer {
                Output.line(CustomerText.render(customer, devices: try store.devices(of: customer), store: store))
            } else {
                Output.line("  an anonymous device (no customer is logged in on it)")
            }
        }
        if json {
            Output.json(
                .object([
                    ("region", .string(store.region)), ("ambiguous", .string(id)), ("candidates", .array(documents)),
                ]))
        }
        Output.error(
            "\"\(id)\" is ambiguous: it names \(matches.count) different customers (shown above); "
                + "name one with a typed ID: "
                + matches.map { $0.kind.prefix + TypedID(id).value }.joined(separator: " or "))
    }

    private func customer(_ match: IDMatch) throws -> Customer? {
        switch match.subject {
        case .customer(let customer): return customer
        case .device(let device): return try device.customerRowID.map { try store.customer(rowID: $0) }
        }
    }
}
