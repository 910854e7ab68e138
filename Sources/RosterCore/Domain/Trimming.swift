import Foundation

extension String {
    /// The string without surrounding whitespace and line breaks.
    ///
    /// Imports trim every cell; Foundation's `trimmingCharacters` bridges through NSString and was
    /// a tenth of the import's time. ASCII edges are handled here; other edges (a no-break space)
    /// fall back to Foundation.
    public var trimmed: String {
        let utf8 = self.utf8
        // The usual cell needs nothing: its edge bytes read straight from contiguous storage (`utf8.last` goes
        // through the generic index(before:), visible in an import's profile).
        let edges = utf8.withContiguousStorageIfAvailable { bytes in
            bytes.isEmpty ? nil : (bytes[0], bytes[bytes.count - 1])
        }
        guard let (first, last) = edges ?? utf8.first.map({ ($0, utf8.last!) }) else { return self }
        if !Self.isASCIISpace(first) && !Self.isASCIISpace(last) && first < 0x80 && last < 0x80 { return self }
        var start = utf8.startIndex
        var end = utf8.endIndex
        while start < end, Self.isASCIISpace(utf8[start]) { start = utf8.index(after: start) }
        while end > start, Self.isASCIISpace(utf8[utf8.index(before: end)]) { end = utf8.index(before: end) }
        if start < end, utf8[start] >= 0x80 || utf8[utf8.index(before: end)] >= 0x80 {
            // A non-ASCII edge (`José`) is usually a letter: only a space-like one needs Foundation.
            let scalars = self[start..<end].unicodeScalars
            let isSpace = { (scalar: Unicode.Scalar) in scalar.properties.isWhitespace }
            if isSpace(scalars.first!) || isSpace(scalars.last!) {
                return trimmingCharacters(in: .whitespacesAndNewlines)
            }
        }
        // A non-ASCII edge that is a letter (`México`) leaves the string as it was: no copy.
        if start == utf8.startIndex && end == utf8.endIndex { return self }
        return String(self[start..<end])
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
