import Foundation
import RosterCore
import RosterModel
import RosterTUI

/// The text form of `customer show`: values in clear (the operator asked), control characters escaped.
enum CustomerText {
    static func render(_ customer: Customer, devices: [Device], store: Store) -> String {
        var lines: [String] = []
        func row(_ label: String, _ value: String) {
            // A field's name longer than the labels is shown whole, then a space.
            let label = Output.safe(label)
            lines.append("  " + Output.padded(label, to: max(14, TextWidth.of(label) + 1)) + Output.safe(value))
        }
        lines.append("Customer \(customer.externalCode)   (store \(store.path), region \(store.region))")
        row("CRM id", customer.crmId)
        row(
            "origin",
            customer.origin == .explicit ? "explicit CRM id" : "created from its \(customer.origin.rawValue) alone")
        lines.append("Channels")
        row("email", customer.email.map { "\($0)  \(mark(customer.consent.email))" } ?? "—")
        row("sms", customer.phone.map { "\($0)  \(mark(customer.consent.sms))" } ?? "—")
        row("push", "\(devices.count) device\(devices.count == 1 ? "" : "s")  \(mark(customer.consent.push))")
        lines.append("Fields")
        if customer.fields.isEmpty { lines.append("  (none)") }
        for (key, field) in customer.fields.sorted(by: { $0.key < $1.key }) {
            row(key, "\(field.value)   (\(field.type.rawValue))")
        }
        if !devices.isEmpty {
            lines.append("Devices")
            for device in devices {
                let details = [
                    device.platform.rawValue, device.enabled ? "enabled" : "disabled", device.locale, device.timeZone,
                ]
                .compactMap { $0 }.joined(separator: "  ")
                lines.append("  \(Output.safe(device.deviceId))  \(Output.safe(details))")
            }
        }
        if !customer.history.isEmpty {
            lines.append("History")
            for entry in customer.history {
                lines.append(
                    "  \(Timestamp.iso8601(entry.at))  merged customer \(entry.externalCode), created from its "
                        + "\(entry.origin.rawValue) alone")
            }
        }
        return lines.joined(separator: "\n")
    }

    static func mark(_ enabled: Bool) -> String { enabled ? "consent on" : "consent off" }
}
