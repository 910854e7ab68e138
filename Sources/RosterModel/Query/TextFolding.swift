import Foundation

/// Folds text to the case- and accent-insensitive UTF-8 bytes that filters compare, sort and search.
///
/// Letters lose case and diacritics (`José` → `jose`, `Zoë` → `zoe`, `Straße` → `strasse`, `Łódź` → `lodz`) so that
/// what an operator types finds what a CRM stored. Scripts without case (CJK, kana, Hangul) pass through unchanged,
/// so they match as plain substrings; kana keep their voicing marks and Hangul is not split into jamo, which would
/// make `하` find `한`. NUL bytes are dropped: the folded columns use them as row separators.
struct TextFolding {
    /// Folded forms of scalars outside the precomputed table, filled as they are met.
    private var cache: [UInt32: Folded] = [:]
    // Held here so that the hot loop does not go through the lazy global's once-check for every scalar.
    private let table = TextFolding.sharedTable

    init() {}

    /// The folded bytes of `text`.
    static func fold(_ text: String) -> [UInt8] {
        var folding = TextFolding()
        var bytes: [UInt8] = []
        folding.append(text, to: &bytes)
        return bytes
    }

    /// Appends the folded bytes of `text` to `bytes`.
    mutating func append(_ text: String, to bytes: inout [UInt8]) {
        guard !text.isEmpty else { return }
        let capacity = text.utf8.count * Folded.capacity
        var text = text
        let folded = [UInt8](unsafeUninitializedCapacity: capacity) { output, initialized in
            initialized = text.withUTF8 { fold($0, into: output.baseAddress!, capacity: capacity) }!
        }
        bytes += folded
    }

    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highs: UInt64 = 0x8080_8080_8080_8080

    /// Writes the folded form of valid UTF-8 `source` at `output`: the number of bytes written, or nil when that
    /// would take more than `capacity` bytes.
    @inline(__always)
    mutating func fold(_ source: UnsafeBufferPointer<UInt8>, into output: UnsafeMutablePointer<UInt8>, capacity: Int)
        -> Int?
    {
        guard let input = source.baseAddress else { return 0 }
        let count = source.count
        var read = 0
        var written = 0
        while read < count {
            // Eight bytes at a time: upper-case ASCII letters get 0x20 in one word operation, and the word is kept up
            // to its first byte that is not ASCII or is NUL, which the code below handles. The additions may carry
            // out of a non-ASCII byte, but only into the bytes after it, which are not kept.
            if read + 8 <= count, written + 8 <= capacity {
                let word = UnsafeRawPointer(input + read).loadUnaligned(as: UInt64.self)
                let stops = word & TextFolding.highs | (word &- TextFolding.ones) & ~word & TextFolding.highs
                let atLeastA = word &+ (0x80 - 0x41) &* TextFolding.ones
                let pastZ = word &+ (0x80 - 0x5B) &* TextFolding.ones
                let upper = atLeastA & ~pastZ & TextFolding.highs
                UnsafeMutableRawPointer(output + written).storeBytes(of: word | upper >> 2, as: UInt64.self)
                let kept = stops == 0 ? 8 : stops.trailingZeroBitCount >> 3
                read += kept
                written += kept
                if kept == 8 { continue }
            }
            let lead = input[read]
            if lead < 0x80 {
                read += 1
                if lead == 0 { continue }
                guard written < capacity else { return nil }
                output[written] = lead &- 0x41 < 26 ? lead + 0x20 : lead
                written += 1
                continue
            }
            let folded: Folded
            if lead < 0xE0, read + 1 < count {
                folded = table.twoByte(lead, input[read + 1])
                read += 2
            } else {
                let (scalar, width) = TextFolding.decode(source, at: read, lead: lead)
                read += width
                folded = fold(scalar)
            }
            if written + 8 <= capacity {
                folded.writeWord(to: output + written)
            } else {
                guard written + folded.count <= capacity else { return nil }
                folded.write(to: output + written)
            }
            written += folded.count
        }
        return written
    }

    private mutating func fold(_ scalar: UInt32) -> Folded {
        if let entry = table.entry(scalar) { return entry }
        if TextFolding.isCaseless(scalar) { return Folded(scalar: scalar) }
        if let cached = cache[scalar] { return cached }
        let folded = TextFolding.foldSlowly(scalar)
        cache[scalar] = folded
        return folded
    }

    // CJK ideographs, kana and Hangul syllables are most non-Latin names; they neither case-fold nor lose marks.
    private static func isCaseless(_ scalar: UInt32) -> Bool {
        (0x3040...0x30FF).contains(scalar) || (0x3400...0x9FFF).contains(scalar)
            || (0xAC00...0xD7A3).contains(scalar) || (0x20000...0x3FFFF).contains(scalar)
    }

    @inline(__always)
    private static func decode(_ source: UnsafeBufferPointer<UInt8>, at index: Int, lead: UInt8) -> (UInt32, Int) {
        let count = source.count
        func continuation(_ offset: Int) -> UInt32 {
            index + offset < count ? UInt32(source[index + offset] & 0x3F) : 0
        }
        if lead < 0xE0 { return ((UInt32(lead & 0x1F) << 6) | continuation(1), 2) }
        if lead < 0xF0 { return ((UInt32(lead & 0x0F) << 12) | (continuation(1) << 6) | continuation(2), 3) }
        return ((UInt32(lead & 0x07) << 18) | (continuation(1) << 12) | (continuation(2) << 6) | continuation(3), 4)
    }

    /// Scalars whose folded form Foundation's folding does not give: letters with a stroke or a ligature, which have
    /// no canonical decomposition but which people type without the stroke (`Lodz`, `Oersted`).
    private static let overrides: [UInt32: String] = [
        0x131: "i", 0x142: "l", 0x141: "l", 0x111: "d", 0x110: "d", 0x127: "h", 0x126: "h", 0xF8: "o", 0xD8: "o",
        0x1FF: "o", 0x1FE: "o", 0xE6: "ae", 0xC6: "ae", 0x1FD: "ae", 0x1FC: "ae", 0x153: "oe", 0x152: "oe",
    ]

    private static func isCombiningMark(_ scalar: UInt32) -> Bool {
        (0x300...0x36F).contains(scalar) || (0x1AB0...0x1AFF).contains(scalar) || (0x1DC0...0x1DFF).contains(scalar)
            || (0x20D0...0x20FF).contains(scalar) || (0xFE20...0xFE2F).contains(scalar)
    }

    private static func foldSlowly(_ value: UInt32) -> Folded {
        if isCombiningMark(value) { return Folded(bytes: []) }
        if let replacement = overrides[value] { return Folded(bytes: Array(replacement.utf8)) }
        guard let scalar = Unicode.Scalar(value) else { return Folded(bytes: []) }
        let folded = String(Character(scalar)).folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
        var bytes: [UInt8] = []
        for part in folded.unicodeScalars where !isCombiningMark(part.value) {
            if let replacement = overrides[part.value] {
                bytes += replacement.utf8
            } else {
                bytes += String(Character(part)).utf8
            }
        }
        return Folded(bytes: bytes.count <= Folded.capacity ? bytes : Array(String(Character(scalar)).utf8))
    }

    /// Folded forms of the two-byte UTF-8 range (Latin, Greek, Cyrillic, ...) and of Latin and Greek Extended,
    /// computed once per process: the scalars that names with accents are made of.
    private static let sharedTable = Table()

    // The tables live as long as the process, behind plain pointers: array accesses with their bounds checks and
    // retains were a fifth of the folding time of accented names. Invariant behind `@unchecked Sendable`: the
    // memory is written only in `init`, before the one shared table is published, read-only after, never freed.
    private struct Table: @unchecked Sendable {
        private let low: UnsafeMutablePointer<Folded>
        private let extended: UnsafeMutablePointer<Folded>
        private static let lowRange: ClosedRange<UInt32> = 0x80...0x7FF
        private static let extendedRange: ClosedRange<UInt32> = 0x1E00...0x1FFF

        init() {
            low = Table.allocate(Table.lowRange)
            extended = Table.allocate(Table.extendedRange)
        }

        private static func allocate(_ range: ClosedRange<UInt32>) -> UnsafeMutablePointer<Folded> {
            let table = UnsafeMutablePointer<Folded>.allocate(capacity: range.count)
            for (offset, scalar) in range.enumerated() { (table + offset).initialize(to: foldSlowly(scalar)) }
            return table
        }

        /// The folded form of the scalar encoded by a two-byte UTF-8 sequence.
        @inline(__always)
        func twoByte(_ lead: UInt8, _ continuation: UInt8) -> Folded {
            let scalar = Int(lead & 0x1F) << 6 | Int(continuation & 0x3F)
            return low[max(scalar, 0x80) - 0x80]
        }

        @inline(__always)
        func entry(_ scalar: UInt32) -> Folded? {
            if scalar <= Table.lowRange.upperBound { return low[Int(scalar - Table.lowRange.lowerBound)] }
            if Table.extendedRange.contains(scalar) { return extended[Int(scalar - Table.extendedRange.lowerBound)] }
            return nil
        }
    }

    /// Up to seven folded bytes packed in one word, the length in the top byte: no allocation per scalar.
    struct Folded: Sendable {
        static let capacity = 7
        private let packed: UInt64

        init(bytes: [UInt8]) {
            var packed = UInt64(bytes.count) << 56
            for (offset, byte) in bytes.enumerated() { packed |= UInt64(byte) << (8 * offset) }
            self.packed = packed
        }

        /// The scalar itself, UTF-8 encoded.
        init(scalar: UInt32) {
            let value = UInt64(scalar)
            switch scalar {
            case ..<0x800:
                packed = 2 << 56 | (0x80 | value & 0x3F) << 8 | (0xC0 | value >> 6)
            case ..<0x10000:
                packed =
                    3 << 56 | (0x80 | value & 0x3F) << 16 | (0x80 | (value >> 6) & 0x3F) << 8 | (0xE0 | value >> 12)
            default:
                packed =
                    4 << 56 | (0x80 | value & 0x3F) << 24 | (0x80 | (value >> 6) & 0x3F) << 16
                    | (0x80 | (value >> 12) & 0x3F) << 8 | (0xF0 | value >> 18)
            }
        }

        /// The number of folded bytes.
        var count: Int { Int(packed >> 56) }

        /// Writes the folded bytes and garbage after them, up to eight bytes: one store instead of a loop.
        @inline(__always)
        func writeWord(to output: UnsafeMutablePointer<UInt8>) {
            UnsafeMutableRawPointer(output).storeBytes(of: packed.littleEndian, as: UInt64.self)
        }

        @inline(__always)
        func write(to output: UnsafeMutablePointer<UInt8>) {
            var word = packed
            for index in 0..<count {
                output[index] = UInt8(truncatingIfNeeded: word)
                word >>= 8
            }
        }
    }
}
