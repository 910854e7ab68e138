/// Byte-level text checks and decoders used by the CSV reader, kept free of Foundation so they stay fast.
enum TextDecoding {
    /// Outcome of checking bytes for UTF-8 well-formedness.
    enum UTF8Validity: Equatable {
        case valid
        case invalid
        /// Well-formed up to the end, where a multi-byte sequence is cut short (a chunk boundary, not an error).
        case truncated
    }

    /// True when no byte has its high bit set.
    static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        let count = bytes.count
        var index = 0
        var highBits: UInt64 = 0
        // Eight bytes at a time: a row is mostly ASCII, and this check runs on every non-trivial record.
        while index + 8 <= count {
            highBits |= UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
            index += 8
        }
        while index < count {
            highBits |= UInt64(base[index])
            index += 1
        }
        return highBits & 0x8080_8080_8080_8080 == 0
    }

    /// Checks UTF-8 well-formedness per Unicode table 3-7 (no overlongs, surrogates or code points past U+10FFFF).
    static func validateUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> UTF8Validity {
        guard let base = bytes.baseAddress else { return .valid }
        let count = bytes.count
        var index = 0
        while index < count {
            if index + 8 <= count,
                UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0
            {
                index += 8
                continue
            }
            let lead = base[index]
            if lead < 0x80 {
                index += 1
                continue
            }
            let length: Int
            var low: UInt8 = 0x80
            var high: UInt8 = 0xBF
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0: (length, low) = (3, 0xA0)
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: (length, high) = (3, 0x9F)
            case 0xF0: (length, low) = (4, 0x90)
            case 0xF1...0xF3: length = 4
            case 0xF4: (length, high) = (4, 0x8F)
            default: return .invalid
            }
            for offset in 1..<length {
                guard index + offset < count else { return .truncated }
                let byte = base[index + offset]
                // Only the second byte has a narrower range; the others are plain continuation bytes.
                let (minimum, maximum) = offset == 1 ? (low, high) : (0x80, 0xBF)
                guard byte >= minimum && byte <= maximum else { return .invalid }
            }
            index += length
        }
        return .valid
    }

    /// What a sample says about its encoding: how many well-formed multi-byte UTF-8 characters and how many bytes
    /// that are not UTF-8 it holds. A sequence cut short at the end counts as neither.
    static func utf8Evidence(_ bytes: UnsafeBufferPointer<UInt8>) -> (characters: Int, invalidBytes: Int) {
        var characters = 0
        var invalid = 0
        var index = 0
        while index < bytes.count {
            guard bytes[index] >= 0x80 else {
                index += 1
                continue
            }
            switch sequenceLength(bytes, at: index) {
            case .some(let length) where length > 0:
                characters += 1
                index += length
            case .some:
                return (characters, invalid)
            case nil:
                invalid += 1
                index += 1
            }
        }
        return (characters, invalid)
    }

    /// The 1-based offset of the first byte in `bytes` that is not part of well-formed UTF-8, if any.
    static func firstInvalidUTF8Offset(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        var index = 0
        while index < bytes.count {
            guard bytes[index] >= 0x80 else {
                index += 1
                continue
            }
            guard let length = sequenceLength(bytes, at: index), length > 0 else { return index + 1 }
            index += length
        }
        return nil
    }

    /// The length of the well-formed UTF-8 sequence at `index` (a non-ASCII lead), 0 when it is cut short by the
    /// end of `bytes`, nil when it is not UTF-8.
    private static func sequenceLength(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Int? {
        let length: Int
        var low: UInt8 = 0x80
        var high: UInt8 = 0xBF
        switch bytes[index] {
        case 0xC2...0xDF: length = 2
        case 0xE0: (length, low) = (3, 0xA0)
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: (length, high) = (3, 0x9F)
        case 0xF0: (length, low) = (4, 0x90)
        case 0xF1...0xF3: length = 4
        case 0xF4: (length, high) = (4, 0x8F)
        default: return nil
        }
        for offset in 1..<length {
            guard index + offset < bytes.count else { return 0 }
            let byte = bytes[index + offset]
            let (minimum, maximum) = offset == 1 ? (low, high) : (0x80, 0xBF)
            guard byte >= minimum && byte <= maximum else { return nil }
        }
        return length
    }

    /// Decodes Windows-1252 text; bytes 0x81, 0x8D, 0x8F, 0x90 and 0x9D, undefined there, become the C1
    /// controls of the same value, as browsers do, so no byte is ever lost.
    static func windows1252String(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        if isASCII(bytes) {
            return String(decoding: bytes, as: UTF8.self)
        }
        let table = windows1252C1Range
        return String(unsafeUninitializedCapacity: bytes.count * 3) { output in
            var written = 0
            for byte in bytes {
                switch byte {
                case 0..<0x80:
                    output[written] = byte
                    written += 1
                case 0xA0...0xFF:
                    output[written] = 0xC0 | (byte >> 6)
                    output[written + 1] = 0x80 | (byte & 0x3F)
                    written += 2
                default:
                    let scalar = table[Int(byte - 0x80)]
                    if scalar < 0x800 {
                        output[written] = UInt8(0xC0 | (scalar >> 6))
                        output[written + 1] = UInt8(0x80 | (scalar & 0x3F))
                        written += 2
                    } else {
                        output[written] = UInt8(0xE0 | (scalar >> 12))
                        output[written + 1] = UInt8(0x80 | ((scalar >> 6) & 0x3F))
                        output[written + 2] = UInt8(0x80 | (scalar & 0x3F))
                        written += 3
                    }
                }
            }
            return written
        }
    }

    /// Code points of Windows-1252 bytes 0x80–0x9F, the only range where it differs from Latin-1.
    private static let windows1252C1Range: [UInt16] = [
        0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
        0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
        0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
        0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
    ]
}
