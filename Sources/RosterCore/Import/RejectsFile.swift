import Foundation

/// `--rejects FILE`: the rejected rows exactly as they were in the file, plus a `reason` column.
final class RejectsFile {
    private let handle: FileHandle
    private let path: String
    private let delimiter: UInt8
    private let encoding: CSVEncoding
    private var buffer: [UInt8] = []

    init(path: String, header: [String], dialect: CSVDialect) throws {
        self.path = path
        self.delimiter = dialect.delimiter
        self.encoding = dialect.encoding
        guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]),
            let handle = FileHandle(forWritingAtPath: path)
        else { throw RosterError.io(path: path, detail: "cannot create the rejects file") }
        self.handle = handle
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

    func close() throws {
        try flush()
        try handle.synchronize()
        try handle.close()
    }

    private func flush() throws {
        do {
            try handle.write(contentsOf: buffer)
        } catch {
            throw RosterError.io(path: path, detail: "cannot write the rejects file: \(error.localizedDescription)")
        }
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
