import HeapModule
import RosterConcurrency

extension FilterIndex {
    /// The frequency table of column `key` over `rows` (every row when nil): each distinct value with its count, most
    /// frequent first. Text is grouped by its folded form, as `=` compares it (`Madrid` and `MADRID` are one entry,
    /// shown as the first row's text); a date column by `bucket` (a day, the month of the year, or the year);
    /// consent by the marks of the three channels. Each entry carries the filter that selects exactly its rows.
    /// Returns nil when `isCancelled` said so, or when the working set has no such field.
    public func frequency(
        of key: ColumnKey, rows: [Int32]? = nil, bucket: DateBucket = .day,
        isCancelled: @Sendable () -> Bool = { false }
    ) -> FrequencyTable? {
        let total = rows?.count ?? count
        func table(_ groups: [FrequencyTable.Group]?, bucket: DateBucket? = nil) -> FrequencyTable? {
            guard let groups, !isCancelled() else { return nil }
            return FrequencyTable(groups, total: total, column: key, bucket: bucket, limit: frequencyLimit)
        }
        switch key {
        case .crmId: return table(textGroups(crmIds, raw: rawCRMIds, name: "crmId", rows, isCancelled))
        case .email: return table(textGroups(emails, raw: rawEmails, name: "email", rows, isCancelled))
        case .phone: return table(textGroups(phones, raw: rawPhones, name: "phone", rows, isCancelled))
        case .externalCode: return table(externalCodeGroups(rows, isCancelled))
        case .devices: return table(deviceGroups(rows))
        case .consent: return table(consentGroups(rows))
        case .field(let name):
            guard let index = columns.firstIndex(where: { $0.key == name.lowercased() }) else { return nil }
            let field = field(at: index)
            let raw = columns[index].values
            switch field.storage {
            case .text(let column):
                let equals = FilterText.equals(field: field.name, "") != nil
                return table(
                    textGroups(
                        column, raw: raw, name: equals ? field.name : nil, rows, isCancelled,
                        missing: FilterText.missing(field: field.name, type: .text), counts: field.counts))
            case .date(let dates):
                return table(
                    dateGroups(dates, field: field.name, bucket: bucket, rows, counts: field.counts), bucket: bucket)
            case .number(let numbers): return table(numberGroups(numbers, field: field, raw: raw, rows, isCancelled))
            case .boolean(let values): return table(booleanGroups(values, field: field.name, rows))
            }
        }
    }

    /// Which customers have each channel (entries overlap: a customer with an email and a phone counts in both, so
    /// shares add up to more than 100 %), and `(none)` for those with none.
    public func channelFrequency(rows: [Int32]? = nil) -> FrequencyTable {
        var counts = [0, 0, 0, 0]
        if let rows {
            for row in rows.lazy.map(Int.init) {
                let email = hasEmail.contains(row)
                let sms = hasSMS.contains(row)
                let push = hasPush.contains(row)
                if email { counts[0] += 1 }
                if sms { counts[1] += 1 }
                if push { counts[2] += 1 }
                if !email && !sms && !push { counts[3] += 1 }
            }
        } else {
            // Every row: the sets' own bits, a word at a time.
            counts = [
                hasEmail.cardinality, hasSMS.cardinality, hasPush.cardinality,
                RowSet.countInNone([hasEmail, hasSMS, hasPush], count: count),
            ]
        }
        let groups: [FrequencyTable.Group] = [
            .init(order: .integer(0), value: "email", count: counts[0], filter: "has email"),
            .init(order: .integer(1), value: "sms", count: counts[1], filter: "has sms"),
            .init(order: .integer(2), value: "push", count: counts[2], filter: "has push"),
            .init(
                order: .integer(3), value: "(none)", count: counts[3],
                filter: "not has email and not has sms and not has push"),
        ]
        return FrequencyTable(groups, total: rows?.count ?? count, column: nil, bucket: nil)
    }

    /// A channel's consent: `on` (consented, with the channel present), `off` (present, refused) and `(no email)`
    /// (the channel is absent: no email, no phone, no device).
    public func consentFrequency(_ channel: Channel, rows: [Int32]? = nil) -> FrequencyTable {
        let (present, consented): (RowSet, RowSet) =
            switch channel {
            case .email: (hasEmail, consentEmail)
            case .sms: (hasSMS, consentSMS)
            case .push: (hasPush, consentPush)
            }
        var counts = [0, 0, 0]
        if let rows {
            for row in rows.lazy.map(Int.init) {
                counts[present.contains(row) ? (consented.contains(row) ? 0 : 1) : 2] += 1
            }
        } else {
            // Every row: the sets' own bits, a word at a time.
            let on = present.countInCommon(with: consented)
            let withChannel = present.cardinality
            counts = [on, withChannel - on, count - withChannel]
        }
        let name = channel.rawValue
        let groups: [FrequencyTable.Group] = [
            .init(order: .integer(0), value: "on", count: counts[0], filter: "consent \(name)"),
            .init(order: .integer(1), value: "off", count: counts[1], filter: "has \(name) and not consent \(name)"),
            .init(order: .integer(2), value: "(no \(name))", count: counts[2], filter: "not has \(name)"),
        ]
        return FrequencyTable(groups, total: rows?.count ?? count, column: nil, bucket: nil)
    }

    private func forEach(_ rows: [Int32]?, _ body: (Int) -> Void) {
        if let rows { for row in rows { body(Int(row)) } } else { for row in 0..<count { body(row) } }
    }

    // MARK: - Grouping by type

    /// Text grouped by folded value: a dictionary's codes counted (or their counts kept with the field, `counts`), else
    /// a hash table per core, merged, else, for clearly more values than a table lists, runs of the column's sort.
    /// `name` is how `=` names the column (nil when it cannot), `missing` the condition for rows without a value
    /// (`name = ""` when nil).
    private func textGroups(
        _ column: FoldedTextColumn, raw: TextColumn, name: String?, _ rows: [Int32]?,
        _ isCancelled: @Sendable () -> Bool, missing: String? = nil, counts: ColumnCounts? = nil
    ) -> [FrequencyTable.Group]? {
        if column.codes == nil, clearlyMoreDistinct(column, rows, than: frequencyLimit) {
            return sortedTextGroups(column, raw: raw, name: name, rows, isCancelled, missing: missing)
        }
        guard
            let groups = column.codes != nil
                ? dictionaryGroups(column, rows, kept: counts) : hashedGroups(column, rows, isCancelled)
        else { return nil }
        guard !isCancelled() else { return nil }
        // Ranks in folded order, so that ties in count list in value order.
        let firstRows = groups.rows
        let order = column.bytes.withUnsafeBufferPointer { buffer in
            firstRows.indices.sorted { left, right in
                column.compareRows(Int(firstRows[left]), Int(firstRows[right]), in: buffer) < 0
            }
        }
        var rank = [Int](repeating: 0, count: order.count)
        for (position, group) in order.enumerated() { rank[group] = position }
        // Texts only for the groups the table lists.
        var kept = KeptGroups(limit: frequencyLimit)
        for group in groups.rows.indices {
            kept.offer(count: groups.counts[group], rank: Int64(rank[group]), row: groups.rows[group])
        }
        var result = kept.groups { group in
            textGroup(raw: raw, name: name, row: Int(group.row), rank: group.rank, count: group.count)
        }
        if groups.missing > 0 {
            let condition = missing ?? name.map { "\(FilterText.fieldName($0)) = \"\"" }
            result.append(.init(order: .missing, value: "", count: groups.missing, filter: condition))
        }
        return result
    }

    /// A text value's group: shown as `row`'s text, with the filter that selects it when the column can be named.
    private func textGroup(raw: TextColumn, name: String?, row: Int, rank: Int64, count: Int) -> FrequencyTable.Group {
        let value = raw[row] ?? ""
        return .init(
            order: .integer(rank), value: value, count: count,
            filter: name.map { "\(FilterText.fieldName($0)) = \(FilterText.quoted(value))" })
    }

    /// Text of more distinct values than a table lists (CRM ids, emails): the rows sorted by folded value (stable, so
    /// a run's first row is its first in the list, as the hash tables keep it), then counted run by run, texts made
    /// only for the runs listed. The hash tables held ~30 bytes per distinct value on each core, and every value's
    /// texts were made: at 10M CRM ids, 18 s and a 4.9 GB peak.
    private func sortedTextGroups(
        _ column: FoldedTextColumn, raw: TextColumn, name: String?, _ rows: [Int32]?,
        _ isCancelled: @Sendable () -> Bool, missing: String?
    ) -> [FrequencyTable.Group]? {
        guard
            let sorted = TextSort(column: column).sorted(
                rows, count: count, ascending: true, isCancelled: isCancelled, twoCoresFrom: twoCoresFrom)
        else { return nil }
        // Empty text sorts with the missing values, last.
        let present = sorted.prefix { column.length(Int($0)) > 0 }
        var result = column.bytes.withUnsafeBufferPointer { buffer in
            runs(of: present, same: { column.compareRows($0, $1, in: buffer) == 0 }) { row, rank, count in
                textGroup(raw: raw, name: name, row: row, rank: rank, count: count)
            }
        }
        if present.count < sorted.count {
            let condition = missing ?? name.map { "\(FilterText.fieldName($0)) = \"\"" }
            result.append(.init(order: .missing, value: "", count: sorted.count - present.count, filter: condition))
        }
        return result
    }

    /// Rows grouped by folded value in a hash table per core, merged: each group's first row in the list and count.
    private func hashedGroups(_ column: FoldedTextColumn, _ rows: [Int32]?, _ isCancelled: @Sendable () -> Bool)
        -> (rows: [Int32], counts: [Int], missing: Int)?
    {
        let total = rows?.count ?? count
        let halves = total >= twoCoresFrom ? [0..<total / 2, total / 2..<total] : [0..<total]
        let parts = Parallel.map(halves.count) { part -> TextGroups? in
            var groups = TextGroups(column: column, expected: 1024)
            for position in halves[part] {
                if position & 0xFFFF == 0, isCancelled() { return nil }
                groups.add(row: rows.map { Int($0[position]) } ?? position, count: 1)
            }
            return groups
        }
        guard var groups = parts[0], parts.allSatisfy({ $0 != nil }) else { return nil }
        if parts.count == 2 { groups.merge(parts[1]!) }
        return (groups.rows, groups.counts, groups.missing)
    }

    /// The same for a dictionary column: rows are counted by value in one pass (no hashing), then the values, a few,
    /// are grouped by folded text in the order their first rows come in the list. For every row, the counts `kept`
    /// with the field are taken as they are, and the rows are read only until each value's first row is found.
    private func dictionaryGroups(_ column: FoldedTextColumn, _ rows: [Int32]?, kept: ColumnCounts?)
        -> (rows: [Int32], counts: [Int], missing: Int)?
    {
        guard let codes = column.codes else { return nil }
        let values = column.values
        var counts = [Int](repeating: 0, count: values.count)
        // Where each value first comes in the list: a value's group is shown as the first row that has it.
        var firstPositions = [Int](repeating: -1, count: values.count)
        if rows == nil, let kept, kept.values == values.count {
            for value in 0..<values.count { counts[value] = Int(kept.all[value]) }
            let present = counts.reduce(0) { $0 + ($1 > 0 ? 1 : 0) }
            firstPositions.withUnsafeMutableBufferPointer { firstPositions in
                codes.withCodes(FirstPositions(total: count, present: present, firstPositions: firstPositions))
            }
        } else {
            counts.withUnsafeMutableBufferPointer { counts in
                firstPositions.withUnsafeMutableBufferPointer { firstPositions in
                    codes.withCodes(
                        CountValues(
                            rows: rows, total: rows?.count ?? count, counts: counts, firstPositions: firstPositions))
                }
            }
        }
        let ordered = (0..<values.count).filter { counts[$0] > 0 }.sorted { firstPositions[$0] < firstPositions[$1] }
        func row(_ value: Int) -> Int32 { rows.map { $0[firstPositions[value]] } ?? Int32(firstPositions[value]) }
        var groups = TextGroups(column: values, expected: max(16, ordered.count))
        var representative: [Int32] = []
        for value in ordered {
            let group = groups.add(row: value, count: counts[value])
            if group >= 0, Int(group) == representative.count { representative.append(row(value)) }
        }
        return (representative, groups.counts, groups.missing)
    }

    private func externalCodeGroups(_ rows: [Int32]?, _ isCancelled: @Sendable () -> Bool) -> [FrequencyTable.Group]? {
        let keys = ExternalCodeSortKeys(codes: externalCodes)
        guard
            let sorted = CustomerSort(keys: keys).sorted(
                rows, count: count, ascending: true, isCancelled: isCancelled, twoCoresFrom: twoCoresFrom)
        else { return nil }
        return runs(of: sorted[...], same: { keys.key($0)! == keys.key($1)! && keys.compare($0, $1) == 0 }) {
            row, rank, count in
            let code = externalCodes[row]
            return .init(order: .integer(rank), value: code, count: count, filter: "externalCode = \(code)")
        }
    }

    private func numberGroups(
        _ numbers: [Double], field: IndexedField, raw: TextColumn, _ rows: [Int32]?,
        _ isCancelled: @Sendable () -> Bool
    ) -> [FrequencyTable.Group]? {
        let keys = NumberSortKeys(numbers: numbers, texts: field.numberTexts)
        guard
            let sorted = CustomerSort(keys: keys).sorted(
                rows, count: count, ascending: true, isCancelled: isCancelled, twoCoresFrom: twoCoresFrom)
        else { return nil }
        let present = sorted.prefix { !numbers[Int($0)].isNaN }
        var groups = runs(of: present, same: { numbers[$0] == numbers[$1] && keys.compare($0, $1) == 0 }) {
            row, rank, count in
            let text = raw[row] ?? ""
            return .init(
                order: .integer(rank), value: text, count: count, filter: FilterText.equals(field: field.name, text))
        }
        if present.count < sorted.count {
            groups.append(
                .init(
                    order: .missing, value: "", count: sorted.count - present.count,
                    filter: FilterText.missing(field: field.name, type: .number)))
        }
        return groups
    }

    /// One group per run of rows `same` says are equal in `sorted`, made by `make(first row, rank, count)` for at
    /// most `frequencyLimit` runs (the most frequent, then the first in value order), the others summed in one group:
    /// a group's texts are made only for the runs a table lists.
    private func runs(
        of sorted: ArraySlice<Int32>, same: (Int, Int) -> Bool, _ make: (Int, Int64, Int) -> FrequencyTable.Group
    ) -> [FrequencyTable.Group] {
        var kept = KeptGroups(limit: frequencyLimit)
        var start = sorted.startIndex
        var rank: Int64 = 0
        while start < sorted.endIndex {
            var end = start + 1
            while end < sorted.endIndex, same(Int(sorted[start]), Int(sorted[end])) { end += 1 }
            kept.offer(count: end - start, rank: rank, row: sorted[start])
            rank += 1
            start = end
        }
        return kept.groups { make(Int($0.row), $0.rank, $0.count) }
    }

    static let monthNames = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
        "December",
    ]

    private func dateGroups(
        _ dates: [Int32], field name: String, bucket: DateBucket, _ rows: [Int32]?, counts kept: ColumnCounts?
    ) -> [FrequencyTable.Group] {
        let (counts, missing) =
            if rows == nil, let kept {
                FilterIndex.dateCounts(kept, bucket: bucket)
            } else {
                dateCounts(dates, bucket: bucket, rows)
            }
        let field = FilterText.identifierNames.contains(name.lowercased()) ? nil : FilterText.fieldName(name)
        var groups = counts.map { value, count -> FrequencyTable.Group in
            let (shown, condition): (String, String) =
                switch bucket {
                case .day:
                    FilterIndex.dayTexts(value)
                case .month: (FilterIndex.monthNames[Int(value) - 1], "month = \(value)")
                case .year: (value == 0 ? "(no year)" : String(value), "year = \(value)")
                }
            return .init(
                order: .integer(Int64(value)), value: shown, count: count, filter: field.map { "\($0) \(condition)" })
        }
        if missing > 0 {
            groups.append(
                .init(order: .missing, value: "", count: missing, filter: FilterText.missing(field: name, type: .date)))
        }
        return groups
    }

    /// A day's entry as shown (`1990-05-12`, or `--05-12` without a year) and its condition (`= 1990-05-12`): the date
    /// is formatted once for both, since a table of every birth day has tens of thousands of entries.
    private static func dayTexts(_ packed: Int32) -> (shown: String, condition: String) {
        let text = CalendarDate.unpacked(packed).description
        return (packed >> 9 == 0 ? "--" + String(text.dropFirst(5)) : text, "= " + text)
    }

    /// Every row's dates counted per day, month of the year or year from the counts kept with the field (by day), with
    /// no pass over the rows.
    private static func dateCounts(_ kept: ColumnCounts, bucket: DateBucket) -> (counts: [Int32: Int], missing: Int) {
        var counts: [Int32: Int] = [:]
        for slot in 0..<kept.values where kept.all[slot] > 0 {
            counts[bucket.key(Int32(kept.low + Int64(slot))), default: 0] += Int(kept.all[slot])
        }
        return (counts, Int(kept.all[kept.values]))
    }

    /// Rows counted per day, month of the year or year (a packed date, its month, its year), and the rows without a
    /// date. Counted into an array on each core when the packed dates span at most 1M values (a hash table per row was
    /// ten times slower), else into a dictionary.
    private func dateCounts(_ dates: [Int32], bucket: DateBucket, _ rows: [Int32]?) -> (
        counts: [Int32: Int], missing: Int
    ) {
        guard
            let range = RankedSort.range(dates, missing: IndexedField.missingDate, rows, count: count, span: 1 << 20)
        else {
            var counts: [Int32: Int] = [:]
            var missing = 0
            forEach(rows) { row in
                let date = dates[row]
                guard date >= 0 else { return missing += 1 }
                counts[bucket.key(date), default: 0] += 1
            }
            return (counts, missing)
        }
        // Keys from `low` to `low + size - 1`; the last slot counts the rows without a date.
        let low = range.count == 0 ? 0 : bucket.key(Int32(range.low))
        let size = range.count == 0 ? 0 : Int(bucket.key(Int32(range.low + Int64(range.count) - 1)) - low) + 1
        let slots = bucket == .month ? 16 : size
        let base = bucket == .month ? 0 : low
        let total = rows?.count ?? count
        let parts = total >= twoCoresFrom ? [0..<total / 2, total / 2..<total] : [0..<total]
        let partCounts = dates.withUnsafeBufferPointer { dates in
            Parallel.map(parts.count) { part -> [Int] in
                var counts = [Int](repeating: 0, count: slots + 1)
                counts.withUnsafeMutableBufferPointer { counts in
                    for position in parts[part] {
                        let date = dates[rows.map { Int($0[position]) } ?? position]
                        counts[date >= 0 ? Int(bucket.key(date) - base) : slots] += 1
                    }
                }
                return counts
            }
        }
        var counts: [Int32: Int] = [:]
        for slot in 0..<slots {
            let count = partCounts.reduce(0) { $0 + $1[slot] }
            if count > 0 { counts[Int32(slot) + base] = count }
        }
        return (counts, partCounts.reduce(0) { $0 + $1[slots] })
    }

    private func booleanGroups(_ values: [UInt8], field name: String, _ rows: [Int32]?) -> [FrequencyTable.Group] {
        var counts = [0, 0, 0]
        forEach(rows) { counts[Int(values[$0])] += 1 }
        return [
            .init(
                order: .integer(0), value: "false", count: counts[0], filter: FilterText.equals(field: name, "false")),
            .init(order: .integer(1), value: "true", count: counts[1], filter: FilterText.equals(field: name, "true")),
            .init(
                order: .missing, value: "", count: counts[2], filter: FilterText.missing(field: name, type: .boolean)),
        ]
    }

    private func deviceGroups(_ rows: [Int32]?) -> [FrequencyTable.Group] {
        var counts: [Int32: Int] = [:]
        forEach(rows) { counts[deviceCounts[$0], default: 0] += 1 }
        return counts.map { value, count -> FrequencyTable.Group in
            .init(
                order: .integer(Int64(value)), value: String(value), count: count,
                filter: value == 0 ? "not has push" : nil)
        }
    }

    private func consentGroups(_ rows: [Int32]?) -> [FrequencyTable.Group] {
        var counts = [Int](repeating: 0, count: 27)
        if let rows {
            // Only the rows listed: a code for every row was 20 ms at 10M, whatever the list.
            for row in rows { counts[Int(consentCode(Int(row)))] += 1 }
        } else {
            counts = consentCodeCounts()
        }
        return counts.indices.map { code -> FrequencyTable.Group in
            let states = [code / 9, code / 3 % 3, code % 3]
            let marks = zip(["E", "S", "P"], states).map { letter, state in
                state == 0 ? "·" : state == 1 ? letter.lowercased() : letter
            }
            let conditions = zip(["email", "sms", "push"], states).map { channel, state in
                state == 0
                    ? "not has \(channel)"
                    : state == 1 ? "has \(channel) and not consent \(channel)" : "consent \(channel)"
            }
            return .init(
                order: .integer(Int64(code)), value: marks.joined(separator: " "), count: counts[code],
                filter: conditions.joined(separator: " and "))
        }
    }
}

extension FilterIndex {
    /// How many rows have each consent code (`consentCodes`), from the channels' sets a word at a time rather than a
    /// code made for every row: at 10M rows the codes alone took 20 ms.
    func consentCodeCounts() -> [Int] {
        var counts = [Int](repeating: 0, count: 27)
        let words = (count + 63) / 64
        @inline(__always) func states(_ has: RowSet, _ consented: RowSet, _ word: Int, _ valid: UInt64)
            -> SIMD3<UInt64>
        {
            // The rows of the word absent, refused and consented: states 0, 1 and 2.
            let present = has.words[word]
            let yes = consented.words[word]
            return SIMD3(~present & valid, present & ~yes, present & yes)
        }
        counts.withUnsafeMutableBufferPointer { counts in
            for word in 0..<words {
                let used = count - word * 64
                let valid: UInt64 = used >= 64 ? ~0 : (1 << UInt64(used)) - 1
                let email = states(hasEmail, consentEmail, word, valid)
                let sms = states(hasSMS, consentSMS, word, valid)
                let push = states(hasPush, consentPush, word, valid)
                for first in 0..<3 where email[first] != 0 {
                    for second in 0..<3 {
                        let both = email[first] & sms[second]
                        guard both != 0 else { continue }
                        for third in 0..<3 {
                            counts[first * 9 + second * 3 + third] += (both & push[third]).nonzeroBitCount
                        }
                    }
                }
            }
        }
        return counts
    }
}

/// Counts the rows of a list per dictionary value, and where each value first comes.
private struct CountValues: CodesReader {
    let rows: [Int32]?
    let total: Int
    let counts: UnsafeMutableBufferPointer<Int>
    let firstPositions: UnsafeMutableBufferPointer<Int>

    func read<Code: FixedWidthInteger & UnsignedInteger>(_ codes: UnsafeBufferPointer<Code>) {
        for position in 0..<total {
            let value = Int(codes[rows.map { Int($0[position]) } ?? position])
            if counts[value] == 0 { firstPositions[value] = position }
            counts[value] += 1
        }
    }
}

/// The groups a frequency table lists when there may be more than it can: the `limit` most frequent (ties: the first
/// in value order, the lowest rank) in a heap whose top is the one to leave out next, and the rows of those left out.
struct KeptGroups {
    struct Group: Comparable {
        let count: Int
        let rank: Int64
        let row: Int32

        /// Less: left out first (fewer rows, or as many and later in value order).
        static func < (left: Group, right: Group) -> Bool {
            left.count != right.count ? left.count < right.count : left.rank > right.rank
        }
    }

    let limit: Int
    private var heap = Heap<Group>()
    private(set) var leftOutValues = 0
    private(set) var leftOutRows = 0

    init(limit: Int) { self.limit = limit }

    mutating func offer(count: Int, rank: Int64, row: Int32) {
        let group = Group(count: count, rank: rank, row: row)
        if heap.count < limit {
            heap.insert(group)
            return
        }
        leftOutValues += 1
        guard let least = heap.min, least < group else {
            leftOutRows += count
            return
        }
        leftOutRows += least.count
        heap.replaceMin(with: group)
    }

    /// The kept groups made by `make`, then one for those left out.
    func groups(_ make: (Group) -> FrequencyTable.Group) -> [FrequencyTable.Group] {
        var result = heap.unordered.map(make)
        if leftOutValues > 0 {
            result.append(
                .init(
                    order: .others(leftOutValues), value: FrequencyTable.othersLabel(leftOutValues),
                    count: leftOutRows))
        }
        return result
    }
}

/// Each code's first row, reading the rows in order only until the `present` codes that have rows are all found.
private struct FirstPositions: CodesReader {
    let total: Int
    let present: Int
    let firstPositions: UnsafeMutableBufferPointer<Int>

    func read<Code: FixedWidthInteger & UnsignedInteger>(_ codes: UnsafeBufferPointer<Code>) {
        var found = 0
        var position = 0
        while found < present, position < total {
            let value = Int(codes[position])
            if firstPositions[value] < 0 {
                firstPositions[value] = position
                found += 1
            }
            position += 1
        }
    }
}

extension DateBucket {
    /// The bucket of a packed date (`CalendarDate.packed`): the date itself, its month, or its year.
    @inline(__always)
    func key(_ date: Int32) -> Int32 {
        switch self {
        case .day: date
        case .month: date >> 5 & 15
        case .year: date >> 9
        }
    }
}

extension CalendarDate {
    /// The date `packed` holds.
    static func unpacked(_ packed: Int32) -> CalendarDate {
        CalendarDate(year: Int(packed >> 9), month: Int(packed >> 5 & 15), day: Int(packed & 31))!
    }
}

/// Rows of a folded text column grouped by value: open addressing on a hash of the folded bytes; each group keeps
/// its first row (the one it is shown as) and its count.
struct TextGroups {
    let column: FoldedTextColumn
    private var slots: [Int32]
    private var hashes: [UInt64] = []
    private(set) var rows: [Int32] = []
    private(set) var counts: [Int] = []
    private(set) var missing = 0

    init(column: FoldedTextColumn, expected: Int) {
        self.column = column
        var capacity = 16
        while capacity < expected * 2 { capacity <<= 1 }
        slots = [Int32](repeating: -1, count: capacity)
    }

    @inline(__always)
    private func hash(_ row: Int, in buffer: UnsafeBufferPointer<UInt8>) -> UInt64 {
        let value = column.value(row)
        let start = Int(column.starts[value])
        let length = Int(column.starts[value + 1]) - start - 1
        var hash: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(length)
        var offset = 0
        let base = UnsafeRawPointer(buffer.baseAddress! + start)
        while offset + 8 <= length {
            hash = (hash ^ base.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) &* 0xBF58_476D_1CE4_E5B9
            hash ^= hash >> 31
            offset += 8
        }
        var tail: UInt64 = 0
        while offset < length {
            tail = tail << 8 | UInt64(base.load(fromByteOffset: offset, as: UInt8.self))
            offset += 1
        }
        hash = (hash ^ tail) &* 0x94D0_49BB_1331_11EB
        return hash ^ (hash >> 29)
    }

    /// Adds `count` rows with the value of `row`; its group, or -1 when it has no value.
    @discardableResult
    mutating func add(row: Int, count: Int) -> Int32 {
        guard column.length(row) > 0 else {
            missing += count
            return -1
        }
        let bytes = column.bytes
        var found: Int32 = -1
        bytes.withUnsafeBufferPointer { buffer in
            let hash = self.hash(row, in: buffer)
            let mask = slots.count - 1
            var slot = Int(truncatingIfNeeded: hash) & mask
            while true {
                let group = Int(slots[slot])
                if group < 0 {
                    found = Int32(rows.count)
                    slots[slot] = found
                    rows.append(Int32(row))
                    counts.append(count)
                    hashes.append(hash)
                    break
                }
                if hashes[group] == hash, column.compareRows(Int(rows[group]), row, in: buffer) == 0 {
                    counts[group] += count
                    found = Int32(group)
                    break
                }
                slot = (slot + 1) & mask
            }
        }
        if rows.count * 2 > slots.count { grow() }
        return found
    }

    private mutating func grow() {
        slots = [Int32](repeating: -1, count: slots.count * 2)
        let mask = slots.count - 1
        for (group, hash) in hashes.enumerated() {
            var slot = Int(truncatingIfNeeded: hash) & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(group)
        }
    }

    /// Adds the groups of `other`, counted over later rows: a value already here keeps its first row.
    @discardableResult
    mutating func merge(_ other: TextGroups) -> [Int32] {
        missing += other.missing
        return other.rows.indices.map { add(row: Int(other.rows[$0]), count: other.counts[$0]) }
    }
}
