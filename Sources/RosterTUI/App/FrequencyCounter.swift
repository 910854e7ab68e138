import RosterModel

/// Counts the values of a column over a list's rows: RosterCore's frequency tables for customers (each entry with
/// the filter that lists its rows), and device attributes counted here.
enum FrequencyCounter {
    /// The table for `request`; nil when `cancelled` said so before the end.
    static func count(
        _ request: FrequencyRequest, store: ConsoleStore, cancelled: @escaping @Sendable () -> Bool
    ) -> FrequencyTable? {
        guard request.view.showsCustomers else { return devices(request, cancelled: cancelled) }
        guard let workingSet = request.customers?.workingSet, let key = request.column.columnKey else { return nil }
        let index = store.filterIndex(for: workingSet)
        let rows: [Int32]? =
            switch request.rows {
            case .all: nil
            case .indices(let list): list
            }
        // Channels count by consent (a frequency of the addresses themselves would show them unmasked).
        switch key {
        case .email: return index.consentFrequency(.email, rows: rows)
        case .phone: return index.consentFrequency(.sms, rows: rows)
        case .consent where request.view == .email: return index.consentFrequency(.email, rows: rows)
        case .consent where request.view == .sms: return index.consentFrequency(.sms, rows: rows)
        default:
            return index.frequency(of: key, rows: rows, bucket: request.bucket ?? .day, isCancelled: cancelled)
        }
    }

    /// Devices counted by a column's value, each with the device filter that lists them (`platform = "ios"`).
    static func devices(_ request: FrequencyRequest, cancelled: () -> Bool) -> FrequencyTable? {
        let devices = request.devices?.devices ?? []
        var counts: [String: Int] = [:]
        let rows = request.rows
        for position in 0..<rows.count {
            if position & 0xFFFF == 0 && cancelled() { return nil }
            counts[deviceValue(request.column, devices[rows[position]]), default: 0] += 1
        }
        let total = rows.count
        let entries = counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.map {
            FrequencyEntry(
                value: $0.key, count: $0.value, share: total == 0 ? 0 : Double($0.value) / Double(total),
                filter: quoted($0.key).map { "\(request.column.name) = \($0)" })
        }
        return FrequencyTable(column: nil, bucket: nil, total: total, entries: entries)
    }

    /// A value quoted for the device filter; nil when it cannot be (it holds a quote or a line break).
    static func quoted(_ value: String) -> String? {
        guard !value.contains("\""), !value.contains(where: \.isNewline) else { return nil }
        return "\"" + value + "\""
    }

    /// A device's value in a column, as a frequency table and a device filter compare it.
    static func deviceValue(_ column: ListColumn, _ device: Device) -> String {
        switch column {
        case .externalCode: return device.externalCode ?? "anonymous"
        default: return ListTable.deviceCell(column, device, kind: .devices).0
        }
    }
}
