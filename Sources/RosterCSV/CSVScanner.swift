#if canImport(Darwin)
    import Darwin
#elseif canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// The byte-level engine behind `CSVReader`: a bounded buffer over a byte source, cut into records.
///
/// A record is always parsed from its first byte with all its bytes in the buffer: when it runs past the buffered
/// data, the scanner reads another chunk and parses the record again from its start. Re-parsing happens once per
/// chunk boundary, and keeping the whole record buffered is what lets a broken quote be recovered from without
/// seeking: the line after the record's start line is still in memory. Records are bounded (bytes and lines), so
/// the buffer never grows past one record limit plus one chunk.
package struct CSVScanner: ~Copyable {
    /// Sizes that bound memory; tests shrink them to put chunk boundaries everywhere.
    package struct Limits: Sendable {
        var chunkSize = 1 << 20
        var maxRecordBytes = 1 << 20
        var maxRecordLines = 10_000

        package static let standard = Limits()
    }

    /// A field's content within the buffer: inside the quotes for a quoted field, trimmed for an unquoted one.
    private struct FieldSpan {
        var start: Int
        var end: Int
        var isQuoted: Bool
        var hasDoubledQuotes: Bool
    }

    private enum ScanOutcome {
        case record(contentEnd: Int, next: Int, lineBreaks: Int)
        case blank(next: Int)
        case needMore(inQuotes: Bool)
        case endOfInput
        case unterminatedQuote
        case textAfterClosingQuote
    }

    private static let quote = UInt8(ascii: "\"")
    private static let lineFeed = UInt8(ascii: "\n")
    private static let carriageReturn = UInt8(ascii: "\r")
    private static let space = UInt8(ascii: " ")
    private static let tab = UInt8(ascii: "\t")

    let limits: Limits
    var delimiter = UInt8(ascii: ",")
    var encoding = CSVEncoding.utf8
    /// Whether records carry their raw bytes (for rejects files); a bulk import re-reads rejected rows instead.
    var keepsRawBytes = true
    /// Whether records carry their fields; off to step over a record whose fields are not needed (its text is
    /// still checked, so a row that cannot be read is reported the same).
    var decodesFields = true
    /// When set, only the columns marked true are decoded; the others read as empty strings (the count of fields is
    /// the same). Pass 1 of an import reads only the columns that make a row's key.
    var decodedColumns: [Bool]?
    /// The physical line the next record starts on.
    private(set) var line = 1
    private var source: CSVByteSource
    private var buffer: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    /// Parse position: everything before it is consumed.
    private var start = 0
    /// End of the buffered bytes.
    private var end = 0
    private var sourceIsExhausted = false
    /// Input offset of `buffer[0]`.
    private var bufferOffset = 0
    /// Set after skipping to a CR that ended the buffer: an LF opening the next chunk belongs to the same line break.
    private var skipsLeadingLineFeed = false
    /// Fields of the record being scanned; a raw buffer because an array's bookkeeping showed in the profile.
    private var spans: UnsafeMutablePointer<FieldSpan>
    private var spanCount = 0
    private var spanCapacity = 64
    private var unescaped: [UInt8] = []

    init(source: consuming CSVByteSource, limits: Limits) {
        self.source = source
        self.limits = limits
        self.capacity = max(limits.chunkSize * 2, 64)
        self.buffer = .allocate(capacity: capacity)
        self.spans = .allocate(capacity: spanCapacity)
    }

    deinit {
        buffer.deallocate()
        spans.deallocate()
    }

    var name: String { source.name }
    var inputSize: Int? { source.size }
    /// Bytes of the input consumed so far, for progress.
    var bytesConsumed: Int { bufferOffset + start }

    /// Reads the first chunk (at least 4 bytes, for a byte order mark) and returns the unread buffered bytes.
    mutating func sniff() throws -> (bytes: [UInt8], isWholeInput: Bool) {
        while !sourceIsExhausted && end - start < max(limits.chunkSize, 4) {
            try fill()
        }
        return (Array(UnsafeBufferPointer(start: buffer + start, count: end - start)), sourceIsExhausted)
    }

    /// Consumes `count` bytes without parsing them (the byte order mark).
    mutating func skip(_ count: Int) {
        start += min(count, end - start)
    }

    /// The next record, a row error (after which reading goes on), or nil at the end of the input.
    mutating func next() throws -> Result<CSVRecord, CSVRowError>? {
        while true {
            if skipsLeadingLineFeed {
                if start == end && !sourceIsExhausted {
                    try fill()
                    continue
                }
                if start < end && buffer[start] == Self.lineFeed { start += 1 }
                skipsLeadingLineFeed = false
            }
            switch scan() {
            case .record(let contentEnd, let next, let lineBreaks):
                let result = makeRecord(contentEnd: contentEnd)
                start = next
                line += lineBreaks + 1
                return result
            case .blank(let next):
                start = next
                line += 1
            case .needMore(let inQuotes):
                // More than the limit is buffered, so the record did not end within it.
                if end - start > limits.maxRecordBytes {
                    return .failure(
                        try rejectStartLine { line, raw in
                            inQuotes
                                ? .unterminatedQuote(line: line, raw: raw) : .recordTooLong(line: line, raw: raw)
                        })
                }
                try fill()
            case .endOfInput:
                return nil
            case .unterminatedQuote:
                return .failure(try rejectStartLine { .unterminatedQuote(line: $0, raw: $1) })
            case .textAfterClosingQuote:
                return .failure(try rejectStartLine { .textAfterClosingQuote(line: $0, raw: $1) })
            }
        }
    }

    /// Moves the unconsumed bytes to the front of the buffer and appends one chunk from the source.
    private mutating func fill() throws {
        if start > 0 {
            memmove(buffer, buffer + start, end - start)
            bufferOffset += start
            end -= start
            start = 0
        }
        if capacity - end < limits.chunkSize {
            let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: end + limits.chunkSize)
            grown.update(from: buffer, count: end)
            buffer.deallocate()
            buffer = grown
            capacity = end + limits.chunkSize
        }
        let count = try source.readChunk(into: buffer + end, count: limits.chunkSize)
        if count == 0 {
            sourceIsExhausted = true
        } else {
            end += count
        }
    }

    /// Rejects the physical line the current record starts on and resumes on the next one: when the quoting of a
    /// row is broken, nothing after its first line can be trusted to belong to it.
    private mutating func rejectStartLine(_ makeError: (Int, [UInt8]) -> CSVRowError) throws -> CSVRowError {
        let recordLine = line
        // Buffer the whole start line (up to the record limit) so the rejected bytes do not depend on where a
        // chunk happened to end.
        var length = lengthOfLine(from: start)
        while start + length == end && length < limits.maxRecordBytes && !sourceIsExhausted {
            try fill()
            length = lengthOfLine(from: start)
        }
        let rawCount = min(length, limits.maxRecordBytes)
        let error = makeError(recordLine, Array(UnsafeBufferPointer(start: buffer + start, count: rawCount)))
        // The start line may be longer than the limit: stream past it without keeping it.
        var lineEnd = start + length
        while lineEnd == end && !sourceIsExhausted {
            start = end
            try fill()
            lineEnd = start + lengthOfLine(from: start)
        }
        if lineEnd < end {
            skipsLeadingLineFeed = buffer[lineEnd] == Self.carriageReturn
            start = lineEnd + 1
        } else {
            start = end
        }
        line = recordLine + 1
        return error
    }

    /// Bytes from `index` to the next CR or LF, or to the end of the buffered bytes.
    private func lengthOfLine(from index: Int) -> Int {
        ByteSearch.firstIndex(
            of: Self.lineFeedPattern, Self.carriageReturnPattern, Self.carriageReturnPattern, in: buffer, from: index,
            to: end) - index
    }

    /// Finds the fields of the record at `start`, recording them in `spans`; never moves `start`.
    private mutating func scan() -> ScanOutcome {
        spanCount = 0
        let bytes = buffer
        // Looking no further than the record limit makes a long record fail the same way wherever chunks end.
        let isCapped = self.end - start > limits.maxRecordBytes
        let end = isCapped ? start + limits.maxRecordBytes : self.end
        let atEnd = isCapped ? false : sourceIsExhausted
        let delimiter = self.delimiter
        let tabIsSpace = delimiter != Self.tab
        let delimiterPattern = ByteSearch.repeated(delimiter)
        let quote = Self.quote, lineFeed = Self.lineFeed, carriageReturn = Self.carriageReturn, space = Self.space
        var index = start
        var lineBreaks = 0
        if index == end {
            return atEnd ? .endOfInput : .needMore(inQuotes: false)
        }
        fields: while true {
            while index < end && (bytes[index] == space || (bytes[index] == Self.tab && tabIsSpace)) {
                index += 1
            }
            if index < end && bytes[index] == quote {
                index += 1
                let contentStart = index
                var hasDoubledQuotes = false
                quoted: while true {
                    index = ByteSearch.firstIndex(
                        of: Self.quotePattern, Self.lineFeedPattern, Self.carriageReturnPattern, in: bytes, from: index,
                        to: end)
                    guard index < end else { return atEnd ? .unterminatedQuote : .needMore(inQuotes: true) }
                    let byte = bytes[index]
                    if byte == quote {
                        guard index + 1 < end else {
                            if atEnd { break quoted }
                            return .needMore(inQuotes: true)
                        }
                        if bytes[index + 1] != quote { break quoted }
                        hasDoubledQuotes = true
                        index += 2
                    } else if byte == lineFeed || byte == carriageReturn {
                        if byte == carriageReturn {
                            // A CR ending the buffer may be the first half of a CRLF: wait for the next byte.
                            if index + 1 == end && !atEnd { return .needMore(inQuotes: true) }
                            if index + 1 < end && bytes[index + 1] == lineFeed { index += 1 }
                        }
                        index += 1
                        lineBreaks += 1
                        if lineBreaks >= limits.maxRecordLines { return .unterminatedQuote }
                    }
                }
                appendSpan(
                    FieldSpan(start: contentStart, end: index, isQuoted: true, hasDoubledQuotes: hasDoubledQuotes))
                index += 1
                while index < end && (bytes[index] == space || (bytes[index] == Self.tab && tabIsSpace)) {
                    index += 1
                }
                guard index < end else {
                    if atEnd { break fields }
                    return .needMore(inQuotes: false)
                }
                let byte = bytes[index]
                if byte == delimiter {
                    index += 1
                    continue fields
                }
                if byte == lineFeed || byte == carriageReturn { break fields }
                return .textAfterClosingQuote
            }
            // Unquoted field. A quote inside it (`ab"c`) is kept literally: only a quote opening a field starts
            // quoting, which is how Excel and most CRMs read such values, and it loses no data.
            let contentStart = index
            index = ByteSearch.firstIndex(
                of: delimiterPattern, Self.lineFeedPattern, Self.carriageReturnPattern, in: bytes, from: index, to: end)
            if index == end && !atEnd { return .needMore(inQuotes: false) }
            var contentEnd = index
            while contentEnd > contentStart
                && (bytes[contentEnd - 1] == space || (bytes[contentEnd - 1] == Self.tab && tabIsSpace))
            {
                contentEnd -= 1
            }
            appendSpan(FieldSpan(start: contentStart, end: contentEnd, isQuoted: false, hasDoubledQuotes: false))
            if index < end && bytes[index] == delimiter {
                index += 1
                continue fields
            }
            break fields
        }
        // `index` is on the record's line break, or at the end of the input.
        var next = index
        if index < end {
            if bytes[index] == carriageReturn {
                if index + 1 < end {
                    next = bytes[index + 1] == lineFeed ? index + 2 : index + 1
                } else if atEnd {
                    next = index + 1
                } else {
                    return .needMore(inQuotes: false)
                }
            } else {
                next = index + 1
            }
        }
        if spanCount == 1 && !spans[0].isQuoted && spans[0].start == spans[0].end {
            return .blank(next: next)
        }
        return .record(contentEnd: index, next: next, lineBreaks: lineBreaks)
    }

    @inline(__always)
    private mutating func appendSpan(_ span: FieldSpan) {
        if spanCount == spanCapacity {
            let grown = UnsafeMutablePointer<FieldSpan>.allocate(capacity: spanCapacity * 2)
            grown.moveInitialize(from: spans, count: spanCount)
            spans.deallocate()
            spans = grown
            spanCapacity *= 2
        }
        (spans + spanCount).initialize(to: span)
        spanCount += 1
    }

    private static let quotePattern = ByteSearch.repeated(quote)
    private static let lineFeedPattern = ByteSearch.repeated(lineFeed)
    private static let carriageReturnPattern = ByteSearch.repeated(carriageReturn)

    private mutating func makeRecord(contentEnd: Int) -> Result<CSVRecord, CSVRowError> {
        let recordBytes = UnsafeBufferPointer(start: buffer + start, count: contentEnd - start)
        let isASCII = TextDecoding.isASCII(recordBytes)
        if !isASCII && encoding == .utf8 && TextDecoding.validateUTF8(recordBytes) != .valid {
            return .failure(.invalidText(line: line, raw: Array(recordBytes)))
        }
        // UTF-8 is validated for the whole record above; ASCII needs no transcoding in either encoding.
        let decodesAsUTF8 = isASCII || encoding == .utf8
        var fields: [String] = []
        fields.reserveCapacity(decodesFields ? spanCount : 0)
        if decodesFields, let columns = decodedColumns {
            for slot in 0..<spanCount {
                fields.append(slot < columns.count && columns[slot] ? decode(spans[slot], asUTF8: decodesAsUTF8) : "")
            }
        } else if decodesFields {
            for slot in 0..<spanCount { fields.append(decode(spans[slot], asUTF8: decodesAsUTF8)) }
        }
        return .success(CSVRecord(line: line, fields: fields, raw: keepsRawBytes ? Array(recordBytes) : []))
    }

    private mutating func decode(_ span: FieldSpan, asUTF8: Bool) -> String {
        guard span.start < span.end else { return "" }
        guard span.hasDoubledQuotes else {
            return Self.decode(UnsafeBufferPointer(start: buffer + span.start, count: span.end - span.start), asUTF8)
        }
        unescaped.removeAll(keepingCapacity: true)
        var index = span.start
        var runStart = index
        while index < span.end {
            // Inside quotes every quote is the first of a pair (a lone one would have closed the field).
            if buffer[index] == Self.quote {
                unescaped.append(contentsOf: UnsafeBufferPointer(start: buffer + runStart, count: index + 1 - runStart))
                index += 2
                runStart = index
            } else {
                index += 1
            }
        }
        unescaped.append(contentsOf: UnsafeBufferPointer(start: buffer + runStart, count: span.end - runStart))
        return unescaped.withUnsafeBufferPointer { Self.decode($0, asUTF8) }
    }

    private static func decode(_ bytes: UnsafeBufferPointer<UInt8>, _ asUTF8: Bool) -> String {
        asUTF8 ? String(decoding: bytes, as: UTF8.self) : TextDecoding.windows1252String(bytes)
    }
}
