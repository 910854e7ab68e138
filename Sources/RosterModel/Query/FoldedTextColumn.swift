#if canImport(Darwin)
    import Darwin
#elseif canImport(Glibc)
    import Glibc
#endif

/// One text column folded for filters: the folded bytes of every value in one buffer, each present value followed by
/// a NUL, the layout of `TextColumn`.
///
/// One buffer instead of a `String` per row is what makes a contains-search over a million rows a few milliseconds:
/// the scan runs over contiguous memory, and the NUL after each value keeps a match from spanning two (folded text
/// never contains NUL). A missing value has no bytes. A column already in folded form (emails, phones) is used as it
/// is: the arrays are shared with the working set, not copied.
///
/// A column of few distinct values (cities, names: tens to thousands among millions of rows) is kept as a
/// dictionary: `bytes` and `starts` hold each distinct value once, and `codes` the value of each row (value 0 is
/// "missing"). At 10M rows that is 4 bytes a row instead of a folded copy of every value and its offset (the folded
/// copies of the text fields took the console past 2 GB), and a filter tests each distinct value once.
struct FoldedTextColumn: Sendable {
    /// The folded values' UTF-8, each present one followed by a NUL.
    let bytes: [UInt8]
    /// Where each value starts in `bytes`; `starts[values]` is the end of the buffer.
    let starts: [UInt32]
    /// The value of each row, when the column is a dictionary; nil when value `i` is row `i`.
    let codes: DictionaryCodes?
    /// Whether `bytes` are the raw text, ASCII without a lower-case letter, whose folded form is them with A–Z lowered
    /// (CRM ids): kept instead of a folded copy, see `ASCIICase`.
    let lowersOnRead: Bool

    /// The number of rows.
    var count: Int { codes?.count ?? starts.count - 1 }

    /// The value a row has (an index into `starts`).
    @inline(__always)
    func value(_ row: Int) -> Int {
        if let codes { return codes[row] }
        return row
    }

    /// The distinct values as a column of their own (one row each), for a test to run once per value.
    var values: FoldedTextColumn {
        FoldedTextColumn(bytes: bytes, starts: starts, codes: nil, lowersOnRead: lowersOnRead)
    }

    private init(bytes: [UInt8], starts: [UInt32], codes: DictionaryCodes?, lowersOnRead: Bool = false) {
        self.bytes = bytes
        self.starts = starts
        self.codes = codes
        self.lowersOnRead = lowersOnRead
    }

    /// The folded form of `column`: the column itself when it is already folded; a dictionary when it has at most
    /// `dictionaryLimit` distinct values (default: a quarter of the rows); the column itself, lowered as it is read,
    /// when it is ASCII without a lower-case letter (unless `lowering` is false); else every row folded in parallel
    /// chunks straight into the final buffer (sharing the column's offsets when folding changed no length).
    init(_ column: TextColumn, dictionaryLimit: Int? = nil, lowering: Bool = true) {
        if column.isFolded {
            self.init(bytes: column.bytes, starts: column.starts, codes: nil)
        } else if let dictionary = FoldedTextColumn.dictionary(column, limit: dictionaryLimit ?? column.count / 4) {
            self = dictionary
        } else if lowering, column.isASCII(withoutLettersFrom: 0x61) {
            self.init(bytes: column.bytes, starts: column.starts, codes: nil, lowersOnRead: true)
        } else {
            self.init(folding: column)
        }
    }

    /// Each distinct value of `column` folded once and the value of each row, or nil past `limit` distinct values.
    /// Equal raw values share a value; values that only fold alike (`Madrid`, `MADRID`) stay apart, which every
    /// comparison allows (they compare equal). A sample first spares the attempt when the values are clearly too many
    /// (`DistinctSample`: the CRM ids' attempt held ~80 MB at 10M rows before giving up).
    private static func dictionary(_ column: TextColumn, limit: Int) -> FoldedTextColumn? {
        let count = column.count
        let clearlyTooMany = column.bytes.withUnsafeBufferPointer { bytes in
            column.starts.withUnsafeBufferPointer { starts in
                DistinctSample.clearlyMore(than: limit, count: count) { row in
                    let start = Int(starts[row])
                    let length = Int(starts[row + 1]) - start
                    return length > 0 ? FoldedTextColumn.hash(bytes.baseAddress! + start, length) : nil
                }
            }
        }
        guard !clearlyTooMany else { return nil }
        var firstRows: [Int32] = []
        var hashes: [UInt64] = []
        var slots = [Int32](repeating: -1, count: 1024)
        var codes = DictionaryCodesBuilder(count: count)
        var complete = true
        column.bytes.withUnsafeBufferPointer { bytes in
            column.starts.withUnsafeBufferPointer { starts in
                codes.fill { codes, from in
                    for row in from..<count {
                        let start = Int(starts[row])
                        let length = Int(starts[row + 1]) - start
                        guard length > 0 else { continue }  // missing: value 0
                        let base = bytes.baseAddress! + start
                        let hash = FoldedTextColumn.hash(base, length)
                        var mask = slots.count - 1
                        var slot = Int(truncatingIfNeeded: hash) & mask
                        var found = -1
                        while slots[slot] >= 0 {
                            let candidate = Int(slots[slot])
                            let other = Int(starts[Int(firstRows[candidate])])
                            if hashes[candidate] == hash, Int(starts[Int(firstRows[candidate]) + 1]) - other == length,
                                memcmp(bytes.baseAddress! + other, base, length) == 0
                            {
                                found = candidate
                                break
                            }
                            slot = (slot + 1) & mask
                        }
                        if found < 0 {
                            guard firstRows.count < limit else {
                                complete = false
                                return nil
                            }
                            found = firstRows.count
                            firstRows.append(Int32(row))
                            hashes.append(hash)
                            slots[slot] = Int32(found)
                            if firstRows.count * 2 > slots.count {
                                slots = [Int32](repeating: -1, count: slots.count * 2)
                                mask = slots.count - 1
                                for (group, hash) in hashes.enumerated() {
                                    var slot = Int(truncatingIfNeeded: hash) & mask
                                    while slots[slot] >= 0 { slot = (slot + 1) & mask }
                                    slots[slot] = Int32(group)
                                }
                            }
                        }
                        // Past 65,535 values: again from this row with 4 bytes a row (the value is in the table now).
                        guard found < codes.maximum else { return row }
                        codes.set(row, found + 1)
                    }
                    return nil
                }
            }
        }
        guard complete else { return nil }
        var builder = TextColumnBuilder(capacity: firstRows.count + 1)
        builder.appendMissing()
        for row in firstRows { column.withUTF8(Int(row)) { builder.append(utf8: $0!) } }
        let values = FoldedTextColumn(folding: builder.build())
        return FoldedTextColumn(bytes: values.bytes, starts: values.starts, codes: codes.codes)
    }

    @inline(__always)
    static func hash(_ base: UnsafePointer<UInt8>, _ length: Int) -> UInt64 {
        var hash: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(length)
        var offset = 0
        let raw = UnsafeRawPointer(base)
        while offset + 8 <= length {
            hash = (hash ^ raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) &* 0xBF58_476D_1CE4_E5B9
            hash ^= hash >> 31
            offset += 8
        }
        var tail: UInt64 = 0
        while offset < length {
            tail = tail << 8 | UInt64(base[offset])
            offset += 1
        }
        hash = (hash ^ tail) &* 0x94D0_49BB_1331_11EB
        return hash ^ (hash >> 29)
    }

    /// Every row of `column` folded, in parallel chunks straight into the final buffer.
    private init(folding column: TextColumn) {
        let count = column.count
        let chunks = RowSet.chunks(count: count)
        // Folding rarely makes text longer than its UTF-8 (`ŉ` is one of the few), so each chunk gets a region of
        // that size plus 64; a chunk that overflows its region sends everything down the slow path.
        let regionSizes = chunks.map { Int(column.starts[$0.upperBound] - column.starts[$0.lowerBound]) + 64 }
        let regionStarts = regionSizes.indices.map { regionSizes[..<$0].reduce(0, +) }
        let capacity = regionSizes.reduce(0, +)
        var used = [Int?](repeating: nil, count: chunks.count)
        var starts = [UInt32](repeating: 0, count: count + 1)
        var bytes = [UInt8](unsafeUninitializedCapacity: capacity) { buffer, initialized in
            used.withUnsafeMutableBufferPointer { used in
                starts.withUnsafeMutableBufferPointer { starts in
                    column.bytes.withUnsafeBufferPointer { source in
                        column.starts.withUnsafeBufferPointer { sourceStarts in
                            let (used, starts, buffer) = (used, starts, buffer)
                            RowSet.forEachChunk(count: count) { rows in
                                let chunk = chunks.firstIndex(of: rows)!
                                used[chunk] = FoldedTextColumn.fold(
                                    source, sourceStarts, rows: rows, into: buffer.baseAddress!,
                                    from: regionStarts[chunk], limit: regionStarts[chunk] + regionSizes[chunk],
                                    starts: starts)
                            }
                        }
                    }
                }
            }
            guard !used.contains(where: { $0 == nil }) else { return initialized = 0 }
            initialized = FoldedTextColumn.closeGaps(
                in: buffer, used: used.map { $0! }, regionStarts: regionStarts, chunks: chunks, starts: &starts)
        }
        if used.contains(where: { $0 == nil }) {
            bytes = []
            for row in 0..<count {
                starts[row] = UInt32(bytes.count)
                if let value = column[row] {
                    bytes += TextFolding.fold(value)
                    bytes.append(0)
                }
            }
        }
        precondition(bytes.count < Int(UInt32.max), "a folded text column holds less than 4 GiB")
        starts[count] = UInt32(bytes.count)
        // ASCII text folds to the same lengths: the column's own offsets then serve (one array fewer per column).
        if starts == column.starts { starts = column.starts }
        self.init(bytes: bytes, starts: starts, codes: nil)
    }

    /// Folds `rows` of a text column into `output` from `offset`, recording where each row starts; the end offset,
    /// or nil when the rows do not fit before `limit`.
    private static func fold(
        _ source: UnsafeBufferPointer<UInt8>, _ sourceStarts: UnsafeBufferPointer<UInt32>, rows: Range<Int>,
        into output: UnsafeMutablePointer<UInt8>, from offset: Int, limit: Int,
        starts: UnsafeMutableBufferPointer<UInt32>
    ) -> Int? {
        var folding = TextFolding()
        var position = offset
        for row in rows {
            starts[row] = UInt32(truncatingIfNeeded: position)
            let start = Int(sourceStarts[row])
            let end = Int(sourceStarts[row + 1])
            guard end > start else { continue }
            let room = limit - position - 1
            guard
                let written = folding.fold(
                    UnsafeBufferPointer(rebasing: source[start..<end - 1]), into: output + position, capacity: room)
            else { return nil }
            position += written
            guard position < limit else { return nil }
            output[position] = 0
            position += 1
        }
        return position
    }

    /// Moves each chunk's bytes down to follow the previous chunk's, so that the buffer has no gap; returns its size.
    private static func closeGaps(
        in buffer: UnsafeMutableBufferPointer<UInt8>, used: [Int], regionStarts: [Int], chunks: [Range<Int>],
        starts: inout [UInt32]
    ) -> Int {
        var end = used.first ?? 0
        for chunk in chunks.indices.dropFirst() {
            let shift = regionStarts[chunk] - end
            let length = used[chunk] - regionStarts[chunk]
            if shift > 0 {
                memmove(buffer.baseAddress! + end, buffer.baseAddress! + regionStarts[chunk], length)
                for row in chunks[chunk] { starts[row] -= UInt32(shift) }
            }
            end += length
        }
        return end
    }

    /// The length of a row's folded text; 0 when the value is missing or empty.
    @inline(__always)
    func length(_ row: Int) -> Int {
        let value = self.value(row)
        return max(0, Int(starts[value + 1] &- starts[value]) - 1)
    }

    /// Compares a row's folded text with `needle` bytewise (UTF-8 order is code point order): <0, 0 or >0.
    @inline(__always)
    func compare(_ row: Int, with needle: UnsafeBufferPointer<UInt8>, in buffer: UnsafeBufferPointer<UInt8>) -> Int {
        let start = Int(starts[value(row)])
        let length = self.length(row)
        let common = min(length, needle.count)
        if common > 0 {
            let order =
                lowersOnRead
                ? ASCIICase.compare(
                    buffer.baseAddress! + start, lowering: true, needle.baseAddress!, lowering: false, count: common)
                : Int(memcmp(buffer.baseAddress! + start, needle.baseAddress!, common))
            if order != 0 { return order }
        }
        return length - needle.count
    }

    /// Compares the folded text of two rows bytewise: <0, 0 or >0.
    func compareRows(_ first: Int, _ second: Int, in buffer: UnsafeBufferPointer<UInt8>) -> Int {
        let firstLength = length(first)
        let secondLength = length(second)
        let common = min(firstLength, secondLength)
        if common > 0 {
            let base = buffer.baseAddress!
            let (a, b) = (base + Int(starts[value(first)]), base + Int(starts[value(second)]))
            let order =
                lowersOnRead
                ? ASCIICase.compare(a, lowering: true, b, lowering: true, count: common) : Int(memcmp(a, b, common))
            if order != 0 { return order }
        }
        return firstLength - secondLength
    }

    /// Eight folded bytes of a row from `offset` as a big-endian word, zero-padded: equal words mean equal text up to
    /// there, and word order is text order, which lets sorting compare integers.
    @inline(__always)
    func sortKey(_ row: Int, from offset: Int, in buffer: UnsafeBufferPointer<UInt8>) -> UInt64 {
        let start = Int(starts[value(row)]) + offset
        let available = max(0, min(8, length(row) - offset))
        var key: UInt64 = 0
        for index in 0..<8 {
            key <<= 8
            if index < available {
                key |= UInt64(lowersOnRead ? ASCIICase.lowered(buffer[start + index]) : buffer[start + index])
            }
        }
        return key
    }

    /// What `bytes` hold where the folded text holds `folded` (a folded needle): itself, or raised when the column is
    /// lowered on read.
    func storedForm(of folded: [UInt8]) -> [UInt8] { lowersOnRead ? ASCIICase.raised(folded) : folded }

    /// Adds to `words` the rows in `rows` whose folded text contains `needle` (an empty needle finds every non-empty
    /// row).
    func addRows(containing needle: [UInt8], in rows: Range<Int>, to words: UnsafeMutableBufferPointer<UInt64>) {
        guard !rows.isEmpty else { return }
        let needle = storedForm(of: needle)
        if let codes {
            // Each distinct value is searched once, then each row looks up its value's answer.
            let values = self.values
            var matching = [UInt64](repeating: 0, count: (values.count + 63) / 64)
            matching.withUnsafeMutableBufferPointer { values.addRows(containing: needle, in: 0..<values.count, to: $0) }
            matching.withUnsafeBufferPointer { matching in
                codes.withCodes(MarkRows(rows: rows, matching: matching, words: words))
            }
            return
        }
        bytes.withUnsafeBufferPointer { buffer in
            starts.withUnsafeBufferPointer { starts in
                needle.withUnsafeBufferPointer { needle in
                    if needle.isEmpty {
                        for row in rows where starts[row + 1] - starts[row] > 1 { set(row, in: words) }
                        return
                    }
                    let search = ByteSubstringSearch(needle: needle)
                    let end = Int(starts[rows.upperBound])
                    var position = Int(starts[rows.lowerBound])
                    var row = rows.lowerBound
                    while let hit = search.firstMatch(in: buffer, from: position, to: end) {
                        row = FoldedTextColumn.row(containing: hit, from: row, starts: starts, limit: rows.upperBound)
                        set(row, in: words)
                        position = Int(starts[row + 1])
                    }
                }
            }
        }
    }

    @inline(__always)
    private func set(_ row: Int, in words: UnsafeMutableBufferPointer<UInt64>) {
        words[row >> 6] |= 1 << UInt64(row & 63)
    }

    /// The row whose bytes hold `offset`, searched forward from `row` by galloping: matches come in order, often in
    /// nearby rows.
    private static func row(containing offset: Int, from row: Int, starts: UnsafeBufferPointer<UInt32>, limit: Int)
        -> Int
    {
        let target = UInt32(offset)
        var low = row
        var step = 1
        var high = row + 1
        while high < limit, starts[high] <= target {
            low = high
            step <<= 1
            high = min(limit, high + step)
        }
        // Invariant: starts[low] <= target < starts[high] (or high == limit).
        while high - low > 1 {
            let middle = (low + high) / 2
            if starts[middle] <= target { low = middle } else { high = middle }
        }
        return low
    }
}

extension FoldedTextColumn {
    /// Sets in `words` the rows in `rows` whose value is in `matching` (one bit per value).
    private struct MarkRows: CodesReader {
        let rows: Range<Int>
        let matching: UnsafeBufferPointer<UInt64>
        let words: UnsafeMutableBufferPointer<UInt64>

        func read<Code: FixedWidthInteger & UnsignedInteger>(_ codes: UnsafeBufferPointer<Code>) {
            for row in rows {
                let value = Int(codes[row])
                if matching[value >> 6] & (1 << UInt64(value & 63)) != 0 { words[row >> 6] |= 1 << UInt64(row & 63) }
            }
        }
    }

    /// The rows of a dictionary column whose value is in a set of values (one bit per value).
    struct ValueIn<Code: FixedWidthInteger & UnsignedInteger>: RowPredicate {
        let codes: UnsafeBufferPointer<Code>
        let values: UnsafeBufferPointer<UInt64>

        @inline(__always)
        func callAsFunction(_ row: Int) -> Bool {
            let value = Int(codes[row])
            return values[value >> 6] & (1 << UInt64(value & 63)) != 0
        }
    }
}
