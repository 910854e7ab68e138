import Foundation

extension String {
    /// Calls `body` with the string's UTF-8 bytes: a native string lends its own storage (no copy and no retain, as
    /// a `var` copy for `withUTF8` took: once per cell and MAC in an import); another kind is made contiguous first.
    /// Inlinable so that other modules specialize it: unspecialized, each call looks up generic metadata at run time
    /// (the runtime's metadata look-ups showed in an import's profile).
    @inlinable
    package func withUTF8Bytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        if let result = try utf8.withContiguousStorageIfAvailable(body) { return result }
        var copy = self
        return try copy.withUTF8(body)
    }

    /// The string without surrounding whitespace and line breaks.
    ///
    /// Imports trim every cell; Foundation's `trimmingCharacters` bridges through NSString and was
    /// a tenth of the import's time. ASCII edges are handled here; other edges (a no-break space)
    /// fall back to Foundation.
    public var trimmed: String {
        // Bounds found on the UTF-8 bytes (the usual cell needs nothing and is returned as it is; `utf8.last` and
        // Unicode property look-ups showed in an import's profile).
        withUTF8Bytes { bytes in
            guard let (start, end) = Self.trimmedBounds(bytes) else {
                return trimmingCharacters(in: .whitespacesAndNewlines)
            }
            if start == 0 && end == bytes.count { return self }
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
        }
    }

    /// The byte range without ASCII whitespace at either end, or nil when an edge is non-ASCII whitespace (a
    /// no-break space): Foundation trims those.
    private static func trimmedBounds(_ bytes: UnsafeBufferPointer<UInt8>) -> (Int, Int)? {
        var start = 0
        var end = bytes.count
        while start < end, isASCIISpace(bytes[start]) { start += 1 }
        while end > start, isASCIISpace(bytes[end - 1]) { end -= 1 }
        guard start < end else { return (start, end) }
        if bytes[start] < 0x80 && bytes[end - 1] < 0x80 { return (start, end) }
        var last = end - 1
        while last > start, bytes[last] & 0xC0 == 0x80 { last -= 1 }
        // `José` and `山田` end in letters; a rare edge such as `©` or `€` is decoded and looked up.
        if isWhitespace(bytes, at: start, end: end) || isWhitespace(bytes, at: last, end: end) { return nil }
        return (start, end)
    }

    /// Whether the scalar starting at `lead` is non-ASCII whitespace, or the zero-width space that Foundation's
    /// `.whitespacesAndNewlines` also trims.
    private static func isWhitespace(_ bytes: UnsafeBufferPointer<UInt8>, at lead: Int, end: Int) -> Bool {
        guard mayLeadWhitespace(bytes[lead]) else { return false }
        var decoder = UTF8()
        var iterator = UnsafeBufferPointer(rebasing: bytes[lead..<end]).makeIterator()
        guard case .scalarValue(let scalar) = decoder.decode(&iterator) else { return false }
        return scalar.properties.isWhitespace || scalar == "\u{200B}"
    }

    /// Whether a UTF-8 lead byte can start a non-ASCII whitespace scalar: U+0085 and U+00A0 (0xC2), U+1680
    /// (0xE1), U+2000–U+205F, with U+200B (0xE2) and U+3000 (0xE3).
    private static func mayLeadWhitespace(_ byte: UInt8) -> Bool {
        byte == 0xC2 || (byte >= 0xE1 && byte <= 0xE3)
    }

    /// Whether the string holds control characters (Unicode category Cc); printable ASCII, the usual identifier,
    /// is answered without Unicode tables.
    public var hasControlCharacters: Bool {
        if utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7f }) { return false }
        return unicodeScalars.contains { $0.properties.generalCategory == .control }
    }

    private static func isASCIISpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x0B || byte == 0x0C
    }
}
