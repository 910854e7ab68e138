import RosterConcurrency

/// Orders rows by a folded text column of many distinct values (emails, CRM ids): stable, empty and missing values
/// last in both directions, text in folded (code point) order.
///
/// At 10M rows the column's bytes (~300 MB of emails) are far larger than the cache, so what a sort costs is how
/// often it reads a row's bytes out of order. The comparing sort before this one distributed rows by 16 bits of the
/// key at a time, reading every row's key again at each level (four to eight times for emails and CRM ids, whose
/// first bytes are shared by most rows: `francois.`, `crm-00`), then compared values one by one in the runs whose
/// 12-byte keys tied. Here:
///
/// 1. A sample of the rows (evenly spaced, up to 65,536) is sorted by the first 16 folded bytes of each value, and
///    its quantiles become the splitters of buckets of about `bucketRows` rows each, whatever the values share.
/// 2. One pass over the rows in their order (both cores, half each) finds each row's bucket by its 16 bytes (a table
///    on the bits past the sample's common prefix, then a binary search among a few splitters) and counts it; the
///    bucket of each row is kept, 2 bytes a row; a second pass places the positions, bucket by bucket, into the
///    result's own buffer. These passes read the bytes in order.
/// 3. Each bucket, small enough for the cache, reads its rows' 16 bytes once (its positions increase, so the reads
///    go forward through memory), sorts them with the position as the last key, and only runs whose 16 bytes tie
///    and go on read their next 16 bytes and are sorted again, recursively. A bucket that is still large (many rows
///    sharing 16 bytes) is distributed again from the next 16 bytes.
///
/// The result is exact: the 16 bytes are compared as two big-endian words, zero-padded past the end of a value (which
/// holds no NUL), so word order is text order, and the position breaks ties, which makes the sort stable.
struct TextSort {
    let column: FoldedTextColumn
    /// A bucket of at most this many rows is sorted as one.
    var leafSize = 1 << 15
    /// The rows per bucket the distribution aims at.
    var bucketRows = 2048
    /// At most this many rows are sampled for the splitters.
    var sampleSize = 1 << 16
    /// Past this many bytes of shared prefix, rows are compared value by value: each 16 bytes further is one more
    /// level of recursion, and values sharing 40 KB (2,500 levels) overflowed a thread's stack of 512 KiB in a test.
    var deepest = 256

    /// 16 bytes of a value from some depth, then the row's position in the input.
    fileprivate struct Entry {
        var high: UInt64
        var low: UInt64
        var position: UInt32

        @inline(__always)
        static func < (left: Entry, right: Entry) -> Bool {
            if left.high != right.high { return left.high < right.high }
            if left.low != right.low { return left.low < right.low }
            return left.position < right.position
        }

        @inline(__always)
        func sameWords(_ other: Entry) -> Bool { high == other.high && low == other.low }
    }

    /// The column's buffers, read through pointers while a sort runs.
    fileprivate struct Reader {
        let bytes: UnsafePointer<UInt8>
        /// The number of bytes: a load of 16 must end there.
        let end: Int
        let starts: UnsafeBufferPointer<UInt32>
        /// A dictionary column's codes, at one width or the other.
        let narrow: UnsafeBufferPointer<UInt16>?
        let wide: UnsafeBufferPointer<UInt32>?
        let rows: UnsafeBufferPointer<Int32>?
        let lowers: Bool
        /// All ones when descending: the words are inverted, so that later values come first and a shorter value
        /// (zero padding, inverted) after the longer ones it begins.
        let flip: UInt64

        @inline(__always)
        func row(_ position: Int) -> Int { rows.map { Int($0[position]) } ?? position }

        /// The 16 folded bytes of the row at `position` from `depth`, zero-padded, as two big-endian words (inverted
        /// when descending); nil at depth 0 for a row without a value.
        @inline(__always)
        func words(_ position: Int, depth: Int) -> (UInt64, UInt64)? {
            let (start, length) = location(position)
            return words(start: start, length: length, depth: depth)
        }

        /// Where the folded bytes of the row at `position` start, and their length.
        @inline(__always)
        func location(_ position: Int) -> (start: Int, length: Int) {
            let row = row(position)
            let value = narrow.map { Int($0[row]) } ?? wide.map { Int($0[row]) } ?? row
            let start = Int(starts[value])
            return (start, Int(starts[value + 1]) - start - 1)
        }

        /// The order of the values of the rows at two positions from `depth` on (ascending): <0, 0 or >0.
        func compare(_ first: Int, _ second: Int, from depth: Int) -> Int {
            let (firstStart, firstLength) = location(first)
            let (secondStart, secondLength) = location(second)
            let (firstCount, secondCount) = (max(0, firstLength - depth), max(0, secondLength - depth))
            let common = min(firstCount, secondCount)
            if common > 0 {
                let order = ASCIICase.compare(
                    bytes + firstStart + depth, lowering: lowers, bytes + secondStart + depth, lowering: lowers,
                    count: common)
                if order != 0 { return order }
            }
            return firstCount - secondCount
        }

        /// `words(_:depth:)` of the value at `start`, `length` bytes long.
        @inline(__always)
        func words(start: Int, length: Int, depth: Int) -> (UInt64, UInt64)? {
            if depth == 0, length <= 0 { return nil }
            let available = length - depth
            let base = UnsafeRawPointer(bytes + start + depth)
            var high: UInt64
            var low: UInt64
            if available <= 0 {
                (high, low) = (0, 0)
            } else if available >= 16 || start + depth + 16 <= end {
                // 16 bytes loaded at once; past the value's end (its NUL, the next values) they are masked to zero.
                high = base.loadUnaligned(as: UInt64.self)
                low = base.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
                if available < 16 {
                    // Little-endian loads: the value's bytes are the low ones.
                    if available < 8 { high &= ~0 >> UInt64(64 - 8 * available) }
                    low = available <= 8 ? 0 : low & ~0 >> UInt64(64 - 8 * (available - 8))
                }
                if lowers { (high, low) = (ASCIICase.lowered(word: high), ASCIICase.lowered(word: low)) }
                high = UInt64(bigEndian: high)
                low = UInt64(bigEndian: low)
            } else {
                high = 0
                low = 0
                let bytes = base.assumingMemoryBound(to: UInt8.self)
                for index in 0..<16 {
                    let byte: UInt8 =
                        index < available ? (lowers ? ASCIICase.lowered(bytes[index]) : bytes[index]) : 0
                    if index < 8 { high = high << 8 | UInt64(byte) } else { low = low << 8 | UInt64(byte) }
                }
            }
            return (high ^ flip, low ^ flip)
        }
    }

    /// `rows` (every row of the column when nil; `count` of them) sorted; nil when `isCancelled` said so.
    func sorted(
        _ rows: [Int32]?, count: Int, ascending: Bool, isCancelled: @Sendable () -> Bool = { false },
        twoCoresFrom: Int = RowSet.parallelThreshold
    ) -> [Int32]? {
        let total = rows?.count ?? count
        precondition(total < Int(UInt32.max), "a sort takes fewer than 2^32 rows")
        var cancelled = false
        var result = [Int32](unsafeUninitializedCapacity: total) { output, initialized in
            // Written out of order by bucket: huge pages spare a TLB miss per write at 10M rows.
            HugePages.advise(UnsafeMutableRawBufferPointer(output))
            for index in 0..<total { output[index] = Int32(truncatingIfNeeded: index) }
            initialized = total
            cancelled = withReader(rows, ascending: ascending) { reader in
                !sortRange(
                    output, depth: 0, reader: reader, sequential: true, twoCores: total >= twoCoresFrom,
                    isCancelled: isCancelled)
            }
        }
        guard !cancelled, !isCancelled() else { return nil }
        if let rows { SortedPositions.toRows(&result, rows) }
        return result
    }

    private func withReader<Result>(_ rows: [Int32]?, ascending: Bool, _ body: (Reader) -> Result) -> Result {
        column.bytes.withUnsafeBufferPointer { bytes in
            column.starts.withUnsafeBufferPointer { starts in
                func with(_ narrow: UnsafeBufferPointer<UInt16>?, _ wide: UnsafeBufferPointer<UInt32>?) -> Result {
                    func with(rows list: UnsafeBufferPointer<Int32>?) -> Result {
                        // An empty buffer may have no base address: any valid pointer serves, no byte is read.
                        let pointer = bytes.baseAddress ?? UnsafePointer(bitPattern: 1)!
                        return body(
                            Reader(
                                bytes: pointer, end: bytes.count, starts: starts, narrow: narrow, wide: wide,
                                rows: list,
                                lowers: column.lowersOnRead, flip: ascending ? 0 : ~0))
                    }
                    guard let rows else { return with(rows: nil) }
                    return rows.withUnsafeBufferPointer { with(rows: $0) }
                }
                switch column.codes {
                case nil: return with(nil, nil)
                case .narrow(let codes): return codes.withUnsafeBufferPointer { with($0, nil) }
                case .wide(let codes): return codes.withUnsafeBufferPointer { with(nil, $0) }
                }
            }
        }
    }

    /// Sorts `positions` (increasing, rows whose values agree on their first `depth` bytes) in place by the values
    /// from `depth`; rows without a value go last, in order. `sequential` says the positions are `0..<count` (the
    /// first level, which reads the bytes in order). False when cancelled.
    private func sortRange(
        _ positions: UnsafeMutableBufferPointer<Int32>, depth: Int, reader: Reader, sequential: Bool, twoCores: Bool,
        isCancelled: @Sendable () -> Bool
    ) -> Bool {
        guard positions.count > 1 else { return true }
        if isCancelled() { return false }
        guard positions.count > leafSize else {
            var entries: [Entry] = []
            return sortLeaf(positions, depth: depth, reader: reader, entries: &entries)
        }
        guard
            let splitters = self.splitters(positions, depth: depth, reader: reader),
            !splitters.keys.isEmpty
        else {
            // Every sampled row has the same 16 bytes (or none has a value): the rows that do are distributed again
            // by their next 16 bytes, after those that do not.
            return sortShared(
                positions, depth: depth, reader: reader, twoCores: twoCores, isCancelled: isCancelled)
        }
        let bucketCount = splitters.keys.count + 2  // the last one: no value
        let parts = twoCores ? [0..<positions.count / 2, positions.count / 2..<positions.count] : [0..<positions.count]
        // The bucket of each position (2 bytes each), and each part's count per bucket.
        var buckets = [UInt16](repeating: 0, count: positions.count)
        let counts = buckets.withUnsafeMutableBufferPointer { buckets in
            let buckets = buckets
            return Parallel.map(parts.count) { part -> [Int]? in
                var counts = [Int](repeating: 0, count: bucketCount)
                for index in parts[part] {
                    if index & 0xFFFF == 0, isCancelled() { return nil }
                    let position = Int(UInt32(bitPattern: positions[index]))
                    let bucket =
                        reader.words(position, depth: depth).map { splitters.bucket(of: $0) } ?? bucketCount - 1
                    buckets[index] = UInt16(truncatingIfNeeded: bucket)
                    counts[bucket] += 1
                }
                return counts
            }
        }
        guard counts.allSatisfy({ $0 != nil }), !isCancelled() else { return false }
        if (0..<bucketCount).contains(where: { bucket in counts.reduce(0) { $0 + $1![bucket] } == positions.count }) {
            // One bucket holds every row (most rows share the sample's smallest value): split around one value.
            buckets = []
            return sortShared(
                positions, depth: depth, reader: reader, twoCores: twoCores, isCancelled: isCancelled)
        }
        // Each part places its positions after the earlier parts' positions of the same bucket: input order within
        // a bucket.
        var next = [[Int]](repeating: [], count: parts.count)
        var bucketStarts = [Int](repeating: 0, count: bucketCount + 1)
        var offset = 0
        for bucket in 0..<bucketCount {
            bucketStarts[bucket] = offset
            for part in parts.indices {
                next[part].append(offset)
                offset += counts[part]![bucket]
            }
        }
        bucketStarts[bucketCount] = offset
        let copy = sequential ? nil : Array(positions)
        buckets.withUnsafeBufferPointer { buckets in
            _ = Parallel.map(parts.count) { part in
                var next = next[part]
                for index in parts[part] {
                    let bucket = Int(buckets[index])
                    positions[next[bucket]] = copy.map { $0[index] } ?? Int32(truncatingIfNeeded: index)
                    next[bucket] += 1
                }
            }
        }
        buckets = []
        // The buckets in two groups of about half the rows each, one per core; the rows without a value stay last, in
        // order.
        let present = bucketStarts[bucketCount - 1]
        let split = twoCores ? (bucketStarts.firstIndex { $0 >= present / 2 } ?? 0) : bucketCount - 1
        let groups = twoCores ? [0..<split, split..<bucketCount - 1] : [0..<bucketCount - 1]
        let finished = Parallel.map(groups.count) { group -> Bool in
            for bucket in groups[group] where bucketStarts[bucket + 1] - bucketStarts[bucket] > 1 {
                let slice = UnsafeMutableBufferPointer(
                    rebasing: positions[bucketStarts[bucket]..<bucketStarts[bucket + 1]])
                guard
                    sortRange(
                        slice, depth: depth, reader: reader, sequential: false, twoCores: false,
                        isCancelled: isCancelled)
                else { return false }
            }
            return true
        }
        return !finished.contains(false)
    }

    /// The sort of a range whose sampled rows all share their 16 bytes from `depth`: the rows without a value (at
    /// depth 0) move last in order; the others are split by whether their 16 bytes are those, below or above them, and
    /// the equal ones sorted from `depth + 16` (or left in order when they end there: equal values).
    private func sortShared(
        _ positions: UnsafeMutableBufferPointer<Int32>, depth: Int, reader: Reader, twoCores: Bool,
        isCancelled: @Sendable () -> Bool
    ) -> Bool {
        // Three-way partition, stable: below, equal, above the first present row's words; then no value.
        guard let pivotIndex = positions.firstIndex(where: { reader.words(Int($0), depth: depth) != nil }) else {
            return true
        }
        let pivot = reader.words(Int(positions[pivotIndex]), depth: depth)!
        var below: [Int32] = []
        var equal: [Int32] = []
        var above: [Int32] = []
        var missing: [Int32] = []
        for position in positions {
            guard let words = reader.words(Int(position), depth: depth) else {
                missing.append(position)
                continue
            }
            if words == pivot {
                equal.append(position)
            } else if words.0 < pivot.0 || (words.0 == pivot.0 && words.1 < pivot.1) {
                below.append(position)
            } else {
                above.append(position)
            }
        }
        var offset = 0
        for (part, nextDepth) in [(below, depth), (equal, depth + 16), (above, depth)] {
            let slice = UnsafeMutableBufferPointer(rebasing: positions[offset..<offset + part.count])
            _ = slice.initialize(from: part)
            offset += part.count
            if part.count < 2 { continue }
            if nextDepth > depth {
                // Rows that end within these 16 bytes are equal values: they keep their order.
                let ends = (pivot.1 ^ reader.flip) & 0xFF == 0
                if ends { continue }
                if nextDepth >= deepest {
                    compareSort(slice, from: nextDepth, reader: reader)
                    continue
                }
                guard
                    sortRange(
                        slice, depth: nextDepth, reader: reader, sequential: false, twoCores: twoCores,
                        isCancelled: isCancelled)
                else { return false }
            } else {
                guard
                    sortRange(
                        slice, depth: depth, reader: reader, sequential: false, twoCores: twoCores,
                        isCancelled: isCancelled)
                else { return false }
            }
        }
        _ = UnsafeMutableBufferPointer(rebasing: positions[offset...]).initialize(from: missing)
        return true
    }

    /// Splitters from a sample of `positions`' 16 bytes at `depth`: nil when no sampled row has a value, empty when
    /// they all agree.
    private func splitters(_ positions: UnsafeMutableBufferPointer<Int32>, depth: Int, reader: Reader)
        -> Splitters?
    {
        let sampled = min(positions.count, sampleSize)
        var sample: [(UInt64, UInt64)] = []
        sample.reserveCapacity(sampled)
        for index in 0..<sampled {
            let position = Int(UInt32(bitPattern: positions[index * positions.count / sampled]))
            if let words = reader.words(position, depth: depth) { sample.append(words) }
        }
        guard !sample.isEmpty else { return nil }
        sample.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
        let buckets = min(1 << 14, max(2, positions.count / bucketRows))
        var keys: [(UInt64, UInt64)] = []
        for bucket in 1..<buckets {
            let key = sample[bucket * sample.count / buckets]
            if keys.last.map({ $0 != key }) ?? true { keys.append(key) }
        }
        if keys.count == 1, sample.first! == sample.last! { return Splitters(keys: []) }
        return Splitters(keys: keys)
    }

    /// Sorts a bucket's positions by their 16 bytes from `depth`, then the position; runs that tie and go on are
    /// sorted again from `depth + 16`.
    private func sortLeaf(
        _ positions: UnsafeMutableBufferPointer<Int32>, depth: Int, reader: Reader, entries: inout [Entry]
    ) -> Bool {
        entries.removeAll(keepingCapacity: true)
        entries.reserveCapacity(positions.count)
        var missing: [Int32] = []
        // Two passes: where each value is, then its bytes. The second pass's reads do not wait on one another, so the
        // cache misses of many rows (out of the cache at 10M rows) are in flight at once.
        for position in positions {
            let (start, length) = reader.location(Int(UInt32(bitPattern: position)))
            entries.append(
                Entry(
                    high: UInt64(start), low: UInt64(bitPattern: Int64(length)),
                    position: UInt32(bitPattern: position)))
        }
        var kept = 0
        for index in entries.indices {
            let entry = entries[index]
            guard
                let words = reader.words(
                    start: Int(entry.high), length: Int(Int64(bitPattern: entry.low)), depth: depth)
            else {
                missing.append(Int32(bitPattern: entry.position))
                continue
            }
            entries[kept] = Entry(high: words.0, low: words.1, position: entry.position)
            kept += 1
        }
        entries.removeLast(entries.count - kept)
        var runs: [Range<Int>] = []
        entries.withUnsafeMutableBufferPointer { entries in
            entries.sort { $0 < $1 }
            var start = 0
            while start < entries.count {
                var end = start + 1
                while end < entries.count, entries[end].sameWords(entries[start]) { end += 1 }
                for index in start..<end { positions[index] = Int32(bitPattern: entries[index].position) }
                // Equal 16 bytes: the values go on past them unless the last byte is padding.
                if end - start > 1, (entries[start].low ^ reader.flip) & 0xFF != 0 { runs.append(start..<end) }
                start = end
            }
        }
        for (index, position) in missing.enumerated() { positions[entries.count + index] = position }
        var inner: [Entry] = []
        for run in runs {
            // The run's positions are in increasing order (the position breaks ties).
            if depth + 16 >= deepest {
                compareSort(UnsafeMutableBufferPointer(rebasing: positions[run]), from: depth + 16, reader: reader)
                continue
            }
            guard
                sortLeaf(
                    UnsafeMutableBufferPointer(rebasing: positions[run]), depth: depth + 16, reader: reader,
                    entries: &inner)
            else { return false }
        }
        return true
    }
}

extension TextSort {
    /// Sorts positions of rows that agree on their first `depth` bytes by comparing the rest of their values, then by
    /// position.
    fileprivate func compareSort(_ positions: UnsafeMutableBufferPointer<Int32>, from depth: Int, reader: Reader) {
        var positions = positions
        let ascending = reader.flip == 0
        positions.sort { left, right in
            let order = reader.compare(Int(left), Int(right), from: depth)
            if order != 0 { return ascending ? order < 0 : order > 0 }
            return left < right
        }
    }
}

/// The splitters of a text sort's buckets: bucket `i` holds the words from `keys[i - 1]` (included) to `keys[i]`
/// (excluded).
private struct Splitters {
    let keys: [(UInt64, UInt64)]
    /// The bits of the first word that every key shares: a table indexed by the next 16 bits gives the keys to search.
    private let shared: Int
    private let prefix: UInt64
    private let table: [UInt32]

    init(keys: [(UInt64, UInt64)]) {
        self.keys = keys
        guard let first = keys.first, let last = keys.last else {
            (shared, prefix, table) = (0, 0, [])
            return
        }
        let shared = min(48, (first.0 ^ last.0).leadingZeroBitCount)
        self.shared = shared
        prefix = shared == 0 ? 0 : first.0 >> UInt64(64 - shared)
        // table[i]: the number of keys whose first word's 16 bits after the shared prefix are below i (so the keys
        // with those bits are table[i]..<table[i + 1]).
        var table = [UInt32](repeating: 0, count: (1 << 16) + 1)
        for key in keys { table[Int(Splitters.slot(key.0, shared: shared)) + 1] += 1 }
        for index in 1..<table.count { table[index] += table[index - 1] }
        self.table = table
    }

    @inline(__always)
    private static func slot(_ word: UInt64, shared: Int) -> UInt64 { (word << UInt64(shared)) >> 48 }

    /// The bucket of `words`: the number of keys at or below them.
    @inline(__always)
    func bucket(of words: (UInt64, UInt64)) -> Int {
        let head = shared == 0 ? 0 : words.0 >> UInt64(64 - shared)
        if head != prefix { return head < prefix ? 0 : keys.count }
        let slot = Int(Splitters.slot(words.0, shared: shared))
        var low = Int(table[slot])
        var high = Int(table[slot + 1])
        // Keys in low..<high share the slot; the answer is in low...high.
        while low < high {
            let middle = (low + high) / 2
            let key = keys[middle]
            if key.0 < words.0 || (key.0 == words.0 && key.1 <= words.1) { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
