/// Why one row of a CSV file could not be read; the reader skips it and goes on with the next.
public enum CSVRowError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A quoted field has no closing quote before the end of the file, or runs past 10,000 lines or 1 MiB.
    /// Only the line the row starts on is rejected: reading resumes on the next physical line, so one stray quote
    /// cannot swallow the rest of the file.
    case unterminatedQuote(line: Int, raw: [UInt8])
    /// A closing quote is followed by text before the next delimiter (`"ab"c`), the usual sign of a quote that
    /// should have been doubled; handled like an unterminated quote, since the quoting is not to be trusted.
    case textAfterClosingQuote(line: Int, raw: [UInt8])
    /// An unquoted row longer than 1 MiB; `raw` then holds only its first part.
    case recordTooLong(line: Int, raw: [UInt8])
    /// A row of a file read as UTF-8 holds bytes that are not UTF-8.
    case invalidText(line: Int, raw: [UInt8])

    /// The physical line the row starts on.
    public var line: Int {
        switch self {
        case .unterminatedQuote(let line, _), .textAfterClosingQuote(let line, _), .recordTooLong(let line, _),
            .invalidText(let line, _):
            return line
        }
    }

    /// The row's bytes as they were in the file (for a quote error, its first line only), for a rejects file.
    public var raw: [UInt8] {
        switch self {
        case .unterminatedQuote(_, let raw), .textAfterClosingQuote(_, let raw), .recordTooLong(_, let raw),
            .invalidText(_, let raw):
            return raw
        }
    }

    /// What went wrong and what to do, without the line number (the import summary reports it separately).
    public var reason: String {
        switch self {
        case .unterminatedQuote(let line, _):
            return "quoted field is never closed (no closing \" within 10,000 lines or 1 MiB, or before the end of "
                + "the file); reading resumed on line \(line + 1)"
        case .textAfterClosingQuote(let line, _):
            return "text after the closing quote of a field (a \" inside a quoted field must be doubled as \"\"); "
                + "reading resumed on line \(line + 1)"
        case .recordTooLong:
            return "row is longer than 1 MiB"
        case .invalidText(_, let raw):
            let offset = raw.withUnsafeBufferPointer { TextDecoding.firstInvalidUTF8Offset($0) }
            return
                "not valid UTF-8 text\(offset.map { " at byte \($0) of the row" } ?? "") (the file is read as UTF-8; "
                + "if it is Windows-1252, import it with --encoding windows-1252)"
        }
    }

    /// The reason prefixed with its line, as a user reads it: `line 12: not valid UTF-8 text (...)`.
    public var description: String {
        "line \(line): \(reason)"
    }
}
