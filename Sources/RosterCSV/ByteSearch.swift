/// Finds the next of a few bytes eight bytes at a time: the CSV scanner spends most of its time looking for the next
/// delimiter, quote or line break, and a byte-by-byte loop was its hot spot.
enum ByteSearch {
    /// `byte` in each of the eight bytes of a word: the form `firstIndex` takes its bytes in.
    static func repeated(_ byte: UInt8) -> UInt64 {
        UInt64(byte) &* 0x0101_0101_0101_0101
    }

    /// The index of the first byte in `start..<end` equal to one of three bytes (each given `repeated`), or `end`.
    ///
    /// With `x` a word XOR a pattern, `(x - 0x01…) & ~x & 0x80…` has the high bit set in the first byte of `x` that is
    /// zero; bytes after it may be false positives, the first never is.
    @inline(__always)
    static func firstIndex(
        of first: UInt64, _ second: UInt64, _ third: UInt64, in bytes: UnsafeMutablePointer<UInt8>, from start: Int,
        to end: Int
    ) -> Int {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        var index = start
        while index + 8 <= end {
            let word = UInt64(littleEndian: UnsafeRawPointer(bytes + index).loadUnaligned(as: UInt64.self))
            let a = word ^ first
            let b = word ^ second
            let c = word ^ third
            let found = ((a &- ones) & ~a | (b &- ones) & ~b | (c &- ones) & ~c) & highs
            if found != 0 {
                return index + found.trailingZeroBitCount >> 3
            }
            index += 8
        }
        let byte1 = UInt8(truncatingIfNeeded: first)
        let byte2 = UInt8(truncatingIfNeeded: second)
        let byte3 = UInt8(truncatingIfNeeded: third)
        while index < end {
            let byte = bytes[index]
            if byte == byte1 || byte == byte2 || byte == byte3 { return index }
            index += 1
        }
        return end
    }
}
