/// Remembers, for each key seen in pass 1, the last row that had it — a few bytes per row, never the rows.
struct KeyIndex {
    /// A 128-bit digest of a key (two independently seeded hashes): collisions are negligible at any file size.
    struct Digest: Hashable {
        let high: Int
        let low: Int

        /// Of the key's UTF-8 bytes: `Hasher` would treat canonically equivalent strings (`José` composed and
        /// decomposed) as one key, while the store's blind indexes, and so its customers, keep them apart.
        init(_ key: String) {
            var first = Hasher()
            first.combine(0x5eed_0001 as UInt32)
            var second = Hasher()
            second.combine(0x5eed_0002 as UInt32)
            var bytes = key
            bytes.withUTF8 { utf8 in
                first.combine(bytes: UnsafeRawBufferPointer(utf8))
                second.combine(bytes: UnsafeRawBufferPointer(utf8))
            }
            high = first.finalize()
            low = second.finalize()
        }
    }

    private var last: [Digest: Int32] = [:]
    private(set) var keyedRows = 0

    mutating func record(_ key: String, ordinal: Int) {
        keyedRows += 1
        last[Digest(key), default: 0] = Int32(ordinal)
    }

    /// Rows superseded by a later row with the same key.
    var duplicates: Int { keyedRows - last.count }

    /// A bitset of the rows that are the last for their key.
    func survivors(rowCount: Int) -> Bitset {
        var bits = Bitset(count: rowCount)
        for ordinal in last.values { bits.insert(Int(ordinal)) }
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
