import RosterModel

/// A customer's detail: identifiers, channels with consent, fields, devices and merge history.
enum DetailView {
    static func lines(_ screen: DetailScreen) -> [StyledLine] {
        if let error = screen.error { return [StyledLine("Could not open the customer: \(error)", .error)] }
        guard let detail = screen.detail else { return [StyledLine("Decrypting…", .dim)] }
        let customer = detail.customer
        let revealed = screen.revealed
        func row(_ label: String, _ value: String, _ slot: Slot = .body) -> StyledLine {
            // Padded by the width the terminal gives it (accents that combine, wide characters); a longer label
            // is shown whole, then a space.
            let padding = max(1, 14 - TextWidth.of(label))
            return StyledLine([Span(label + String(repeating: " ", count: padding), .dim), Span(value, slot)])
        }
        func consent(_ on: Bool) -> Span { Span(on ? "  consent on" : "  consent off", on ? .accent : .dim) }
        let maskedSlot: Slot = revealed ? .accent : .masked
        var lines: [StyledLine] = [
            row("externalCode", customer.externalCode),
            row("CRM id", customer.origin.isChannelOnly && !revealed ? maskCRMId(customer) : customer.crmId),
            row("origin", customer.origin.rawValue),
            row("created", Timestamp.iso8601(customer.createdAt)),
            row("updated", Timestamp.iso8601(customer.updatedAt)),
            StyledLine(),
            StyledLine("Channels", .accent),
        ]
        var email = row("email", customer.email.map { revealed ? $0 : Mask.email($0) } ?? "-", maskedSlot)
        if customer.email != nil { email.spans.append(consent(customer.consent.email)) }
        var phone = row("sms", customer.phone.map { revealed ? $0 : Mask.phone($0) } ?? "-", maskedSlot)
        if customer.phone != nil { phone.spans.append(consent(customer.consent.sms)) }
        var push = row("push", detail.devices.isEmpty ? "-" : "\(detail.devices.count) device(s)")
        if !detail.devices.isEmpty { push.spans.append(consent(customer.consent.push)) }
        lines += [email, phone, push, StyledLine(), StyledLine("Fields", .accent)]
        if customer.fields.isEmpty { lines.append(StyledLine("none", .dim)) }
        for (key, field) in customer.fields.sorted(by: { $0.key < $1.key }) {
            var line = row(key, field.value)
            line.spans.append(Span("  \(field.type.rawValue)", .dim))
            lines.append(line)
        }
        lines += [StyledLine(), StyledLine("Devices", .accent)]
        if detail.devices.isEmpty { lines.append(StyledLine("none", .dim)) }
        for device in detail.devices {
            let described = [
                device.platform.rawValue, device.enabled ? "enabled" : "disabled", device.locale, device.timeZone,
            ]
            .compactMap { $0 }.joined(separator: "  ")
            lines.append(StyledLine([Span(device.deviceId + "  "), Span(described, .dim)]))
        }
        if !customer.history.isEmpty {
            lines += [StyledLine(), StyledLine("Merge history", .accent)]
            for entry in customer.history {
                lines.append(
                    StyledLine(
                        "\(Timestamp.iso8601(entry.at))  merged \(Format.short(entry.externalCode, 17)) "
                            + "(created from \(entry.origin.rawValue))"))
            }
        }
        return lines
    }

    /// A channel-only customer's CRM id is its email or phone: masked like them.
    private static func maskCRMId(_ customer: Customer) -> String {
        customer.origin == .email ? Mask.email(customer.crmId) : Mask.phone(customer.crmId)
    }
}
