public import Foundation

/// Why a CSV file cannot be read at all; unlike a `CSVRowError`, this stops the import before it writes anything.
public enum CSVReaderError: Error, Sendable, Equatable, CustomStringConvertible, LocalizedError {
    /// The file does not exist, is not readable or is a directory.
    case cannotOpen(path: String, reason: String)
    /// Reading failed part way (an I/O error, a file removed from a network mount).
    case readFailed(path: String, reason: String)
    /// The file holds no header line: it is empty, or holds only blank lines or a byte order mark.
    case emptyFile(path: String)
    /// The header line itself cannot be read, so no column can be found.
    case unreadableHeader(path: String, error: CSVRowError)
    /// The delimiter given cannot separate fields.
    case unusableDelimiter(UInt8)
    /// The header line uses more than one of `,` `;` and tab, so no detected separator reads every column.
    case mixedSeparators(path: String, counts: [(UInt8, Int)])

    public static func == (lhs: CSVReaderError, rhs: CSVReaderError) -> Bool { lhs.description == rhs.description }

    /// A sentence naming the file, what happened and what to do.
    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason):
            return "cannot open CSV file \(path): \(reason)"
        case .readFailed(let path, let reason):
            return "error while reading CSV file \(path): \(reason)"
        case .emptyFile(let path):
            return "CSV file \(path) is empty: its first line must name the columns"
        case .unreadableHeader(let path, let error):
            return "cannot read the header of CSV file \(path): \(error)"
        case .mixedSeparators(let path, let counts):
            let listed = counts.map { byte, count in
                "\(count) \(byte == UInt8(ascii: "\t") ? "tab" : "'\(String(UnicodeScalar(byte)))'")"
            }
            return "the header of CSV file \(path) mixes separators (\(listed.joined(separator: ", "))): save the file "
                + "with one separator, or name the one it uses with --delimiter"
        case .unusableDelimiter(let byte):
            return "cannot use \(String(UnicodeScalar(byte)).debugDescription) as a CSV delimiter: "
                + "use one ASCII character other than a quote, a space or a line break"
        }
    }

    public var errorDescription: String? { description }
}
