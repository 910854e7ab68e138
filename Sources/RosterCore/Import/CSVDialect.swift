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
            switch TextDecoding.validateUTF8(body) {
            case .valid: detectedEncoding = .utf8
            case .truncated: detectedEncoding = isWholeInput ? .windows1252 : .utf8
            case .invalid: detectedEncoding = .windows1252
            }
        }
        return CSVDialect(
            delimiter: delimiter ?? detectDelimiter(in: body), encoding: detectedEncoding, hasBOM: hasBOM)
    }

    /// Picks the most frequent of `,`, `;` and tab outside quotes on the header line (the first non-blank line),
    /// defaulting to a comma.
    static func detectDelimiter(in bytes: UnsafeBufferPointer<UInt8>) -> UInt8 {
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
        var best = 0
        for slot in counts.indices where counts[slot] > counts[best] {
            best = slot
        }
        return detectableDelimiters[best]
    }
}
