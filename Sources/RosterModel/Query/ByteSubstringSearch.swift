#if canImport(Darwin)
    import Darwin
#elseif canImport(Glibc)
    import Glibc
#endif

/// Finds a byte string in a buffer eight positions at a time: Glibc's `memmem` is not visible to Swift, and a loop
/// byte by byte was four times slower on folded names.
struct ByteSubstringSearch {
    private let needle: UnsafeBufferPointer<UInt8>
    private let first: UInt64
    private let second: UInt64

    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let lows: UInt64 = 0x7F7F_7F7F_7F7F_7F7F

    /// A search for `needle`, which must not be empty and must outlive the search.
    init(needle: UnsafeBufferPointer<UInt8>) {
        precondition(!needle.isEmpty)
        self.needle = needle
        first = UInt64(needle[0]) &* ByteSubstringSearch.ones
        second = UInt64(needle.count > 1 ? needle[1] : 0) &* ByteSubstringSearch.ones
    }

    /// The first offset in `start..<end` where the needle starts and ends before `end`.
    func firstMatch(in buffer: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Int? {
        let length = needle.count
        guard end - start >= length, let base = buffer.baseAddress else { return nil }
        if length == 1 {
            guard let found = memchr(base + start, Int32(needle[0]), end - start) else { return nil }
            return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
        }
        let last = end - length
        var index = start
        // A word at `index` and one at `index + 1` pair each position with the byte after it: a zero byte of the
        // combined difference marks a position where the needle's first two bytes both match.
        while index + 9 <= end, index <= last {
            let here = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
            let next = UnsafeRawPointer(base + index + 1).loadUnaligned(as: UInt64.self)
            let difference = (UInt64(littleEndian: here) ^ first) | (UInt64(littleEndian: next) ^ second)
            var zeros =
                ~(((difference & ByteSubstringSearch.lows) &+ ByteSubstringSearch.lows) | difference
                | ByteSubstringSearch.lows)
            while zeros != 0 {
                let candidate = index + zeros.trailingZeroBitCount >> 3
                if candidate > last { return nil }
                if matches(base, at: candidate) { return candidate }
                zeros &= zeros &- 1
            }
            index += 8
        }
        while index <= last {
            if memcmp(base + index, needle.baseAddress!, length) == 0 { return index }
            index += 1
        }
        return nil
    }

    @inline(__always)
    private func matches(_ base: UnsafePointer<UInt8>, at position: Int) -> Bool {
        needle.count <= 2 || memcmp(base + position + 2, needle.baseAddress! + 2, needle.count - 2) == 0
    }
}
