import Foundation
import Testing

@testable import RosterCSV
@testable import RosterCore
@testable import RosterModel

/// A record or a row error, flattened so whole files compare with one `#expect`.
private enum Row: Equatable, CustomStringConvertible {
    case record(Int, [String])
    case error(CSVRowError)

    var description: String {
        switch self {
        case .record(let line, let fields): return "\(line): \(fields)"
        case .error(let error): return "\(error)"
        }
    }
}

private func bytes(_ text: String) -> [UInt8] {
    Array(text.utf8)
}

private func reader(
    _ input: [UInt8], delimiter: UInt8? = nil, encoding: CSVEncoding? = nil, limits: CSVScanner.Limits = .standard
) throws -> CSVReader {
    try CSVReader(bytes: input, delimiter: delimiter, encoding: encoding, limits: limits)
}

private func results(of reader: CSVReader) throws -> [Result<CSVRecord, CSVRowError>] {
    var results: [Result<CSVRecord, CSVRowError>] = []
    while let result = try reader.next() {
        results.append(result)
    }
    return results
}

private func rows(of reader: CSVReader) throws -> [Row] {
    try results(of: reader).map { result in
        switch result {
        case .success(let record): return .record(record.line, record.fields)
        case .failure(let error): return .error(error)
        }
    }
}

private func rows(_ text: String, delimiter: UInt8? = nil) throws -> [Row] {
    try rows(of: reader(bytes(text), delimiter: delimiter))
}

private func temporaryFile(_ contents: [UInt8]) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("roster-csv-\(UUID().uuidString).csv")
    try Data(contents).write(to: url)
    return url
}

/// A file with every construct whose parsing depends on look-ahead: CRLF, lone CR, quotes, doubled quotes,
/// multi-byte text, blank lines and broken quotes.
private let trickyFile = bytes(
    "id;note;city\r\n"
        + "1;\"semi;colon\";Málaga\r\n"
        + "\r\n"
        + "2; \"say \"\"hi\"\"\" ;\"multi\r\nline\rtext\"\r"
        + "3;ab\"c;€uro\n"
        + "4;\"bad\"x;y\r\n"
        + "5;\"\";\"\"\"\"\r\n"
        + "   \r\n"
        + "6;\"open;z\r\n"
        + "7;last;row\r\n"
        + "8;\"never closed\r\n")

private let trickyRows: [Row] = [
    .record(2, ["1", "semi;colon", "Málaga"]),
    .record(4, ["2", "say \"hi\"", "multi\r\nline\rtext"]),
    .record(7, ["3", "ab\"c", "€uro"]),
    .error(.textAfterClosingQuote(line: 8, raw: bytes("4;\"bad\"x;y"))),
    .record(9, ["5", "", "\""]),
    // The quote opened on line 11 pairs with the first quote of line 13, which text follows.
    .error(.textAfterClosingQuote(line: 11, raw: bytes("6;\"open;z"))),
    .record(12, ["7", "last", "row"]),
    .error(.unterminatedQuote(line: 13, raw: bytes("8;\"never closed"))),
]

/// Reading of CSV files as Excel and CRMs write them, and recovery from the rows they get wrong.
struct CSVReaderTests {
    // MARK: - Dialect

    @Test func byteOrderMarkIsStrippedAndMeansUTF8() throws {
        let csv = try reader([0xEF, 0xBB, 0xBF] + bytes("email,name\r\nana@example.com,José\r\n"))
        #expect(csv.dialect == CSVDialect(delimiter: UInt8(ascii: ","), encoding: .utf8, hasBOM: true))
        #expect(csv.header == ["email", "name"])
        #expect(try rows(of: csv) == [.record(2, ["ana@example.com", "José"])])
    }

    @Test func semicolonDelimiterIsDetected() throws {
        let csv = try reader(bytes("email;name;city\nana@example.com;Ana;Madrid, Spain\n"))
        #expect(csv.dialect.delimiter == UInt8(ascii: ";"))
        #expect(try rows(of: csv) == [.record(2, ["ana@example.com", "Ana", "Madrid, Spain"])])
    }

    @Test func tabDelimiterIsDetected() throws {
        let csv = try reader(bytes("email\tname\tnote\nana@example.com\tAna María\ta, b; c\n"))
        #expect(csv.dialect.delimiter == UInt8(ascii: "\t"))
        #expect(try rows(of: csv) == [.record(2, ["ana@example.com", "Ana María", "a, b; c"])])
    }

    @Test func delimiterDetectionIgnoresQuotedTextAndBlankLines() throws {
        #expect(try reader(bytes("\n  \n\"a,b,c\";d;e\n1;2;3\n")).dialect.delimiter == UInt8(ascii: ";"))
        #expect(try reader(bytes("email\nana@example.com\n")).dialect.delimiter == UInt8(ascii: ","))
        #expect(try reader(bytes("a;b,c\n")).dialect.delimiter == UInt8(ascii: ","))
    }

    @Test func givenDelimiterOverridesDetection() throws {
        let csv = try reader(bytes("a;b|c\n1;2|3\n"), delimiter: UInt8(ascii: "|"))
        #expect(csv.header == ["a;b", "c"])
        #expect(try rows(of: csv) == [.record(2, ["1;2", "3"])])
    }

    @Test func unusableDelimiterIsRefused() {
        #expect(throws: CSVReaderError.unusableDelimiter(UInt8(ascii: "\""))) {
            try reader(bytes("a,b\n"), delimiter: UInt8(ascii: "\""))
        }
    }

    @Test func optionValuesNameEncodingsAndDelimiters() {
        #expect(CSVEncoding(name: "UTF-8") == .utf8)
        #expect(CSVEncoding(name: "cp1252") == .windows1252)
        #expect(CSVEncoding(name: "Latin1") == .windows1252)
        #expect(CSVEncoding(name: "ebcdic") == nil)
        #expect(CSVDialect.delimiter(fromOption: "tab") == UInt8(ascii: "\t"))
        #expect(CSVDialect.delimiter(fromOption: ";") == UInt8(ascii: ";"))
        #expect(CSVDialect.delimiter(fromOption: ";;") == nil)
        #expect(CSVDialect.delimiter(fromOption: "\"") == nil)
    }

    // MARK: - Encodings

    @Test func windows1252TextIsDetectedAndDecoded() throws {
        // "name,note\nJosé,€ Š œ ü\n" in Windows-1252.
        let input =
            bytes("name,note\nJos") + [0xE9] + bytes(",") + [0x80, 0x20, 0x8A, 0x20, 0x9C, 0x20, 0xFC] + bytes("\n")
        let csv = try reader(input)
        #expect(csv.dialect.encoding == .windows1252)
        #expect(try rows(of: csv) == [.record(2, ["José", "€ Š œ ü"])])
        // Doubled quotes around Windows-1252 text: "Caf\xE9 ""Le Bon""".
        let quoted = bytes("name\n\"Caf") + [0xE9] + bytes(" \"\"Le Bon\"\"\"\n")
        #expect(try rows(of: reader(quoted)) == [.record(2, ["Café \"Le Bon\""])])
    }

    @Test func everyWindows1252ByteDecodesToOneCharacter() {
        for byte in UInt8(0x80)...UInt8(0xFF) {
            let text = [byte].withUnsafeBufferPointer { TextDecoding.windows1252String($0) }
            #expect(text.unicodeScalars.count == 1, "byte \(byte)")
        }
        let sample: [UInt8] = [0x80, 0x8A, 0x9C, 0x9F, 0xA0, 0xE9, 0xFF]
        #expect(sample.withUnsafeBufferPointer { TextDecoding.windows1252String($0) } == "€Šœ\u{178}\u{A0}éÿ")
    }

    @Test func encodingOverrideWins() throws {
        let latin = bytes("name\nJos") + [0xE9] + bytes("\n")
        let forcedUTF8 = try reader(latin, encoding: .utf8)
        #expect(try rows(of: forcedUTF8) == [.error(.invalidText(line: 2, raw: bytes("Jos") + [0xE9]))])
        let forcedLatin = try reader(bytes("name\nJosé\n"), encoding: .windows1252)
        #expect(try rows(of: forcedLatin) == [.record(2, ["JosÃ©"])])
    }

    @Test func invalidUTF8RowIsAnErrorAndReadingGoesOn() throws {
        // The first chunk is valid UTF-8, so the file is read as UTF-8; the Latin-1 byte comes after it.
        let input = bytes("name,city\nAna,Madrid\nJos") + [0xE9] + bytes(",Lyon\nEva,Roma\n")
        let csv = try reader(input, limits: CSVScanner.Limits(chunkSize: 16))
        #expect(csv.dialect.encoding == .utf8)
        let result = try rows(of: csv)
        #expect(
            result == [
                .record(2, ["Ana", "Madrid"]),
                .error(.invalidText(line: 3, raw: bytes("Jos") + [0xE9] + bytes(",Lyon"))),
                .record(4, ["Eva", "Roma"]),
            ])
        #expect(
            "\(CSVRowError.invalidText(line: 12, raw: bytes("Jos") + [0xE9]))"
                == "line 12: not valid UTF-8 text at byte 4 of the row (the file is read as UTF-8; if it is "
                + "Windows-1252, import it with --encoding windows-1252)")
    }

    @Test func utf8CutAtTheFirstChunkBoundaryIsStillUTF8() throws {
        // "é" is C3 A9: with 5-byte chunks the first chunk "n\néé" ends after C3.
        let csv = try reader(bytes("n\nééé\n"), limits: CSVScanner.Limits(chunkSize: 4))
        #expect(csv.dialect.encoding == .utf8)
        #expect(try rows(of: csv) == [.record(2, ["ééé"])])
        // A whole file ending mid-sequence is not UTF-8.
        #expect(try reader(bytes("n\n") + [0xC3]).dialect.encoding == .windows1252)
    }

    @Test func utf8ValidationRejectsOverlongsAndSurrogates() {
        func validity(_ input: [UInt8]) -> TextDecoding.UTF8Validity {
            input.withUnsafeBufferPointer { TextDecoding.validateUTF8($0) }
        }
        #expect(validity(bytes("plain ascii and ünïcödé 😀")) == .valid)
        #expect(validity([0xC0, 0xAF]) == .invalid)
        #expect(validity([0xE0, 0x80, 0xAF]) == .invalid)
        #expect(validity([0xED, 0xA0, 0x80]) == .invalid)
        #expect(validity([0xF4, 0x90, 0x80, 0x80]) == .invalid)
        #expect(validity([0x41, 0xF0, 0x9F, 0x98]) == .truncated)
    }

    // MARK: - RFC 4180 and leniencies

    @Test func quotedFieldsKeepDelimiters() throws {
        #expect(try rows("a,b,c\n1,\"2,5\",3\n") == [.record(2, ["1", "2,5", "3"])])
    }

    @Test func doubledQuotesBecomeOneQuote() throws {
        #expect(
            try rows("a,b,c\n\"say \"\"hi\"\"\",\"\"\"\"\"\",\"\"\n")
                == [.record(2, ["say \"hi\"", "\"\"", ""])])
    }

    @Test func quotedLineBreaksStayInTheFieldAndCountAsLines() throws {
        let result = try rows("id,note\n1,\"first\nsecond\r\nthird\"\n2,next\n")
        #expect(result == [.record(2, ["1", "first\nsecond\r\nthird"]), .record(5, ["2", "next"])])
    }

    @Test func crlfLineEnds() throws {
        #expect(try rows("a,b\r\n1,2\r\n3,4\r\n") == [.record(2, ["1", "2"]), .record(3, ["3", "4"])])
    }

    @Test func loneCarriageReturnLineEnds() throws {
        #expect(try rows("a,b\r1,2\r\r3,4") == [.record(2, ["1", "2"]), .record(4, ["3", "4"])])
    }

    @Test func blankLinesAreSkippedButCounted() throws {
        let csv = try reader(bytes("\n\nemail\n\nana@example.com\n   \n\t\nbob@example.com\n"))
        #expect(csv.header == ["email"])
        #expect(try rows(of: csv) == [.record(5, ["ana@example.com"]), .record(8, ["bob@example.com"])])
    }

    @Test func trailingEmptyLineIsNotARecord() throws {
        #expect(try rows("a\n1\n") == [.record(2, ["1"])])
        #expect(try rows("a\n1") == [.record(2, ["1"])])
        #expect(try rows("a\n1\n\n") == [.record(2, ["1"])])
        #expect(try rows("a\r\n1\r\n\r\n") == [.record(2, ["1"])])
    }

    @Test func spacesAroundValuesAndQuotesAreTrimmed() throws {
        #expect(
            try rows("a,b,c\na, \"b\" ,c\n  x  ,  \" y \"  ,\n") == [
                .record(2, ["a", "b", "c"]), .record(3, ["x", " y ", ""]),
            ])
        // With a tab delimiter, tabs separate and spaces are trimmed.
        #expect(try rows("a\tb\n x \t\t y\n") == [.record(2, ["x", "", "y"])])
    }

    @Test func quoteInsideAnUnquotedValueIsKept() throws {
        #expect(try rows("a,b\nab\"c,5\" screen\n") == [.record(2, ["ab\"c", "5\" screen"])])
    }

    @Test func rowsWithAnotherFieldCountAreReturned() throws {
        #expect(
            try rows("a,b\n1\n1,2,3\n,,\n") == [
                .record(2, ["1"]), .record(3, ["1", "2", "3"]), .record(4, ["", "", ""]),
            ])
    }

    @Test func emptyFieldRowsAreMarked() throws {
        let records = try results(of: reader(bytes("a;b\n;\nx;\n"))).map { try $0.get() }
        #expect(records.map(\.hasOnlyEmptyFields) == [true, false])
        #expect(records[1][field: 0] == "x" && records[1][field: 5] == nil)
    }

    @Test func headerLookupIgnoresCaseAndSpaces() throws {
        let csv = try reader(bytes(" Email ,PHONE,\"Country Code\",email\n"))
        #expect(csv.header == ["Email", "PHONE", "Country Code", "email"])
        #expect(csv.index(ofColumn: "email") == 0)
        #expect(csv.index(ofColumn: " EMAIL") == 0)
        #expect(csv.index(ofColumn: "phone") == 1)
        #expect(csv.index(ofColumn: "country code") == 2)
        #expect(csv.index(ofColumn: "externalCode") == nil)
    }

    // MARK: - Broken quotes

    @Test func unterminatedQuoteInTheMiddleRejectsOnlyItsLine() throws {
        let result = try rows("a,b\n1,2\n3,\"4\n5,6\n7,8\n")
        #expect(
            result == [
                .record(2, ["1", "2"]), .error(.unterminatedQuote(line: 3, raw: bytes("3,\"4"))),
                .record(4, ["5", "6"]),
                .record(5, ["7", "8"]),
            ])
    }

    @Test func strayQuoteClosedLaterByAnotherRowIsCaught() throws {
        // The stray quote on line 3 pairs with the first quote of line 5, which is followed by text.
        let result = try rows("a,b\n1,2\n3,\"4\n5,6\n7,\"8\"\n")
        #expect(
            result == [
                .record(2, ["1", "2"]), .error(.textAfterClosingQuote(line: 3, raw: bytes("3,\"4"))),
                .record(4, ["5", "6"]), .record(5, ["7", "8"]),
            ])
    }

    @Test func unterminatedQuoteAtTheEnd() throws {
        let csv = try reader(bytes("a,b\r\n1,2\r\n3,\"4"))
        #expect(
            try rows(of: csv) == [.record(2, ["1", "2"]), .error(.unterminatedQuote(line: 3, raw: bytes("3,\"4")))])
        #expect(try csv.next() == nil)
    }

    @Test func quoteRunningPastTheLineLimitIsUnterminated() throws {
        // Lines 3–6 would merge into one record if the quote were allowed to run on to line 6.
        let input = bytes("a,b\n1,\"x\n2,y\n3,z\n4,w\",q\n5,v\n")
        let csv = try reader(input, limits: CSVScanner.Limits(maxRecordLines: 3))
        #expect(
            try rows(of: csv) == [
                .error(.unterminatedQuote(line: 2, raw: bytes("1,\"x"))), .record(3, ["2", "y"]),
                .record(4, ["3", "z"]),
                .record(5, ["4", "w\"", "q"]), .record(6, ["5", "v"]),
            ])
    }

    @Test func quoteRunningPastTheByteLimitIsUnterminated() throws {
        let long = String(repeating: "x", count: 100)
        let input = bytes("a,b\n1,\"\(long)\n2,\(long)\n3,y\n")
        let csv = try reader(input, limits: CSVScanner.Limits(chunkSize: 16, maxRecordBytes: 64))
        let result = try rows(of: csv)
        #expect(result.count == 3)
        #expect(
            result.first == .error(.unterminatedQuote(line: 2, raw: bytes("1,\"" + String(repeating: "x", count: 61)))))
        #expect(result.last == .record(4, ["3", "y"]))
    }

    @Test func overlongRowIsRejectedAndSkipped() throws {
        let long = String(repeating: "x", count: 1000)
        let input = bytes("a,b\n1,\(long)\r\n2,y\n")
        let csv = try reader(input, limits: CSVScanner.Limits(chunkSize: 16, maxRecordBytes: 64))
        let result = try rows(of: csv)
        #expect(
            result == [
                .error(.recordTooLong(line: 2, raw: Array(bytes("1," + long).prefix(64)))), .record(3, ["2", "y"]),
            ])
    }

    @Test func rowErrorsSayWhatToDo() {
        let error = CSVRowError.unterminatedQuote(line: 7, raw: [])
        #expect(error.line == 7)
        #expect(error.description.hasPrefix("line 7: quoted field is never closed"))
        #expect(error.reason.contains("resumed on line 8"))
    }

    // MARK: - Files and failures

    @Test func emptyInputIsAnError() {
        #expect(throws: CSVReaderError.emptyFile(path: "(in memory)")) { try reader([]) }
        #expect(throws: CSVReaderError.emptyFile(path: "(in memory)")) {
            try reader([0xEF, 0xBB, 0xBF] + bytes("\r\n \n"))
        }
    }

    @Test func unreadableHeaderIsAnError() {
        #expect(
            throws: CSVReaderError.unreadableHeader(
                path: "(in memory)", error: .unterminatedQuote(line: 1, raw: bytes("\"a,b")))
        ) {
            try reader(bytes("\"a,b\n"))
        }
    }

    @Test func missingFileErrorNamesThePath() throws {
        let path = "/nonexistent-roster-dir/contacts.csv"
        let error = #expect(throws: CSVReaderError.self) { try CSVReader(path: path) }
        #expect(error?.description == "cannot open CSV file \(path): No such file or directory")
        let directory = #expect(throws: CSVReaderError.self) { try CSVReader(path: NSTemporaryDirectory()) }
        #expect(directory?.description.hasSuffix("it is a directory") == true)
    }

    @Test func fileIsReadInChunksWithProgress() throws {
        var text = "customerId;email;name\r\n"
        for number in 1...500 {
            text += "CRM\(number);user\(number)@example.com;\"Name; \"\"\(number)\"\"\"\r\n"
        }
        let url = try temporaryFile(bytes(text))
        defer { try? FileManager.default.removeItem(at: url) }
        let csv = try CSVReader(
            path: url.path, delimiter: nil, encoding: nil, limits: CSVScanner.Limits(chunkSize: 100))
        #expect(csv.fileSize == text.utf8.count)
        #expect(csv.path == url.path)
        var count = 0
        var lastProgress = 0
        while let result = try csv.next() {
            let record = try result.get()
            count += 1
            #expect(record.line == count + 1)
            #expect(record.fields == ["CRM\(count)", "user\(count)@example.com", "Name; \"\(count)\""])
            #expect(csv.bytesRead >= lastProgress)
            lastProgress = csv.bytesRead
        }
        #expect(count == 500)
        #expect(csv.bytesRead == text.utf8.count)
    }

    // MARK: - Raw bytes and chunk boundaries

    @Test func rawBytesAreTheRecordAsWritten() throws {
        let input = bytes("a,b\r\n  x , \"y\"\"\r\nz\" \r\n") + bytes("Jos") + [0xE9] + bytes(",1\n")
        let records = try results(of: reader(input, encoding: .windows1252)).map { try $0.get() }
        #expect(records.map(\.raw) == [bytes("  x , \"y\"\"\r\nz\" "), bytes("Jos") + [0xE9] + bytes(",1")])
        #expect(records.map(\.fields) == [["x", "y\"\r\nz"], ["José", "1"]])
    }

    @Test func onlyTheMarkedColumnsAreDecoded() throws {
        let csv = try reader(bytes("a,b,c\n x ,\"y,z\",w\n1,2,3,4\n5\n6,7,8\n"))
        #expect(try csv.next()?.get().fields == ["x", "y,z", "w"])
        csv.decodedColumns = [false, true]  // shorter than the row: the columns past it are not decoded
        #expect(try csv.next()?.get().fields == ["", "2", "", ""])
        #expect(try csv.next()?.get().fields == [""])
        csv.decodedColumns = nil
        let last = try csv.next()?.get()
        #expect(last?.fields == ["6", "7", "8"])
        #expect(last?.line == 5)
    }

    @Test func aColumnNotDecodedIsStillRead() throws {
        // A quoted cell with doubled quotes and a line break is stepped over whole; invalid UTF-8 in a column that
        // is not decoded still makes the row unreadable, as when every column is decoded.
        let input = bytes("a,b\n\"x \"\"q\"\"\ny\",2\n") + [0xFF] + bytes(",3\n4,5\n")
        let csv = try reader(input, encoding: .utf8)
        csv.decodedColumns = [false, true]
        #expect(try csv.next()?.get().fields == ["", "2"])
        guard case .failure(let error)? = try csv.next() else {
            Issue.record("the row with invalid UTF-8 was read")
            return
        }
        #expect(error.line == 4)
        #expect(try csv.next()?.get().fields == ["", "5"])
    }

    @Test func trickyFileParsesAsExpected() throws {
        let csv = try reader(trickyFile)
        #expect(csv.dialect == CSVDialect(delimiter: UInt8(ascii: ";"), encoding: .utf8, hasBOM: false))
        #expect(try rows(of: csv) == trickyRows)
    }

    @Test(arguments: 1...40)
    func chunkBoundariesAnywhereGiveTheSameRecords(chunkSize: Int) throws {
        let expected = try results(of: reader(trickyFile))
        let csv = try reader(
            trickyFile, delimiter: UInt8(ascii: ";"), encoding: .utf8, limits: CSVScanner.Limits(chunkSize: chunkSize))
        #expect(csv.header == ["id", "note", "city"])
        let actual = try results(of: csv)
        #expect(actual == expected)
        #expect(csv.bytesRead == trickyFile.count)
    }

    @Test(arguments: [1, 2, 3, 5, 7, 64])
    func byteOrderMarkSplitAcrossChunks(chunkSize: Int) throws {
        let csv = try reader(
            [0xEF, 0xBB, 0xBF] + bytes("a,b\r\n1,2\r\n"), limits: CSVScanner.Limits(chunkSize: chunkSize))
        #expect(csv.dialect.hasBOM)
        #expect(csv.header == ["a", "b"])
        #expect(try rows(of: csv) == [.record(2, ["1", "2"])])
    }

    @Test(arguments: 1...20)
    func overlongRowIsRejectedWhereverChunksEnd(chunkSize: Int) throws {
        let input = bytes(
            "a,b\r\n1,\(String(repeating: "x", count: 40))\r\n2,\"y\r\n\(String(repeating: "z", count: 40))\"\r\n3,w\r\n"
        )
        let csv = try reader(input, limits: CSVScanner.Limits(chunkSize: chunkSize, maxRecordBytes: 30))
        #expect(
            try rows(of: csv) == [
                .error(.recordTooLong(line: 2, raw: bytes("1," + String(repeating: "x", count: 28)))),
                .error(.unterminatedQuote(line: 3, raw: bytes("2,\"y"))),
                .error(.recordTooLong(line: 4, raw: bytes(String(repeating: "z", count: 30)))),
                .record(5, ["3", "w"]),
            ])
    }

    /// Random inputs from the bytes that matter to the parser, read in every chunk size, must read the same as in one
    /// chunk: the scanner re-parses a record when it crosses a chunk boundary, and this proves the re-parse invisible.
    @Test func randomInputsReadTheSameInAnyChunkSize() throws {
        let alphabet: [[UInt8]] = [
            bytes("a"), bytes("b"), bytes(","), bytes(","), bytes("\""), bytes("\""), bytes("\r"), bytes("\n"),
            bytes("\r\n"), bytes(" "), bytes("\t"), bytes("é"), [0xE9],
        ]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func random(_ bound: Int) -> Int {
            // SplitMix64: deterministic, so a failure reproduces.
            state &+= 0x9E37_79B9_7F4A_7C15
            var mixed = state
            mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
            mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
            return Int((mixed ^ (mixed >> 31)) % UInt64(bound))
        }
        let limits = CSVScanner.Limits(chunkSize: 1 << 20, maxRecordBytes: 24, maxRecordLines: 3)
        for _ in 0..<300 {
            var input = bytes("h,i\n")
            for _ in 0..<random(60) {
                input += alphabet[random(alphabet.count)]
            }
            let expected = try results(of: reader(input, delimiter: UInt8(ascii: ","), encoding: .utf8, limits: limits))
            for chunkSize in 1...input.count {
                var chunked = limits
                chunked.chunkSize = chunkSize
                let csv = try reader(input, delimiter: UInt8(ascii: ","), encoding: .utf8, limits: chunked)
                let actual = try results(of: csv)
                #expect(actual == expected, "input \(input), chunk size \(chunkSize)")
                #expect(csv.bytesRead == input.count)
                if actual != expected { return }
            }
        }
    }
}
