import Foundation

/// Reads a text file line by line in chunks, for jsonl: memory holds one chunk and one line.
final class LineReader {
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private var position = 0
    private var atEnd = false
    private(set) var line = 0
    private(set) var bytesRead = 0

    init(path: String) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw RosterError.io(path: path, detail: "cannot open the file (does it exist?)")
        }
        self.handle = handle
    }

    deinit { try? handle.close() }

    /// The next line without its line break, or nil at the end of the file.
    func next() throws -> [UInt8]? {
        while true {
            if let newline = buffer[position...].firstIndex(of: 0x0A) {
                var slice = buffer[position..<newline]
                if slice.last == 0x0D { slice = slice.dropLast() }
                position = newline + 1
                line += 1
                return Array(slice)
            }
            if atEnd {
                guard position < buffer.count else { return nil }
                let rest = Array(buffer[position...])
                position = buffer.count
                line += 1
                return rest
            }
            buffer.removeFirst(position)
            position = 0
            let chunk = try handle.read(upToCount: 1 << 20) ?? Data()
            if chunk.isEmpty { atEnd = true }
            bytesRead += chunk.count
            buffer += chunk
        }
    }
}
