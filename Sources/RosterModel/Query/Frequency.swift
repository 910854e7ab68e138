/// One value of a frequency table: how many of the rows hold it, and the filter that selects them.
public struct FrequencyEntry: Sendable, Equatable {
    /// The value as shown: the first row's own text for text (values equal once folded are one entry), `1990-05-12`,
    /// `1990`, `May`, `true`; `(missing)` for the rows without a value.
    public let value: String
    public let isMissing: Bool
    public let count: Int
    /// `count` over the number of rows counted (0 when there are none).
    public let share: Double
    /// Filter-language text that selects exactly these rows among the rows counted (`city = "Madrid"`,
    /// `not has city`, `birthdate month = 5`), or nil where the language has no condition for it (a device count
    /// above zero, a field named like an identifier, the generic counts).
    public let filter: String?

    public static let missingLabel = "(missing)"

    public init(value: String, isMissing: Bool = false, count: Int, share: Double, filter: String?) {
        self.value = value
        self.isMissing = isMissing
        self.count = count
        self.share = share
        self.filter = filter
    }
}

/// How a date column's values are grouped.
public enum DateBucket: String, Sendable, CaseIterable {
    /// Each date.
    case day
    /// The month of the year, across years: every May birthday together (birth months), twelve entries at most.
    case month
    /// The year; a birthday stored without one (`--05-12`) is year 0, shown `(no year)`.
    case year
}

/// A column's values with their counts: most frequent first, ties in value order, the rows without a value as one
/// `(missing)` entry (after the values of the same count).
public struct FrequencyTable: Sendable {
    /// The column counted (nil for counts of arbitrary values).
    public let column: ColumnKey?
    /// The grouping of a date column (nil for other columns).
    public let bucket: DateBucket?
    /// The number of rows counted.
    public let total: Int
    public let entries: [FrequencyEntry]

    public init(column: ColumnKey?, bucket: DateBucket?, total: Int, entries: [FrequencyEntry]) {
        self.column = column
        self.bucket = bucket
        self.total = total
        self.entries = entries
    }

    /// The counts of arbitrary values (the console's Devices view: platform, locale, time zone), equal exactly as
    /// written; nil is the missing value. Entries have no filter.
    public static func counting<Values: Sequence<String?>>(_ values: Values) -> FrequencyTable {
        var counts: [String: Int] = [:]
        var missing = 0
        var total = 0
        for value in values {
            total += 1
            if let value { counts[value, default: 0] += 1 } else { missing += 1 }
        }
        var groups = counts.map { Group(order: .text($0.key), value: $0.key, count: $0.value, filter: nil) }
        if missing > 0 { groups.append(Group(order: .missing, value: "", count: missing, filter: nil)) }
        return FrequencyTable(groups, total: total, column: nil, bucket: nil)
    }

    /// A group of rows before it becomes an entry.
    struct Group {
        enum Order {
            case missing
            /// This many values left out past `maximumEntries`, their rows summed: listed last whatever its count.
            case others(Int)
            case text(String)
            case bytes([UInt8])
            case integer(Int64)
            case number(Double, String)
        }

        var order: Order
        var value: String
        var count: Int
        var filter: String?

        var isMissing: Bool {
            switch order {
            case .missing: return true
            default: return false
            }
        }

        /// How many values this group sums, if it is the one of values left out.
        var othersCount: Int? {
            if case .others(let values) = order { return values }
            return nil
        }

        /// Value order among groups of the same count; missing last.
        static func precedes(_ left: Group, _ right: Group) -> Bool {
            switch (left.order, right.order) {
            case (.missing, _): return false
            case (_, .missing): return true
            case (.text(let a), .text(let b)): return a.utf8.lexicographicallyPrecedes(b.utf8)
            case (.bytes(let a), .bytes(let b)): return a.lexicographicallyPrecedes(b)
            case (.integer(let a), .integer(let b)): return a < b
            case (.number(let a, let aText), .number(let b, let bText)):
                return a != b ? a < b : DecimalText.compare(aText, bText) < 0
            default: return false
            }
        }
    }

    /// The most entries a table lists; the values past them (the least frequent, then the last in value order) are
    /// summed in one last entry, `(N more values)`, with no filter. A column of all-distinct values (CRM ids,
    /// externalCodes) would otherwise make an entry per customer: at 10M customers 18 s and 3 GB more.
    public static let maximumEntries = 100_000

    /// The label of the entry that sums `values` values left out.
    static func othersLabel(_ values: Int) -> String { "(\(values) more values)" }

    init(_ groups: [Group], total: Int, column: ColumnKey?, bucket: DateBucket?, limit: Int = maximumEntries) {
        func ordered(_ groups: [Group]) -> [Group] {
            groups.sorted { left, right in
                left.count != right.count ? left.count > right.count : Group.precedes(left, right)
            }
        }
        // The values, capped; the rows without a value are always listed, in their place by count.
        var values = ordered(groups.filter { $0.count > 0 && $0.othersCount == nil && !$0.isMissing })
        // Values already left out by whoever made the groups, and those past the limit here.
        var others = groups.reduce((values: 0, rows: 0)) { sum, group in
            (sum.values + (group.othersCount ?? 0), sum.rows + (group.othersCount == nil ? 0 : group.count))
        }
        if values.count > limit {
            others.values += values.count - limit
            others.rows += values[limit...].reduce(0) { $0 + $1.count }
            values.removeSubrange(limit...)
        }
        var listed = ordered(values + groups.filter { $0.count > 0 && $0.isMissing })
        if others.values > 0 {
            listed.append(
                Group(
                    order: .others(others.values), value: FrequencyTable.othersLabel(others.values), count: others.rows)
            )
        }
        self.init(
            column: column, bucket: bucket, total: total,
            entries: listed.map { group in
                let isMissing = group.isMissing
                return FrequencyEntry(
                    value: isMissing ? FrequencyEntry.missingLabel : group.value, isMissing: isMissing,
                    count: group.count, share: total == 0 ? 0 : Double(group.count) / Double(total),
                    filter: group.filter)
            })
    }
}
