import RosterCore

/// Counts the values of a column over a list's rows, and says for each value the filter that lists its rows.
enum FrequencyCounter {
    /// The table for `request`; nil when `cancelled` said so before the end.
    static func count(_ request: FrequencyRequest, cancelled: () -> Bool) -> FrequencyTable? {
        var counts: [String: Int] = [:]
        var filters: [String: String?] = [:]
        let rows = request.rows
        let entry = entryFunction(request)
        for position in 0..<rows.count {
            if position & 0xFFFF == 0 && cancelled() { return nil }
            let (label, filter) = entry(rows[position])
            if counts[label] == nil { filters[label] = filter }
            counts[label, default: 0] += 1
        }
        let entries = counts.map { FrequencyEntry(label: $0.key, count: $0.value, filter: filters[$0.key] ?? nil) }
            .sorted { $0.count != $1.count ? $0.count > $1.count : $0.label < $1.label }
        return FrequencyTable(entries: entries, total: rows.count)
    }

    /// A value quoted for the filter language; nil when it cannot be (it holds a quote or a line break).
    static func quoted(_ value: String) -> String? {
        guard !value.contains("\""), !value.contains(where: \.isNewline) else { return nil }
        return "\"" + value + "\""
    }

    /// How a row is counted: its label and the filter for it.
    static func entryFunction(_ request: FrequencyRequest) -> (Int) -> (String, String?) {
        if !request.view.showsCustomers {
            let devices = request.devices?.devices ?? []
            let column = request.column
            return { index in
                let value = deviceValue(column, devices[index])
                return (value, quoted(value).map { "\(column.name) = \($0)" })
            }
        }
        guard let workingSet = request.customers?.workingSet else { return { _ in ("", nil) } }
        let view = request.view
        switch request.column {
        case .externalCode:
            return { row in
                let code = workingSet.externalCodes[row]
                return (code, "externalCode = \(code)")
            }
        case .crmId:
            return { row in
                guard let id = workingSet.crmIds[row] else { return ("(none)", nil) }
                return (id, quoted(id).map { "crmId = \($0)" })
            }
        case .email:
            return { channelEntry("email", present: workingSet.emails.isPresent($0), workingSet.consent[$0].email) }
        case .phone:
            return { channelEntry("sms", present: workingSet.phones.isPresent($0), workingSet.consent[$0].sms) }
        case .devices:
            return { row in
                let count = Int(workingSet.deviceCounts[row])
                return count == 0 ? ("none", "not has push") : (String(count), nil)
            }
        case .consent:
            return { row in
                let consent = workingSet.consent[row]
                if view == .email { return channelEntry("email", present: true, consent.email) }
                if view == .sms { return channelEntry("sms", present: true, consent.sms) }
                let parts = [
                    ("email", "E", workingSet.emails.isPresent(row), consent.email),
                    ("sms", "S", workingSet.phones.isPresent(row), consent.sms),
                    ("push", "P", workingSet.deviceCounts[row] > 0, consent.push),
                ]
                let label = parts.map { CustomerListView.mark($0.1, has: $0.2, on: $0.3) }.joined(separator: " ")
                let filter = parts.map { part in
                    !part.2
                        ? "not has \(part.0)" : part.3 ? "consent \(part.0)" : "has \(part.0) and not consent \(part.0)"
                }.joined(separator: " and ")
                return (label, filter)
            }
        case .field(let key):
            guard let column = workingSet.column(named: key) else { return { _ in ("(none)", nil) } }
            let values = column.values
            let name = column.name.contains(" ") ? nil : column.name
            let bucket = column.type == .date ? request.bucket : nil
            return { row in
                guard let value = values[row] else { return ("(none)", name.map { "not has \($0)" }) }
                guard let name else { return (value, nil) }
                if let bucket { return dateBucket(value, bucket, field: name) }
                return (value, quoted(value).map { "\(name) = \($0)" })
            }
        default:
            return { _ in ("", nil) }
        }
    }

    /// A channel counted by presence and consent: `consented`, `refused`, `none`.
    static func channelEntry(_ channel: String, present: Bool, _ consented: Bool) -> (String, String?) {
        guard present else { return ("none", "not has \(channel)") }
        return consented
            ? ("consented", "consent \(channel)") : ("refused", "has \(channel) and not consent \(channel)")
    }

    /// A date counted by year (`1990`) or month (`1990-03`), filtered by its range.
    static func dateBucket(_ value: String, _ bucket: String, field: String) -> (String, String?) {
        let parts = value.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3 else { return (value, nil) }
        let (year, month) = (parts[0], parts[1])
        func date(_ y: Int, _ m: Int) -> String {
            String(format4(y)) + "-" + (m < 10 ? "0\(m)" : "\(m)") + "-01"
        }
        if bucket == "year" {
            return (String(format4(year)), "\(field) >= \(date(year, 1)) and \(field) < \(date(year + 1, 1))")
        }
        let next = month == 12 ? (year + 1, 1) : (year, month + 1)
        let label = String(format4(year)) + "-" + (month < 10 ? "0\(month)" : "\(month)")
        return (label, "\(field) >= \(date(year, month)) and \(field) < \(date(next.0, next.1))")
    }

    private static func format4(_ year: Int) -> String {
        let text = String(year)
        return String(repeating: "0", count: max(0, 4 - text.count)) + text
    }

    /// A device's value in a column, as a frequency table and a device filter compare it.
    static func deviceValue(_ column: ListColumn, _ device: Device) -> String {
        switch column {
        case .externalCode: return device.externalCode ?? "anonymous"
        default: return ListTable.deviceCell(column, device, kind: .devices).0
        }
    }
}
