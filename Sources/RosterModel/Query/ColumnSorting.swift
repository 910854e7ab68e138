import RosterConcurrency

extension FilterIndex {
    /// `rows` (every row when nil) ordered by column `key`: typed (numbers numerically, dates as dates, booleans
    /// false before true, text by its folded form, so accents and case do not count), stable (rows with equal values
    /// keep their order in `rows`), rows without a value last in both directions. Empty text counts as no value, as
    /// `has FIELD` does. Consent orders by its marks, channel by channel (email, then SMS, then push): absent, then
    /// refused, then consented. A field the working set does not have leaves the order as it is.
    ///
    /// Runs on both cores; `isCancelled` is checked between phases and every 65,536 rows, and a cancelled sort
    /// returns nil.
    public func sorted(
        _ rows: [Int32]? = nil, by key: ColumnKey, ascending: Bool = true,
        isCancelled: @Sendable () -> Bool = { false }
    ) -> [Int32]? {
        func run<Keys: SortKeys>(_ keys: Keys) -> [Int32]? {
            CustomerSort(keys: keys).sorted(
                rows, count: count, ascending: ascending, isCancelled: isCancelled, twoCoresFrom: twoCoresFrom)
        }
        func ranked<Source: RankSource>(_ source: Source, count rankCount: Int, counted: RankCounts? = nil)
            -> [Int32]?
        {
            guard !isCancelled() else { return nil }
            return RankedSort.sorted(
                rows, total: rows?.count ?? count, source: source, rankCount: rankCount, ascending: ascending,
                twoCoresFrom: twoCoresFrom, counted: counted)
        }
        func text(_ column: FoldedTextColumn, counts: ColumnCounts? = nil) -> [Int32]? {
            if let codes = column.codes, rankedSortLimit.map({ column.values.count <= $0 }) ?? true {
                // A dictionary: only its values are ranked (values that fold alike share a rank), then each row is
                // placed by its value's rank, with no hashing.
                let (valueRanks, rankCount) = FilterIndex.ranks(of: column.values)
                guard !isCancelled() else { return nil }
                // Every row: the counts kept with the field spare the sort its first pass over the rows.
                let counted = rows == nil ? counts?.ranked(count: rankCount) { valueRanks[$0] } : nil
                return valueRanks.withUnsafeBufferPointer { valueRanks in
                    withRows { buffer in
                        codes.withCodes(
                            RankByCode(
                                list: rows, rows: buffer, total: rows?.count ?? count, valueRanks: valueRanks,
                                rankCount: rankCount, ascending: ascending, twoCoresFrom: twoCoresFrom,
                                counted: counted))
                    }
                }
            }
            if let ranks = textRanks(column, rows, isCancelled) {
                return ranks.ranks.withUnsafeBufferPointer { ranked(ArrayRanks(ranks: $0), count: ranks.count) }
            }
            guard !isCancelled() else { return nil }
            return TextSort(column: column).sorted(
                rows, count: count, ascending: ascending, isCancelled: isCancelled, twoCoresFrom: twoCoresFrom)
        }
        func integers<Value: FixedWidthInteger & Sendable>(
            _ values: [Value], missing: Value?, counts: ColumnCounts? = nil
        ) -> [Int32]? {
            // Every row: the smallest value and the counts kept with the field spare the sort two passes.
            let kept = rows == nil ? counts : nil
            if let range = kept.map({ (low: $0.low, count: $0.values) })
                ?? RankedSort.range(values, missing: missing, rows, count: count)
            {
                let counted = kept?.ranked(count: range.count) { UInt32($0) }
                return values.withUnsafeBufferPointer { values in
                    withRows { rows in
                        ranked(
                            IntegerRanks(values: values, missing: missing, low: range.low, rows: rows),
                            count: range.count, counted: counted)
                    }
                }
            }
            return run(IntegerSortKeys(values: values, missing: missing))
        }
        func withRows<Result>(_ body: (UnsafeBufferPointer<Int32>?) -> Result) -> Result {
            guard let rows else { return body(nil) }
            return rows.withUnsafeBufferPointer { body($0) }
        }
        switch key {
        case .externalCode: return run(ExternalCodeSortKeys(codes: externalCodes))
        case .crmId: return text(crmIds)
        case .email: return text(emails)
        case .phone: return text(phones)
        case .devices: return integers(deviceCounts, missing: nil)
        case .consent: return integers(consentCodes, missing: nil)
        case .field(let name):
            guard let field = field(named: name) else { return rows ?? (0..<Int32(count)).map { $0 } }
            switch field.storage {
            case .text(let column): return text(column, counts: field.counts)
            case .date(let dates): return integers(dates, missing: IndexedField.missingDate, counts: field.counts)
            case .number(let numbers): return run(NumberSortKeys(numbers: numbers, texts: field.numberTexts))
            case .boolean(let values): return integers(values, missing: IndexedField.missingBoolean)
            }
        }
    }

    /// Each row's rank among the distinct folded values of `column` (not a dictionary; `RankedSort.missing` for none),
    /// when there are few enough of them that ranking beats comparing (at most `rankedSortLimit`, else an eighth of
    /// the rows); nil otherwise. Values are grouped by hash on each core, as for a frequency table, then only the
    /// distinct ones are compared. A sample first spares the attempt when the values are clearly too many (emails, CRM
    /// ids: at 10M rows the grouping held ~100 MB and took a few hundred ms before giving up).
    private func textRanks(_ column: FoldedTextColumn, _ rows: [Int32]?, _ isCancelled: @Sendable () -> Bool)
        -> (ranks: [UInt32], count: Int)?
    {
        let total = rows?.count ?? count
        let limit = rankedSortLimit ?? max(4096, total / 8)
        guard !clearlyMoreDistinct(column, rows, than: limit) else { return nil }
        let halves = total >= twoCoresFrom ? [0..<total / 2, total / 2..<total] : [0..<total]
        let parts = Parallel.map(halves.count) { part -> (groups: TextGroups, ids: [Int32])? in
            var groups = TextGroups(column: column, expected: 1024)
            var ids = [Int32]()
            ids.reserveCapacity(halves[part].count)
            for position in halves[part] {
                if position & 0xFFFF == 0, isCancelled() { return nil }
                ids.append(groups.add(row: rows.map { Int($0[position]) } ?? position, count: 1))
                if groups.rows.count > limit { return nil }
            }
            return (groups, ids)
        }
        guard var groups = parts[0]?.groups, parts.allSatisfy({ $0 != nil }) else { return nil }
        let mapping = parts.count == 2 ? groups.merge(parts[1]!.groups) : []
        guard groups.rows.count <= limit, !isCancelled() else { return nil }
        let firstRows = groups.rows
        let order = column.bytes.withUnsafeBufferPointer { buffer in
            firstRows.indices.sorted { left, right in
                column.compareRows(Int(firstRows[left]), Int(firstRows[right]), in: buffer) < 0
            }
        }
        var rank = [UInt32](repeating: 0, count: order.count)
        for (position, group) in order.enumerated() { rank[group] = UInt32(position) }
        var ranks = [UInt32]()
        ranks.reserveCapacity(total)
        for id in parts[0]!.ids { ranks.append(id < 0 ? RankedSort.missing : rank[Int(id)]) }
        if parts.count == 2 {
            for id in parts[1]!.ids { ranks.append(id < 0 ? RankedSort.missing : rank[Int(mapping[Int(id)])]) }
        }
        return (ranks, max(1, order.count))
    }

    /// The rank of each row of `values` (a dictionary's distinct values) in folded order, equal folded text sharing
    /// one, `RankedSort.missing` for no value or empty text; and the number of ranks.
    static func ranks(of values: FoldedTextColumn) -> (ranks: [UInt32], count: Int) {
        var ranks = [UInt32](repeating: RankedSort.missing, count: values.count)
        let present = (0..<values.count).filter { values.length($0) > 0 }
        var next: UInt32 = 0
        values.bytes.withUnsafeBufferPointer { buffer in
            let order = present.sorted { values.compareRows($0, $1, in: buffer) < 0 }
            for (position, value) in order.enumerated() {
                if position > 0, values.compareRows(order[position - 1], value, in: buffer) != 0 { next += 1 }
                ranks[value] = next
            }
        }
        return (ranks, present.isEmpty ? 0 : Int(next) + 1)
    }

    /// Whether the folded values at `rows` (every row when nil) are clearly more than `limit` distinct ones, by a
    /// sample (`DistinctSample`), before hashing them all.
    func clearlyMoreDistinct(_ column: FoldedTextColumn, _ rows: [Int32]?, than limit: Int) -> Bool {
        column.bytes.withUnsafeBufferPointer { bytes in
            DistinctSample.clearlyMore(than: limit, count: rows?.count ?? count) { position in
                let value = column.value(rows.map { Int($0[position]) } ?? position)
                let start = Int(column.starts[value])
                let length = Int(column.starts[value + 1]) - start - 1
                return length > 0 ? FoldedTextColumn.hash(bytes.baseAddress! + start, length) : nil
            }
        }
    }

    /// Each row's consent as one number ordered as `sorted` documents: per channel 0 absent, 1 refused,
    /// 2 consented, email weighing most.
    var consentCodes: [UInt8] {
        (0..<count).map(consentCode)
    }

    /// The consent code of one row (`consentCodes`).
    func consentCode(_ row: Int) -> UInt8 {
        func state(_ channel: RowSet, _ consented: RowSet) -> UInt8 {
            channel.contains(row) ? (consented.contains(row) ? 2 : 1) : 0
        }
        return state(hasEmail, consentEmail) * 9 + state(hasSMS, consentSMS) * 3 + state(hasPush, consentPush)
    }
}

extension RowSet {
    @inline(__always)
    func contains(_ row: Int) -> Bool { words[row >> 6] & (1 << UInt64(row & 63)) != 0 }
}

/// The counting sort of a dictionary column's rows by their value's rank, at the codes' width.
private struct RankByCode: CodesReader {
    let list: [Int32]?
    let rows: UnsafeBufferPointer<Int32>?
    let total: Int
    let valueRanks: UnsafeBufferPointer<UInt32>
    let rankCount: Int
    let ascending: Bool
    let twoCoresFrom: Int
    let counted: RankCounts?

    func read<Code: FixedWidthInteger & UnsignedInteger>(_ codes: UnsafeBufferPointer<Code>) -> [Int32]? {
        RankedSort.sorted(
            list, total: total,
            source: DictionaryRanks(codes: codes, valueRanks: valueRanks, rows: rows), rankCount: rankCount,
            ascending: ascending, twoCoresFrom: twoCoresFrom, counted: counted)
    }
}
