/// Remembers, for each key seen in pass 1, the last row that had it — 24 bytes per row (a digest and an
/// ordinal), never the rows.
struct KeyIndex {
    /// A 128-bit digest of a key (two independently seeded hashes): collisions are negligible at any file size.
    /// Of the key's UTF-8 bytes: `Hasher` would treat canonically equivalent strings (`José` composed and
    /// decomposed) as one key, while the store's blind indexes, and so its customers, keep them apart.
    static func digest(_ key: String) -> BlindIndexer.Words {
        var first = Hasher()
        first.combine(0x5eed_0001 as UInt32)
        var second = Hasher()
        second.combine(0x5eed_0002 as UInt32)
        var bytes = key
        bytes.withUTF8 { utf8 in
            first.combine(bytes: UnsafeRawBufferPointer(utf8))
            second.combine(bytes: UnsafeRawBufferPointer(utf8))
        }
        return BlindIndexer.Words(
            high: UInt64(bitPattern: Int64(first.finalize())), low: UInt64(bitPattern: Int64(second.finalize())))
    }

    /// Every keyed row's digest and ordinal, sorted once at the end: 24 bytes per row. A dictionary of the last
    /// row per digest took about as much memory and a third of pass 1 (hashing the digest again, resizing).
    private var rows: [BulkLoader.Entry] = []
    private var sorted = true
    private(set) var keyedRows = 0

    mutating func record(_ key: String, ordinal: Int) {
        keyedRows += 1
        rows.append(BulkLoader.Entry(Self.digest(key), Int64(ordinal)))
        sorted = false
    }

    /// Sorts the rows by digest, then file order (once).
    private mutating func sortRows() {
        guard !sorted else { return }
        BulkLoader.Entry.sort(&rows)
        sorted = true
    }

    /// Rows superseded by a later row with the same key.
    var duplicates: Int {
        mutating get {
            sortRows()
            var keys = 0
            for index in rows.indices where index == 0 || !BulkLoader.Entry.sameIndex(rows[index - 1], rows[index]) {
                keys += 1
            }
            return keyedRows - keys
        }
    }

    /// A bitset of the rows that are the last for their key.
    mutating func survivors(rowCount: Int) -> Bitset {
        sortRows()
        var bits = Bitset(count: rowCount)
        for index in rows.indices
        where index + 1 == rows.count || !BulkLoader.Entry.sameIndex(rows[index], rows[index + 1]) {
            bits.insert(Int(rows[index].rowID))
        }
        return bits
    }
}

/// A fixed-size set of small integers.
struct Bitset {
    private var words: [UInt64]

    init(count: Int) { words = [UInt64](repeating: 0, count: (count + 63) / 64) }

    mutating func insert(_ index: Int) { words[index >> 6] |= 1 << UInt64(index & 63) }

    func contains(_ index: Int) -> Bool {
        index >> 6 < words.count && words[index >> 6] & (1 << UInt64(index & 63)) != 0
    }
}
