import RosterConcurrency

/// Orders rows by one column's values: stable (rows with equal values keep their order in the input), rows without a
/// value last in both directions.
///
/// Comparing values row by row was the cost of a sort; instead each row gets an integer key in value order — the
/// first 12 folded bytes of a text, a date packed as an integer, a double's bits made monotonic — with its position
/// in the input in the low 32 bits, so every key is distinct and sorting compares integers only. Each core extracts
/// and sorts half of the rows, the halves are merged, and only the rare runs whose keys are equal but whose values may
/// still differ (texts longer than 12 bytes, numbers a double cannot tell apart) are compared value by value.
struct CustomerSort<Keys: SortKeys> {
    let keys: Keys

    private struct Entry {
        /// The first 8 bytes of the key.
        var high: UInt64
        /// The next 4 bytes of the key, then the row's position in the input.
        var low: UInt64

        @inline(__always)
        static func < (left: Entry, right: Entry) -> Bool {
            left.high != right.high ? left.high < right.high : left.low < right.low
        }

        @inline(__always)
        var position: Int { Int(truncatingIfNeeded: low & 0xFFFF_FFFF) }
    }

    /// `rows` (every row of the column, in order, when nil) sorted; nil when `isCancelled` said so before the end.
    func sorted(
        _ rows: [Int32]?, count: Int, ascending: Bool, isCancelled: @Sendable () -> Bool = { false },
        twoCoresFrom: Int = RowSet.parallelThreshold
    )
        -> [Int32]?
    {
        let total = rows?.count ?? count
        precondition(total < Int(UInt32.max), "a sort takes fewer than 2^32 rows")
        let halves = total >= twoCoresFrom ? [0..<total / 2, total / 2..<total] : [0..<total]
        var parts = Parallel.map(halves.count) { part in
            sortedPart(rows, positions: halves[part], ascending: ascending, isCancelled: isCancelled)
        }
        guard !isCancelled(), parts.allSatisfy({ $0 != nil }) else { return nil }
        // The halves are merged straight into the input positions (4 bytes a row, not a merged copy of the 16-byte
        // entries: at 10M rows that copy was 150 MB on the peak); runs of equal keys are then found again from the
        // keys, which are cheap to recompute, and the positions become rows in place.
        let missing = parts.flatMap { $0!.missing }
        var result = [Int32](unsafeUninitializedCapacity: total) { output, initialized in
            let entries = parts.count == 2 ? (parts[0]!.entries, parts[1]!.entries) : (parts[0]!.entries, [])
            initialized = CustomerSort.merge(entries.0, entries.1, into: output)
            for position in missing {
                output[initialized] = Int32(truncatingIfNeeded: position)
                initialized += 1
            }
        }
        parts = []
        guard
            resolveTies(
                &result, sorted: total - missing.count, rows: rows, ascending: ascending,
                isCancelled: isCancelled)
        else { return nil }
        if let rows {
            result.withUnsafeMutableBufferPointer { result in
                rows.withUnsafeBufferPointer { rows in
                    for index in result.indices { result[index] = rows[Int(UInt32(bitPattern: result[index]))] }
                }
            }
        }
        return result
    }

    /// The entries of the rows at `positions` in sorted order, and the positions of the rows without a value.
    private func sortedPart(
        _ rows: [Int32]?, positions: Range<Int>, ascending: Bool, isCancelled: @Sendable () -> Bool
    ) -> (entries: [Entry], missing: [Int])? {
        let flipHigh: UInt64 = ascending ? 0 : ~0
        let flipLow: UInt32 = ascending ? 0 : ~0
        var entries: [Entry] = []
        entries.reserveCapacity(positions.count)
        var missing: [Int] = []
        for position in positions {
            if position & 0xFFFF == 0, isCancelled() { return nil }
            let row = rows.map { Int($0[position]) } ?? position
            guard let key = keys.key(row) else {
                missing.append(position)
                continue
            }
            entries.append(Entry(high: key.0 ^ flipHigh, low: UInt64(key.1 ^ flipLow) << 32 | UInt64(position)))
        }
        guard !isCancelled() else { return nil }
        entries.withUnsafeMutableBufferPointer { buffer in buffer.sort { $0 < $1 } }
        return (entries, missing)
    }

    /// Merges two sorted runs of entries into `output` as their positions; returns how many were written.
    private static func merge(_ first: [Entry], _ second: [Entry], into output: UnsafeMutableBufferPointer<Int32>)
        -> Int
    {
        first.withUnsafeBufferPointer { first in
            second.withUnsafeBufferPointer { second in
                var (left, right, next) = (0, 0, 0)
                while left < first.count, right < second.count {
                    if second[right] < first[left] {
                        output[next] = Int32(truncatingIfNeeded: second[right].position)
                        right += 1
                    } else {
                        output[next] = Int32(truncatingIfNeeded: first[left].position)
                        left += 1
                    }
                    next += 1
                }
                for entry in first[left...] {
                    output[next] = Int32(truncatingIfNeeded: entry.position)
                    next += 1
                }
                for entry in second[right...] {
                    output[next] = Int32(truncatingIfNeeded: entry.position)
                    next += 1
                }
                return next
            }
        }
    }

    /// Re-sorts, among the first `sorted` positions, the runs of equal keys whose values may differ by the values
    /// themselves, then input position.
    private func resolveTies(
        _ positions: inout [Int32], sorted: Int, rows: [Int32]?, ascending: Bool, isCancelled: @Sendable () -> Bool
    ) -> Bool {
        @inline(__always) func row(_ position: Int32) -> Int {
            let position = Int(UInt32(bitPattern: position))
            return rows.map { Int($0[position]) } ?? position
        }
        @inline(__always) func sameKey(_ first: (UInt64, UInt32)?, _ second: (UInt64, UInt32)?) -> Bool {
            first?.0 == second?.0 && first?.1 == second?.1
        }
        var start = 0
        var runs = 0
        var startKey = sorted > 0 ? keys.key(row(positions[0])) : nil
        while start < sorted {
            var end = start + 1
            var endKey: (UInt64, UInt32)? = nil
            while end < sorted {
                endKey = keys.key(row(positions[end]))
                guard sameKey(endKey, startKey) else { break }
                end += 1
            }
            if end - start > 1 {
                runs += 1
                if runs & 0x3FF == 0, isCancelled() { return false }
                if positions[start..<end].contains(where: { keys.mayTie(row($0)) }) {
                    positions[start..<end].sort { left, right in
                        let order = keys.compare(row(left), row(right))
                        if order != 0 { return ascending ? order < 0 : order > 0 }
                        return UInt32(bitPattern: left) < UInt32(bitPattern: right)
                    }
                }
            }
            start = end
            startKey = endKey
        }
        return true
    }
}

/// Ordering by small integer ranks: a stable counting sort, two passes over the rows whatever their number. Text with
/// few distinct values (cities, names) and dates, booleans and counts (whose values span a small range) are ranked
/// and sorted this way; comparing keys would take n log n.
enum RankedSort {
    /// No value.
    static let missing = UInt32.max

    /// `rows` (every row when nil) ordered by `ranks[position]` (below `rankCount`, or `missing`), stable, missing
    /// last.
    static func sorted(_ rows: [Int32]?, ranks: [UInt32], rankCount: Int, ascending: Bool) -> [Int32] {
        let total = ranks.count
        var next = [Int](repeating: 0, count: rankCount + 2)
        ranks.withUnsafeBufferPointer { ranks in
            next.withUnsafeMutableBufferPointer { next in
                for rank in ranks {
                    let bucket = rank == missing ? rankCount : ascending ? Int(rank) : rankCount - 1 - Int(rank)
                    next[bucket + 1] += 1
                }
                for bucket in 1..<next.count { next[bucket] += next[bucket - 1] }
            }
        }
        return [Int32](unsafeUninitializedCapacity: total) { output, initialized in
            ranks.withUnsafeBufferPointer { ranks in
                next.withUnsafeMutableBufferPointer { next in
                    for position in 0..<total {
                        let rank = ranks[position]
                        let bucket = rank == missing ? rankCount : ascending ? Int(rank) : rankCount - 1 - Int(rank)
                        output[next[bucket]] = rows.map { $0[position] } ?? Int32(truncatingIfNeeded: position)
                        next[bucket] += 1
                    }
                }
            }
            initialized = total
        }
    }

    /// Integer keys (`missing` for none) ranked by their offset from the smallest, when they span at most `span`
    /// values; nil otherwise.
    static func ranks<Value: FixedWidthInteger>(
        _ values: [Value], missing: Value?, _ rows: [Int32]?, count: Int, span: Int = 1 << 22
    ) -> (ranks: [UInt32], count: Int)? {
        var low = Int64.max
        var high = Int64.min
        let total = rows?.count ?? count
        func value(_ position: Int) -> Value { values[rows.map { Int($0[position]) } ?? position] }
        for position in 0..<total {
            let item = value(position)
            if let missing, item == missing { continue }
            low = min(low, Int64(item))
            high = max(high, Int64(item))
        }
        guard low <= high else { return ([UInt32](repeating: RankedSort.missing, count: total), 1) }
        guard high - low < Int64(span) else { return nil }
        let ranks = (0..<total).map { position -> UInt32 in
            let item = value(position)
            if let missing, item == missing { return RankedSort.missing }
            return UInt32(Int64(item) - low)
        }
        return (ranks, Int(high - low) + 1)
    }
}

/// A column's values as sort keys.
protocol SortKeys: Sendable {
    /// The row's key in value order (8 bytes, then 4 more), or nil when the row has no value.
    func key(_ row: Int) -> (UInt64, UInt32)?
    /// Whether the row's value may differ from another's with the same key; `compare` then orders them.
    func mayTie(_ row: Int) -> Bool
    /// The order of two rows' values: <0, 0 or >0.
    func compare(_ first: Int, _ second: Int) -> Int
}

/// Folded text, by its first 12 bytes; empty text sorts with the missing values, as `has FIELD` counts it absent.
struct TextSortKeys: SortKeys {
    let column: FoldedTextColumn

    @inline(__always)
    func key(_ row: Int) -> (UInt64, UInt32)? {
        let value = column.value(row)
        let start = Int(column.starts[value])
        let length = Int(column.starts[value + 1]) - start - 1
        guard length > 0 else { return nil }
        return column.bytes.withUnsafeBufferPointer { buffer -> (UInt64, UInt32) in
            guard length >= 12 else {
                return (
                    column.sortKey(row, from: 0, in: buffer), UInt32(column.sortKey(row, from: 8, in: buffer) >> 32)
                )
            }
            let raw = UnsafeRawPointer(buffer.baseAddress! + start)
            let high = UInt64(bigEndian: raw.loadUnaligned(as: UInt64.self))
            let low = UInt32(bigEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt32.self))
            return (high, low)
        }
    }

    func mayTie(_ row: Int) -> Bool { column.length(row) > 12 }

    func compare(_ first: Int, _ second: Int) -> Int {
        column.bytes.withUnsafeBufferPointer { column.compareRows(first, second, in: $0) }
    }
}

/// externalCodes, by their raw bytes (which order as their hex does).
struct ExternalCodeSortKeys: SortKeys {
    let codes: ExternalCodeColumn

    func key(_ row: Int) -> (UInt64, UInt32)? {
        codes.raw.withUnsafeBytes { raw in
            (
                UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: row * 32, as: UInt64.self)),
                UInt32(bigEndian: raw.loadUnaligned(fromByteOffset: row * 32 + 8, as: UInt32.self))
            )
        }
    }

    func mayTie(_ row: Int) -> Bool { true }

    func compare(_ first: Int, _ second: Int) -> Int {
        codes.raw.withUnsafeBufferPointer { raw in
            for index in 12..<32 where raw[first * 32 + index] != raw[second * 32 + index] {
                return raw[first * 32 + index] < raw[second * 32 + index] ? -1 : 1
            }
            return 0
        }
    }
}

/// Numbers by their doubles; values one double cannot tell apart are compared as written.
struct NumberSortKeys: SortKeys {
    let numbers: [Double]
    let texts: TextColumn?

    @inline(__always)
    func key(_ row: Int) -> (UInt64, UInt32)? {
        let number = numbers[row]
        guard !number.isNaN else { return nil }
        return (NumberSortKeys.orderKey(number), 0)
    }

    /// The double's bits made to order as the numbers do (negative numbers inverted), `-0` as `0`.
    @inline(__always)
    static func orderKey(_ number: Double) -> UInt64 {
        let bits = (number + 0.0).bitPattern
        return bits & (1 << 63) != 0 ? ~bits : bits | (1 << 63)
    }

    func mayTie(_ row: Int) -> Bool { texts != nil }

    func compare(_ first: Int, _ second: Int) -> Int {
        guard let texts else { return 0 }
        return texts.withUTF8(first) { a in texts.withUTF8(second) { b in DecimalText.compare(a!, b!) } }
    }
}

/// Small integers in value order (packed dates, booleans, device counts, consent codes); `missing` marks no value.
struct IntegerSortKeys<Value: FixedWidthInteger & Sendable>: SortKeys {
    let values: [Value]
    let missing: Value?

    @inline(__always)
    func key(_ row: Int) -> (UInt64, UInt32)? {
        let value = values[row]
        if let missing, value == missing { return nil }
        // Shifted so that negative values order before positive ones.
        return (UInt64(bitPattern: Int64(value)) ^ (1 << 63), 0)
    }

    func mayTie(_ row: Int) -> Bool { false }
    func compare(_ first: Int, _ second: Int) -> Int { 0 }
}
