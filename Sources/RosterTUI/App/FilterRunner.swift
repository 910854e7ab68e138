import RosterModel

/// Runs a list's filter: the segments language when the text parses, else a plain-text search.
public enum FilterRunner {
    /// The rows of `request.view` that match, ascending.
    public static func run(_ request: FilterRequest, store: ConsoleStore) -> FilterResult {
        let text = request.text.trimmingSpaces
        switch request.view {
        case .customers, .email, .sms:
            guard let customers = request.customers else {
                return FilterResult(generation: request.generation, view: request.view, rows: [], mode: .text)
            }
            var rows: [Int32]
            var mode: ConsoleState.Filter.Mode
            do {
                rows = try store.filter(text, in: customers.workingSet)
                mode = .segment
            } catch {
                if looksLikeFilter(text) {
                    rows = []
                    mode = invalid(ConsoleFailure(error).message)
                } else {
                    rows = store.search(text, in: customers.workingSet)
                    mode = .text
                }
            }
            if request.view == .email { rows = intersect(rows, customers.emailRows) }
            if request.view == .sms { rows = intersect(rows, customers.smsRows) }
            return FilterResult(generation: request.generation, view: request.view, rows: rows, mode: mode)
        case .devices, .push:
            let devices = request.devices?.devices ?? []
            let base: [Int32] =
                request.view == .push
                ? request.devices?.pushRows ?? [] : devices.indices.map { Int32($0) }
            // `platform = "ios" and locale = "es-ES"` (what a frequency table's Enter applies) matches exactly.
            if let conditions = deviceConditions(text) {
                let rows = base.filter { row in
                    conditions.allSatisfy { FrequencyCounter.deviceValue($0.column, devices[Int(row)]) == $0.value }
                }
                return FilterResult(generation: request.generation, view: request.view, rows: rows, mode: .segment)
            }
            let needle = text.lowercased()
            let rows = base.filter { matches(devices[Int($0)], needle) }
            return FilterResult(generation: request.generation, view: request.view, rows: rows, mode: .text)
        }
    }

    /// Whether text that did not parse was meant as the segments language: it holds an operator or a parenthesis,
    /// starts with a keyword (`has`, `not`, `consent`, `birthday`), or names a segment (`@`). Anything else is a
    /// plain-text search.
    public static func looksLikeFilter(_ text: String) -> Bool {
        if text.contains(where: { "=<>~()".contains($0) }) { return true }
        let first = text.trimmingSpaces.prefix { $0 != " " }.lowercased()
        if ["has", "not", "consent", "birthday"].contains(first) { return true }
        // `@NAME` as a word of its own; an email typed as plain text (`ana@example.com`) stays a search.
        return text.split(whereSeparator: { $0 == " " || $0 == "(" }).contains { $0.hasPrefix("@") }
    }

    /// The error mode for a parser message `query:LINE:COLUMN: message` (column 1 when it has none).
    static func invalid(_ message: String) -> ConsoleState.Filter.Mode {
        guard let range = message.range(of: "query:") else { return .invalid(message: message, column: 1) }
        let parts = message[range.upperBound...].split(separator: ":", maxSplits: 2)
        guard parts.count == 3, Int(parts[0]) != nil, let column = Int(parts[1]) else {
            return .invalid(message: message, column: 1)
        }
        return .invalid(message: String(parts[2]).trimmingSpaces, column: max(1, column))
    }

    /// Whether a device's identifiers or description contain `needle` (lower-cased).
    static func matches(_ device: Device, _ needle: String) -> Bool {
        let values: [String?] = [
            device.deviceId, device.platform.rawValue, device.externalCode, device.locale, device.timeZone,
            device.browserName, device.osName, device.deviceType, device.enabled ? "enabled" : "disabled",
        ]
        return values.contains { $0?.lowercased().contains(needle) ?? false }
    }

    /// The rows in both ascending lists.
    static func intersect(_ left: [Int32], _ right: [Int32]) -> [Int32] {
        var result: [Int32] = []
        var (i, j) = (0, 0)
        while i < left.count && j < right.count {
            if left[i] < right[j] {
                i += 1
            } else if left[i] > right[j] {
                j += 1
            } else {
                result.append(left[i])
                i += 1
                j += 1
            }
        }
        return result
    }

    /// `COLUMN = "VALUE"` conditions joined by `and`, on device columns; nil when the text is not that.
    static func deviceConditions(_ text: String) -> [(column: ListColumn, value: String)]? {
        var conditions: [(column: ListColumn, value: String)] = []
        var rest = Substring(text.trimmingSpaces)
        while true {
            let name = rest.prefix { $0 != " " && $0 != "=" }
            guard let column = ListColumn.deviceColumns.first(where: { $0.name.lowercased() == name.lowercased() })
            else { return nil }
            rest = rest.dropFirst(name.count).drop { $0 == " " }
            guard rest.first == "=" else { return nil }
            rest = rest.dropFirst().drop { $0 == " " }
            guard rest.first == "\"", let close = rest.dropFirst().firstIndex(of: "\"") else { return nil }
            conditions.append((column, String(rest[rest.index(after: rest.startIndex)..<close])))
            rest = rest[rest.index(after: close)...].drop { $0 == " " }
            if rest.isEmpty { return conditions }
            guard rest.lowercased().hasPrefix("and ") else { return nil }
            rest = rest.dropFirst(4).drop { $0 == " " }
        }
    }
}
