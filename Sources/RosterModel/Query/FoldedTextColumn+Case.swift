/// Text whose folded form differs from its raw bytes only by case.
///
/// CRM ids (`CRM-0001234`) are ASCII with upper-case letters: folding them only lowers the letters, and a folded copy
/// was 115 MB at 10M rows, on the console's peak. A column that is ASCII without a lower-case letter is therefore
/// kept as its raw bytes (`FoldedTextColumn.lowersOnRead`): lowering is a one-to-one map on such text, so equal raw
/// bytes mean equal folded text (hashing and equality read the raw bytes), a needle is searched for raised
/// (`storedForm`), and whatever orders values lowers the bytes as it reads them (`ASCIICase.lowered`).
enum ASCIICase {
    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highs: UInt64 = 0x8080_8080_8080_8080

    /// `byte` with A–Z lowered.
    @inline(__always)
    static func lowered(_ byte: UInt8) -> UInt8 { byte &- 0x41 < 26 ? byte | 0x20 : byte }

    /// Eight ASCII bytes with A–Z lowered, in one word operation (no addition carries out of a byte below 0x80).
    @inline(__always)
    static func lowered(word: UInt64) -> UInt64 {
        let atLeastA = word &+ (0x80 - 0x41) &* ones
        let pastZ = word &+ (0x80 - 0x5B) &* ones
        return word | (atLeastA & ~pastZ & highs) >> 2
    }

    /// `folded` (folded text: no upper-case ASCII) with a–z raised: the bytes a column kept raw holds where its folded
    /// text holds `folded`.
    static func raised(_ folded: [UInt8]) -> [UInt8] {
        folded.map { $0 &- 0x61 < 26 ? $0 & ~0x20 : $0 }
    }

    /// Compares `length` bytes at `first` and `second`, each lowered when its flag says so: <0, 0 or >0.
    @inline(__always)
    static func compare(
        _ first: UnsafePointer<UInt8>, lowering lowerFirst: Bool, _ second: UnsafePointer<UInt8>,
        lowering lowerSecond: Bool, count: Int
    ) -> Int {
        for index in 0..<count {
            let a = lowerFirst ? lowered(first[index]) : first[index]
            let b = lowerSecond ? lowered(second[index]) : second[index]
            if a != b { return a < b ? -1 : 1 }
        }
        return 0
    }
}

extension TextColumn {
    /// Whether every value is ASCII without NUL and without a letter in `letters` (`0x41`: upper case, `0x61`: lower
    /// case). Eight bytes at a time; the NULs must be exactly the terminators of the present rows.
    func isASCII(withoutLettersFrom letters: UInt8) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        var nulCount = 0
        let clean = bytes.withUnsafeBytes { raw -> Bool in
            var offset = 0
            while offset + 8 <= raw.count {
                let word = raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
                // Bytes below 0x80 only, then the letters flagged by adding so that the first reaches 0x80 and the
                // byte past the last passes it.
                let atLeastFirst = word &+ UInt64(0x80 - letters) &* ones
                let pastLast = word &+ UInt64(0x80 - letters - 26) &* ones
                if (word | (atLeastFirst & ~pastLast)) & highs != 0 { return false }
                // Exact per byte (no carry crosses bytes): the high bit is set for each byte that is zero.
                let lows: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
                let zeros = ~(((word & lows) &+ lows) | word | lows)
                nulCount += zeros.nonzeroBitCount
                offset += 8
            }
            while offset < raw.count {
                let byte = raw[offset]
                if byte >= 0x80 || (byte &- letters) < 26 { return false }
                if byte == 0 { nulCount += 1 }
                offset += 1
            }
            return true
        }
        guard clean else { return false }
        var present = 0
        starts.withUnsafeBufferPointer { starts in
            for row in 0..<(starts.count - 1) where starts[row + 1] > starts[row] { present += 1 }
        }
        return nulCount == present
    }
}
