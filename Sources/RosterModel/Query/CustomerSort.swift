import RosterConcurrency

/// Orders rows by one column's values: stable (rows with equal values keep their order in the input), rows without a
/// value last in both directions.
///
/// Comparing values row by row was the cost of a sort; instead each row gets an integer key in value order — the
/// first 12 folded bytes of a text, a date packed as an integer, a double's bits made monotonic — with its position
/// in the input in the low 32 bits, so every key is distinct and sorting compares integers only.
///
/// Keys for every row at once were 16 bytes a row (150 MB at 10M rows, plus the sort's own buffer of half that), and
/// sorting arrays that outgrow the cache made 10M rows 20 times slower than 1M. So the positions (4 bytes a row, in
/// the result's own buffer) are first distributed by the key's first 16 bits, in two passes over the rows in input
/// order on both cores (count, then place); a bucket larger than `leafSize` is distributed again by the next 16 bits;
/// then each bucket, small enough for the cache, gets its 16-byte keys, is sorted, and its runs of equal keys whose
/// values may still differ (texts longer than 12 bytes, numbers a double cannot tell apart) are compared value by
/// value.
struct CustomerSort<Keys: SortKeys> {
    let keys: Keys
    /// The largest bucket sorted as one (its keys take 16 bytes a row).
    var leafSize = 1 << 18

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
        var position: Int32 { Int32(truncatingIfNeeded: low & 0xFFFF_FFFF) }

        @inline(__always)
        func sameKey(_ other: Entry) -> Bool { high == other.high && low >> 32 == other.low >> 32 }
    }

    private static var bucketCount: Int { 1 << 16 }

    /// `rows` (every row of the column, in order, when nil) sorted; nil when `isCancelled` said so before the end.
    func sorted(
        _ rows: [Int32]?, count: Int, ascending: Bool, isCancelled: @Sendable () -> Bool = { false },
        twoCoresFrom: Int = RowSet.parallelThreshold
    )
        -> [Int32]?
    {
        let total = rows?.count ?? count
        precondition(total < Int(UInt32.max), "a sort takes fewer than 2^32 rows")
        let flipHigh: UInt64 = ascending ? 0 : ~0
        let parts = total >= twoCoresFrom ? [0..<total / 2, total / 2..<total] : [0..<total]
        @inline(__always) func row(_ position: Int) -> Int { rows.map { Int($0[position]) } ?? position }
        // Counts per bucket of the key's first 16 bits, the rows without a value in the last one.
        let counts = Parallel.map(parts.count) { part -> [Int]? in
            var counts = [Int](repeating: 0, count: CustomerSort.bucketCount + 1)
            for position in parts[part] {
                if position & 0xFFFF == 0, isCancelled() { return nil }
                guard let key = keys.key(row(position)) else {
                    counts[CustomerSort.bucketCount] += 1
                    continue
                }
                counts[Int((key.0 ^ flipHigh) >> 48)] += 1
            }
            return counts
        }
        guard !isCancelled(), counts.allSatisfy({ $0 != nil }) else { return nil }
        // Each part places its rows after the earlier parts' rows of the same bucket: input order within a bucket.
        var bucketStarts = [Int](repeating: 0, count: CustomerSort.bucketCount + 2)
        var next = [[Int]](repeating: [], count: parts.count)
        for part in parts.indices { next[part].reserveCapacity(CustomerSort.bucketCount + 1) }
        var offset = 0
        for bucket in 0...CustomerSort.bucketCount {
            bucketStarts[bucket] = offset
            for part in parts.indices {
                next[part].append(offset)
                offset += counts[part]![bucket]
            }
        }
        bucketStarts[CustomerSort.bucketCount + 1] = offset
        var cancelled = false
        var result = [Int32](unsafeUninitializedCapacity: total) { output, initialized in
            HugePages.advise(UnsafeMutableRawBufferPointer(output))
            let output = output
            _ = Parallel.map(parts.count) { part in
                var next = next[part]
                for position in parts[part] {
                    let bucket =
                        keys.key(row(position)).map { Int(($0.0 ^ flipHigh) >> 48) } ?? CustomerSort.bucketCount
                    output[next[bucket]] = Int32(truncatingIfNeeded: position)
                    next[bucket] += 1
                }
            }
            initialized = total
            // The buckets in two groups of about half the rows each, one per core.
            let present = bucketStarts[CustomerSort.bucketCount]
            let split =
                parts.count == 2 ? (bucketStarts.firstIndex { $0 >= present / 2 } ?? 0) : CustomerSort.bucketCount
            let groups = parts.count == 2 ? [0..<split, split..<CustomerSort.bucketCount] : [0..<split]
            let finished = Parallel.map(groups.count) { group -> Bool in
                var entries: [Entry] = []
                for bucket in groups[group] where bucketStarts[bucket + 1] - bucketStarts[bucket] > 0 {
                    let slice = UnsafeMutableBufferPointer(
                        rebasing: output[bucketStarts[bucket]..<bucketStarts[bucket + 1]])
                    guard
                        sortBucket(
                            slice, rows: rows, shift: 32, flipHigh: flipHigh, ascending: ascending,
                            entries: &entries, isCancelled: isCancelled)
                    else { return false }
                }
                return true
            }
            cancelled = finished.contains(false)
        }
        guard !cancelled, !isCancelled() else { return nil }
        if let rows { SortedPositions.toRows(&result, rows) }
        return result
    }

    /// Sorts the positions of one bucket (rows whose keys agree above bit `shift + 16` of the first word) in place:
    /// as one when small enough, else distributed by the next 16 bits first. False when cancelled.
    private func sortBucket(
        _ positions: UnsafeMutableBufferPointer<Int32>, rows: [Int32]?, shift: Int, flipHigh: UInt64,
        ascending: Bool, entries: inout [Entry], isCancelled: @Sendable () -> Bool
    ) -> Bool {
        guard positions.count > 1 else { return true }
        if isCancelled() { return false }
        @inline(__always) func row(_ position: Int32) -> Int {
            let position = Int(UInt32(bitPattern: position))
            return rows.map { Int($0[position]) } ?? position
        }
        guard positions.count > leafSize, shift >= 0 else {
            return sortLeaf(positions, rows: rows, flipHigh: flipHigh, ascending: ascending, entries: &entries)
        }
        @inline(__always) func bucket(_ position: Int32) -> Int {
            Int(truncatingIfNeeded: ((keys.key(row(position))!.0 ^ flipHigh) >> UInt64(shift)) & 0xFFFF)
        }
        var next = [Int](repeating: 0, count: CustomerSort.bucketCount + 1)
        for position in positions { next[bucket(position) + 1] += 1 }
        if next.contains(positions.count) {
            // One bucket holds them all (small integers agree on their high bits): on to the next 16 bits as they are.
            return sortBucket(
                positions, rows: rows, shift: shift - 16, flipHigh: flipHigh, ascending: ascending, entries: &entries,
                isCancelled: isCancelled)
        }
        for index in 1..<next.count { next[index] += next[index - 1] }
        let starts = next
        let copy = Array(positions)
        for position in copy {
            let bucket = bucket(position)
            positions[next[bucket]] = position
            next[bucket] += 1
        }
        for index in 0..<CustomerSort.bucketCount where starts[index + 1] > starts[index] {
            guard
                sortBucket(
                    UnsafeMutableBufferPointer(rebasing: positions[starts[index]..<starts[index + 1]]), rows: rows,
                    shift: shift - 16, flipHigh: flipHigh, ascending: ascending, entries: &entries,
                    isCancelled: isCancelled)
            else { return false }
        }
        return true
    }

    /// Sorts a bucket's positions by their keys, then the runs of equal keys whose values may differ by the values,
    /// then input position.
    private func sortLeaf(
        _ positions: UnsafeMutableBufferPointer<Int32>, rows: [Int32]?, flipHigh: UInt64, ascending: Bool,
        entries: inout [Entry]
    ) -> Bool {
        @inline(__always) func row(_ position: Int32) -> Int {
            let position = Int(UInt32(bitPattern: position))
            return rows.map { Int($0[position]) } ?? position
        }
        let flipLow: UInt32 = ascending ? 0 : ~0
        entries.removeAll(keepingCapacity: true)
        for position in positions {
            let key = keys.key(row(position))!
            entries.append(
                Entry(
                    high: key.0 ^ flipHigh,
                    low: UInt64(key.1 ^ flipLow) << 32 | UInt64(UInt32(bitPattern: position))))
        }
        entries.withUnsafeMutableBufferPointer { entries in
            entries.sort { $0 < $1 }
            var start = 0
            while start < entries.count {
                var end = start + 1
                while end < entries.count, entries[end].sameKey(entries[start]) { end += 1 }
                for index in start..<end { positions[index] = entries[index].position }
                if end - start > 1,
                    positions[start..<end].contains(where: { keys.mayTie(row($0)) })
                {
                    var run = UnsafeMutableBufferPointer(rebasing: positions[start..<end])
                    run.sort { left, right in
                        let order = keys.compare(row(left), row(right))
                        if order != 0 { return ascending ? order < 0 : order > 0 }
                        return UInt32(bitPattern: left) < UInt32(bitPattern: right)
                    }
                }
                start = end
            }
        }
        return true
    }
}

/// Ordering by small integer ranks: a stable counting sort, two passes over the rows whatever their number. Text with
/// few distinct values (cities, names) and dates, booleans and counts (whose values span a small range) are ranked
/// and sorted this way; comparing keys would take n log n.
///
/// Ranks are read from where they live (a dictionary's codes through the rank of each value, a date's offset from the
/// smallest) rather than from an array of ranks made first: at 10M rows that array was 38 MB more written and read
/// twice, out of the cache. Each core counts and places half of the rows.
/// What the sorts over a list of rows share.
enum SortedPositions {
    /// Turns positions in `rows` (what a sort of a list orders) into the rows themselves, in place.
    static func toRows(_ positions: inout [Int32], _ rows: [Int32]) {
        positions.withUnsafeMutableBufferPointer { positions in
            rows.withUnsafeBufferPointer { rows in
                for index in positions.indices { positions[index] = rows[Int(UInt32(bitPattern: positions[index]))] }
            }
        }
    }
}

enum RankedSort {
    /// No value.
    static let missing = UInt32.max

    /// `rows` (every row when nil; `total` of them) ordered by `source`'s ranks (below `rankCount`, or `missing`),
    /// stable, missing last.
    /// `counted`, for every row of a column (`rows` nil), is how many have each rank: then the rows are read once.
    static func sorted<Source: RankSource>(
        _ rows: [Int32]?, total: Int, source: Source, rankCount: Int, ascending: Bool, twoCoresFrom: Int,
        counted: RankCounts? = nil
    ) -> [Int32] {
        precondition(total < Int(UInt32.max), "a sort takes fewer than 2^32 rows")
        // Two parts only when the counts (a bucket per rank, per part) are small beside the rows.
        let parts =
            total >= twoCoresFrom && rankCount <= total / 8 ? [0..<total / 2, total / 2..<total] : [0..<total]
        let buckets = rankCount + 1
        @inline(__always) func bucket(_ rank: UInt32) -> Int {
            rank == missing ? rankCount : ascending ? Int(rank) : rankCount - 1 - Int(rank)
        }
        var counts: [[UInt32]]
        if let counted, rows == nil, counted.all.count == buckets {
            // By rank (missing last) to by bucket, per part: the first half's and the rest's.
            func byBucket(_ byRank: [UInt32]) -> [UInt32] {
                var counts = [UInt32](repeating: 0, count: buckets)
                for rank in 0..<rankCount { counts[bucket(UInt32(rank))] = byRank[rank] }
                counts[rankCount] = byRank[rankCount]
                return counts
            }
            let rest = zip(counted.all, counted.firstHalf).map { $0 &- $1 }
            counts = parts.count == 2 ? [byBucket(counted.firstHalf), byBucket(rest)] : [byBucket(counted.all)]
        } else {
            counts = Parallel.map(parts.count) { part -> [UInt32] in
                var counts = [UInt32](repeating: 0, count: buckets)
                counts.withUnsafeMutableBufferPointer { counts in
                    for position in parts[part] { counts[bucket(source.rank(position))] &+= 1 }
                }
                return counts
            }
        }
        // Each count becomes where its part's rows of that bucket start: earlier buckets, then earlier parts.
        var offset: UInt32 = 0
        for index in 0..<buckets {
            for part in parts.indices {
                let count = counts[part][index]
                counts[part][index] = offset
                offset &+= count
            }
        }
        let starts = counts
        counts = []
        return [Int32](unsafeUninitializedCapacity: total) { output, initialized in
            // Written out of order by rank: huge pages spare a TLB miss per write at 10M rows.
            HugePages.advise(UnsafeMutableRawBufferPointer(output))
            let output = output
            _ = Parallel.map(parts.count) { part in
                var next = starts[part]
                next.withUnsafeMutableBufferPointer { next in
                    for position in parts[part] {
                        let bucket = bucket(source.rank(position))
                        output[Int(next[bucket])] = rows.map { $0[position] } ?? Int32(truncatingIfNeeded: position)
                        next[bucket] &+= 1
                    }
                }
            }
            initialized = total
        }
    }

    /// The smallest of the integer keys at the rows (`missing` for none) and how many values they span, when they span
    /// at most `span`; nil otherwise. `(0, 0)` when no row has a value.
    static func range<Value: FixedWidthInteger>(
        _ values: [Value], missing: Value?, _ rows: [Int32]?, count: Int, span: Int = 1 << 22
    ) -> (low: Int64, count: Int)? {
        let total = rows?.count ?? count
        // Half the rows on each core: at 10M rows this pass reads 38 MB of dates before the counting starts.
        let parts = total >= RowSet.parallelThreshold ? [0..<total / 2, total / 2..<total] : [0..<total]
        let bounds = values.withUnsafeBufferPointer { values in
            Parallel.map(parts.count) { part -> (low: Int64, high: Int64) in
                var low = Int64.max
                var high = Int64.min
                for position in parts[part] {
                    let item = values[rows.map { Int($0[position]) } ?? position]
                    if let missing, item == missing { continue }
                    low = min(low, Int64(item))
                    high = max(high, Int64(item))
                }
                return (low, high)
            }
        }
        let low = bounds.map(\.low).min()!
        let high = bounds.map(\.high).max()!
        guard low <= high else { return (0, 0) }
        guard high - low < Int64(span) else { return nil }
        return (low, Int(high - low) + 1)
    }
}

/// Where a counting sort reads the rank of the row at each position of its list.
protocol RankSource {
    /// The rank of the row at `position` in the list, or `RankedSort.missing`.
    func rank(_ position: Int) -> UInt32
}

/// Ranks kept in an array, one per position.
struct ArrayRanks: RankSource {
    let ranks: UnsafeBufferPointer<UInt32>

    @inline(__always)
    func rank(_ position: Int) -> UInt32 { ranks[position] }
}

/// A dictionary column's rows ranked through their value's rank.
struct DictionaryRanks<Code: FixedWidthInteger & UnsignedInteger>: RankSource {
    let codes: UnsafeBufferPointer<Code>
    let valueRanks: UnsafeBufferPointer<UInt32>
    let rows: UnsafeBufferPointer<Int32>?

    @inline(__always)
    func rank(_ position: Int) -> UInt32 {
        valueRanks[Int(codes[rows.map { Int($0[position]) } ?? position])]
    }
}

/// Integers ranked by their offset from the smallest.
struct IntegerRanks<Value: FixedWidthInteger>: RankSource {
    let values: UnsafeBufferPointer<Value>
    let missing: Value?
    let low: Int64
    let rows: UnsafeBufferPointer<Int32>?

    @inline(__always)
    func rank(_ position: Int) -> UInt32 {
        let item = values[rows.map { Int($0[position]) } ?? position]
        if let missing, item == missing { return RankedSort.missing }
        return UInt32(truncatingIfNeeded: Int64(item) - low)
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
            var high = raw.loadUnaligned(as: UInt64.self)
            var low = UInt64(raw.loadUnaligned(fromByteOffset: 8, as: UInt32.self))
            if column.lowersOnRead { (high, low) = (ASCIICase.lowered(word: high), ASCIICase.lowered(word: low)) }
            return (UInt64(bigEndian: high), UInt32(bigEndian: UInt32(truncatingIfNeeded: low)))
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
