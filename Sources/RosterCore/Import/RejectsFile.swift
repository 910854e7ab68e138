import Foundation
import RosterCSV

/// `--rejects FILE`: the rejected rows exactly as they were in the file, plus a `reason` column.
final class RejectsFile {
    private let file: OutputFile
    private let delimiter: UInt8
    private let encoding: CSVEncoding
    private var buffer: [UInt8] = []

    /// Opens the rejects file through `OutputFile`: it replaces the old one only at `close()`, and never one of the
    /// `protected` files.
    init(path: String, header: [String], dialect: CSVDialect, protecting protected: ProtectedFiles) throws {
        self.delimiter = dialect.delimiter
        self.encoding = dialect.encoding
        self.file = try OutputFile(path: path, protecting: protected)
        if dialect.hasBOM { buffer += [0xEF, 0xBB, 0xBF] }
        let line = (header + ["reason"]).map { RejectsFile.quoted($0, delimiter: delimiter) }
        buffer += encode(line.joined(separator: String(UnicodeScalar(delimiter))))
        buffer += [0x0A]
    }

    /// Appends one rejected row: its raw bytes, then the reason as a last column.
    func write(raw: [UInt8], reason: String) throws {
        buffer += raw
        buffer.append(delimiter)
        buffer += encode(RejectsFile.quoted(reason, delimiter: delimiter))
        buffer.append(0x0A)
        if buffer.count > 1 << 16 { try flush() }
    }

    /// Writes what is buffered and puts the file in place; until then an older rejects file is untouched.
    func close() throws {
        try flush()
        try file.commit()
    }

    /// Drops the file: an import that fails, or a `--strict` one, leaves any older rejects file as it was.
    func discard() {
        file.discard()
    }

    private func flush() throws {
        try file.write(buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    // The reason goes into a file read back with the same encoding as the source.
    private func encode(_ text: String) -> [UInt8] {
        switch encoding {
        case .utf8: return Array(text.utf8)
        case .windows1252: return Array(text.data(using: .windowsCP1252, allowLossyConversion: true) ?? Data(text.utf8))
        }
    }

    static func quoted(_ value: String, delimiter: UInt8) -> String {
        let special = value.utf8.contains { (byte: UInt8) -> Bool in
            byte == delimiter || byte == 0x22 || byte == 0x0A || byte == 0x0D
        }
        guard special else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
