/// Orders rows by a folded text column: rows without a value last, ties by row id.
///
/// Comparing folded bytes row by row was the cost of a sort; instead each row gets its first 16 folded bytes as two
/// big-endian integers, the rows are sorted by those integers, and only the rare runs that agree on all 16 bytes are
/// compared byte by byte.
struct CustomerSort {
    let column: FoldedTextColumn
    let rowIDs: [Int64]

    private struct Entry {
        var high: UInt64
        var low: UInt64
        var row: UInt32
        /// The row's rank by row id: its index, as working sets keep rows in row-id order.
        var tie: UInt32

        @inline(__always)
        static func < (left: Entry, right: Entry) -> Bool {
            if left.high != right.high { return left.high < right.high }
            if left.low != right.low { return left.low < right.low }
            return left.tie < right.tie
        }
    }

    /// Each row's rank by row id; the identity unless the working set broke its row-id order.
    private var ranks: [UInt32]? {
        guard zip(rowIDs, rowIDs.dropFirst()).contains(where: { $0 >= $1 }) else { return nil }
        var ranks = [UInt32](repeating: 0, count: rowIDs.count)
        for (rank, row) in rowIDs.indices.sorted(by: { rowIDs[$0] < rowIDs[$1] }).enumerated() {
            ranks[row] = UInt32(rank)
        }
        return ranks
    }

    /// All rows, in order.
    func sorted(ascending: Bool) -> [Int32] {
        var entries = keyedEntries(ascending: ascending)
        let present = entries.count
        sortInParallel(&entries)
        resolveTies(&entries, ascending: ascending)
        var result = [Int32](repeating: 0, count: column.count)
        for (position, entry) in entries.enumerated() { result[position] = Int32(entry.row) }
        var next = present
        for row in 0..<column.count where column.length(row) == 0 {
            result[next] = Int32(row)
            next += 1
        }
        return result
    }

    /// One entry per row that has a value; a descending sort inverts the keys so that both directions sort upward.
    private func keyedEntries(ascending: Bool) -> [Entry] {
        let flip: UInt64 = ascending ? 0 : ~0
        let ranks = self.ranks
        var entries: [Entry] = []
        entries.reserveCapacity(column.count)
        column.bytes.withUnsafeBufferPointer { buffer in
            for row in 0..<column.count where column.length(row) > 0 {
                entries.append(
                    Entry(
                        high: column.sortKey(row, from: 0, in: buffer) ^ flip,
                        low: column.sortKey(row, from: 8, in: buffer) ^ flip, row: UInt32(row),
                        tie: ranks?[row] ?? UInt32(row)))
            }
        }
        return entries
    }

    /// Sorts by (key, row id): each half on its own thread, then one merge.
    private func sortInParallel(_ entries: inout [Entry]) {
        let less = { (left: Entry, right: Entry) -> Bool in left < right }
        let chunks = RowSet.chunks(count: entries.count)
        guard chunks.count == 2 else {
            entries.sort(by: less)
            return
        }
        entries.withUnsafeMutableBufferPointer { buffer in
            let buffer = buffer
            RowSet.forEachChunk(count: buffer.count) { range in
                var half = UnsafeMutableBufferPointer(rebasing: buffer[range])
                half.sort(by: less)
            }
        }
        let middle = chunks[1].lowerBound
        var merged: [Entry] = []
        merged.reserveCapacity(entries.count)
        var left = 0
        var right = middle
        while left < middle, right < entries.count {
            if less(entries[right], entries[left]) {
                merged.append(entries[right])
                right += 1
            } else {
                merged.append(entries[left])
                left += 1
            }
        }
        merged += entries[left..<middle]
        merged += entries[right...]
        entries = merged
    }

    /// Re-sorts runs equal on their first 16 bytes by the rest of their bytes, then row id.
    private func resolveTies(_ entries: inout [Entry], ascending: Bool) {
        column.bytes.withUnsafeBufferPointer { buffer in
            var start = 0
            while start < entries.count {
                var end = start + 1
                while end < entries.count, entries[end].high == entries[start].high,
                    entries[end].low == entries[start].low
                {
                    end += 1
                }
                if end - start > 1, entries[start..<end].contains(where: { column.length(Int($0.row)) > 16 }) {
                    entries[start..<end].sort { left, right in
                        let order = column.compareRows(Int(left.row), Int(right.row), in: buffer)
                        if order != 0 { return ascending ? order < 0 : order > 0 }
                        return left.tie < right.tie
                    }
                }
                start = end
            }
        }
    }
}
