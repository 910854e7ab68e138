/// Text encoding of a CSV file.
public enum CSVEncoding: String, Sendable, CaseIterable {
    case utf8 = "utf-8"
    case windows1252 = "windows-1252"

    /// Reads an `--encoding` option value, accepting the usual spellings (`UTF8`, `cp1252`, `latin1`, ...).
    public init?(name: String) {
        let key = name.lowercased().filter { $0 != "-" && $0 != "_" && $0 != " " }
        switch key {
        case "utf8": self = .utf8
        // Latin-1 files are read as Windows-1252, its superset: Excel writes the latter while calling it the former.
        case "windows1252", "cp1252", "latin1", "iso88591", "ansi": self = .windows1252
        default: return nil
        }
    }
}

/// How a CSV file is written: its field delimiter, its text encoding and whether it starts with a UTF-8 byte order mark.
public struct CSVDialect: Sendable, Equatable {
    /// The field separator byte: `,`, `;` or tab when detected; any ASCII byte but a quote, space or line break when given.
    public var delimiter: UInt8
    /// The encoding fields are decoded from.
    public var encoding: CSVEncoding
    /// True when the file starts with the UTF-8 byte order mark (which the reader skips).
    public var hasBOM: Bool

    /// Creates a dialect from its parts.
    public init(delimiter: UInt8 = UInt8(ascii: ","), encoding: CSVEncoding = .utf8, hasBOM: Bool = false) {
        self.delimiter = delimiter
        self.encoding = encoding
        self.hasBOM = hasBOM
    }

    /// The delimiters detection chooses among, in order of preference when their counts tie.
    public static let detectableDelimiters: [UInt8] = [UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "\t")]

    /// Reads a `--delimiter` option value: one ASCII character, or `tab` / `\t`.
    public static func delimiter(fromOption value: String) -> UInt8? {
        switch value.lowercased() {
        case "tab", "\\t", "\t": return UInt8(ascii: "\t")
        default:
            guard value.utf8.count == 1, let byte = value.utf8.first, isUsableDelimiter(byte) else { return nil }
            return byte
        }
    }

    /// False for bytes that would make records ambiguous: quotes, spaces, line breaks and non-ASCII bytes.
    public static func isUsableDelimiter(_ byte: UInt8) -> Bool {
        byte < 0x80 && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: " ") && byte != UInt8(ascii: "\n")
            && byte != UInt8(ascii: "\r")
    }

    static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// Works out the dialect from the first chunk of a file; `isWholeInput` says the chunk holds the entire file,
    /// so a multi-byte sequence cut at its end is an error rather than a chunk boundary.
    static func detect(
        in sniff: UnsafeBufferPointer<UInt8>, isWholeInput: Bool, delimiter: UInt8?, encoding: CSVEncoding?
    ) -> CSVDialect {
        let hasBOM = sniff.starts(with: byteOrderMark)
        let body = UnsafeBufferPointer(rebasing: sniff[(hasBOM ? byteOrderMark.count : 0)...])
        let detectedEncoding: CSVEncoding
        if let encoding {
            detectedEncoding = encoding
        } else if hasBOM {
            detectedEncoding = .utf8
        } else {
            detectedEncoding = detectEncoding(in: body, isWholeInput: isWholeInput)
        }
        return CSVDialect(
            delimiter: delimiter ?? detectDelimiter(in: body), encoding: detectedEncoding, hasBOM: hasBOM)
    }

    /// UTF-8 unless the sample shows Windows-1252: bytes that are not UTF-8 and not one character that is.
    ///
    /// A UTF-8 file with one bad row stays UTF-8 (that row is rejected with the byte at fault); decoding the whole
    /// file as Windows-1252 instead would turn every "José" into "JosÃ©" without a word.
    static func detectEncoding(in body: UnsafeBufferPointer<UInt8>, isWholeInput: Bool) -> CSVEncoding {
        let evidence = TextDecoding.utf8Evidence(body)
        if evidence.characters > 0 { return .utf8 }
        if evidence.invalidBytes > 0 { return .windows1252 }
        // Only a sequence cut by the end of the sample: a chunk boundary, unless the sample is the whole file.
        return isWholeInput && TextDecoding.validateUTF8(body) == .truncated ? .windows1252 : .utf8
    }

    /// The encoding and separator in words, for an import's summary: `UTF-8, separator ";"`.
    public var summary: String {
        let separator = delimiter == UInt8(ascii: "\t") ? "tab" : "\"\(String(UnicodeScalar(delimiter)))\""
        return "\(encoding == .utf8 ? "UTF-8" : "Windows-1252")\(hasBOM ? " with BOM" : ""), separator \(separator)"
    }

    /// Picks the most frequent of `,`, `;` and tab outside quotes on the header line (the first non-blank line),
    /// defaulting to a comma.
    static func detectDelimiter(in bytes: UnsafeBufferPointer<UInt8>) -> UInt8 {
        let counts = headerSeparatorCounts(in: bytes)
        var best = 0
        for slot in counts.indices where counts[slot] > counts[best] {
            best = slot
        }
        return detectableDelimiters[best]
    }

    /// The detectable separators the header line holds outside quotes, with their counts, when tabs are mixed with
    /// `,` or `;` and do not win: every column name would then hold a tab, and every row would be refused for it.
    /// (`a;b,c` is a comma file with a column `a;b`: a name may hold a `;`, never a control character.)
    static func mixedSeparators(in bytes: UnsafeBufferPointer<UInt8>) -> [(UInt8, Int)]? {
        let used = zip(detectableDelimiters, headerSeparatorCounts(in: bytes)).filter { $0.1 > 0 }
        let tab = UInt8(ascii: "\t")
        guard used.count > 1, used.contains(where: { $0.0 == tab }), detectDelimiter(in: bytes) != tab else {
            return nil
        }
        return used
    }

    /// How many of each detectable separator the header line (the first non-blank line) holds outside quotes.
    private static func headerSeparatorCounts(in bytes: UnsafeBufferPointer<UInt8>) -> [Int] {
        let quote = UInt8(ascii: "\""), cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")
        var counts = [Int](repeating: 0, count: detectableDelimiters.count)
        var inQuotes = false
        var lineHasText = false
        for byte in bytes {
            if byte == quote {
                inQuotes.toggle()
                lineHasText = true
            } else if inQuotes {
                continue
            } else if byte == cr || byte == lf {
                if lineHasText { break }
                // Blank lines (tabs and spaces only) may precede the header; what they held is not evidence.
                counts = counts.map { _ in 0 }
            } else {
                if let slot = detectableDelimiters.firstIndex(of: byte) { counts[slot] += 1 }
                if byte != UInt8(ascii: " ") && byte != UInt8(ascii: "\t") { lineHasText = true }
            }
        }
        return counts
    }
}
