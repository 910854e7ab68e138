import Foundation

/// Reads an import's input line by line in chunks, for jsonl: memory holds one chunk and one line.
package final class LineReader {
    private let pass: BytePass
    private var buffer: [UInt8] = []
    private var position = 0
    private var atEnd = false
    package private(set) var line = 0
    private(set) var bytesRead = 0
    /// Whether the last line returned ended with a line break (not so for a file cut off inside its last line).
    package private(set) var lastLineEndedWithBreak = true

    /// Reads `pass` from its first line.
    package init(_ pass: BytePass) {
        self.pass = pass
    }

    /// The next line without its line break, or nil at the end of the file.
    package func next() throws -> [UInt8]? {
        while true {
            if let newline = buffer[position...].firstIndex(of: 0x0A) {
                var slice = buffer[position..<newline]
                if slice.last == 0x0D { slice = slice.dropLast() }
                position = newline + 1
                line += 1
                lastLineEndedWithBreak = true
                return Array(slice)
            }
            if atEnd {
                guard position < buffer.count else { return nil }
                let rest = Array(buffer[position...])
                position = buffer.count
                line += 1
                lastLineEndedWithBreak = false
                return rest
            }
            buffer.removeFirst(position)
            position = 0
            let chunk = try [UInt8](unsafeUninitializedCapacity: 1 << 20) { destination, count in
                count = 0
                count = try pass.read(destination.baseAddress!, destination.count)
            }
            if chunk.isEmpty { atEnd = true }
            bytesRead += chunk.count
            buffer += chunk
        }
    }
}
