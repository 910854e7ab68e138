/// Streams the records of a CSV file as exported by Excel and CRMs, one at a time, in bounded memory.
///
/// The dialect is detected from the first chunk (1 MiB) unless given: a UTF-8 byte order mark, else valid UTF-8,
/// else Windows-1252; the most frequent of `,` `;` and tab outside quotes on the header line, else a comma.
/// Fields follow RFC 4180 (quotes, `""`, line breaks inside quotes, CRLF, LF or a lone CR) with the leniencies real
/// files need: blank lines are skipped yet counted, spaces around values and around quotes are trimmed, and a
/// quote inside an unquoted value is kept as a character. A row that cannot be read comes back as a
/// `CSVRowError` with its line, and reading goes on after it.
///
/// ```swift
/// let reader = try CSVReader(path: "contacts.csv")
/// let email = reader.index(ofColumn: "email")
/// while let result = try reader.next() {
///     switch result {
///     case .success(let record): print(record.line, record[field: email ?? 0] ?? "")
///     case .failure(let error): print(error)  // "line 12: not valid UTF-8 text (...)"
///     }
/// }
/// ```
public final class CSVReader {
    /// The delimiter and encoding in use, detected or given.
    public let dialect: CSVDialect
    /// The column names of the first non-blank record, trimmed of surrounding whitespace.
    public let header: [String]
    /// The size of the input in bytes, or nil when it is not a regular file (a pipe).
    public let fileSize: Int?
    /// The path read, or the name given to in-memory bytes.
    public let path: String

    private var scanner: CSVScanner
    private let columnIndexes: [String: Int]

    /// Opens the file at `path` and reads its header; `delimiter` and `encoding` override detection.
    ///
    /// Throws `CSVReaderError` when the file cannot be opened or read, is empty, or its header is unreadable.
    public convenience init(path: String, delimiter: UInt8? = nil, encoding: CSVEncoding? = nil) throws {
        try self.init(path: path, delimiter: delimiter, encoding: encoding, limits: .standard)
    }

    /// Reads CSV text held in memory; `name` stands for a path in error messages.
    public convenience init(
        bytes: [UInt8], name: String = "(in memory)", delimiter: UInt8? = nil, encoding: CSVEncoding? = nil
    ) throws {
        try self.init(bytes: bytes, name: name, delimiter: delimiter, encoding: encoding, limits: .standard)
    }

    package convenience init(path: String, delimiter: UInt8?, encoding: CSVEncoding?, limits: CSVScanner.Limits) throws
    {
        try self.init(source: CSVByteSource(path: path), delimiter: delimiter, encoding: encoding, limits: limits)
    }

    /// A new pass over an input read several times.
    package convenience init(pass: BytePass, delimiter: UInt8?, encoding: CSVEncoding?) throws {
        try self.init(source: CSVByteSource(pass: pass), delimiter: delimiter, encoding: encoding, limits: .standard)
    }

    package convenience init(
        bytes: [UInt8], name: String = "(in memory)", delimiter: UInt8?, encoding: CSVEncoding?,
        limits: CSVScanner.Limits
    ) throws {
        try self.init(
            source: CSVByteSource(bytes: bytes, name: name), delimiter: delimiter, encoding: encoding, limits: limits)
    }

    private init(
        source: consuming CSVByteSource, delimiter: UInt8?, encoding: CSVEncoding?, limits: CSVScanner.Limits
    ) throws {
        let name = source.name
        if let delimiter, !CSVDialect.isUsableDelimiter(delimiter) {
            throw CSVReaderError.unusableDelimiter(delimiter)
        }
        var scanner = CSVScanner(source: source, limits: limits)
        let sniffed = try scanner.sniff()
        let dialect = sniffed.bytes.withUnsafeBufferPointer {
            CSVDialect.detect(in: $0, isWholeInput: sniffed.isWholeInput, delimiter: delimiter, encoding: encoding)
        }
        if delimiter == nil, let mixed = sniffed.bytes.withUnsafeBufferPointer(CSVDialect.mixedSeparators(in:)) {
            throw CSVReaderError.mixedSeparators(path: name, counts: mixed)
        }
        if dialect.hasBOM { scanner.skip(CSVDialect.byteOrderMark.count) }
        scanner.delimiter = dialect.delimiter
        scanner.encoding = dialect.encoding
        let header: [String]
        switch try scanner.next() {
        case nil:
            throw CSVReaderError.emptyFile(path: name)
        case .failure(let error):
            throw CSVReaderError.unreadableHeader(path: name, error: error)
        case .success(let record):
            header = record.fields.map(Self.trimmed)
        }
        var columnIndexes: [String: Int] = [:]
        for (index, column) in header.enumerated() where columnIndexes[column.lowercased()] == nil {
            columnIndexes[column.lowercased()] = index
        }
        self.path = name
        self.fileSize = scanner.inputSize
        self.dialect = dialect
        self.header = header
        self.columnIndexes = columnIndexes
        self.scanner = scanner
    }

    /// The position of the first column named `name`, ignoring case and surrounding whitespace.
    public func index(ofColumn name: String) -> Int? {
        columnIndexes[Self.trimmed(name).lowercased()]
    }

    /// The next record, or a `CSVRowError` for a row that cannot be read (reading goes on after it), or nil at the
    /// end of the file; throws `CSVReaderError` only when the file itself cannot be read any more.
    public func next() throws -> Result<CSVRecord, CSVRowError>? {
        try scanner.next()
    }

    /// Whether records carry the bytes they were read from (`raw`); off when only the fields are needed.
    public var keepsRawBytes: Bool {
        get { scanner.keepsRawBytes }
        set { scanner.keepsRawBytes = newValue }
    }

    /// Whether records carry their fields (`fields` is empty when off); set before each `next()` to step over
    /// records whose fields are not needed.
    package var decodesFields: Bool {
        get { scanner.decodesFields }
        set { scanner.decodesFields = newValue }
    }

    /// The columns to decode (nil: all): the others read as empty strings. Set between records.
    package var decodedColumns: [Bool]? {
        get { scanner.decodedColumns }
        set { scanner.decodedColumns = newValue }
    }

    /// Bytes of the file consumed so far, for a progress percentage against `fileSize`.
    public var bytesRead: Int {
        scanner.bytesConsumed
    }

    /// Trims whitespace including no-break spaces and a stray byte order mark, which spreadsheet headers carry.
    private static func trimmed(_ text: String) -> String {
        let isPadding: (Character) -> Bool = { $0.isWhitespace || $0 == "\u{FEFF}" }
        guard let first = text.firstIndex(where: { !isPadding($0) }),
            let last = text.lastIndex(where: { !isPadding($0) })
        else { return "" }
        return String(text[first...last])
    }
}
