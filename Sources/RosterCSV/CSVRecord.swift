/// One record of a CSV file: its decoded fields and the bytes it was read from.
public struct CSVRecord: Sendable, Equatable {
    /// The physical line the record starts on; the header is line 1, and blank lines and line breaks inside
    /// quoted fields count.
    public let line: Int
    /// Decoded values: quotes removed, `""` collapsed, spaces and tabs around unquoted values and around the quotes
    /// trimmed. The count may differ from the header's: the importer decides what that means.
    public let fields: [String]
    /// The record's bytes as they were in the file, without its final line break, for writing rejected rows back.
    public let raw: [UInt8]

    /// Creates a record; the reader makes these, tests may too.
    public init(line: Int, fields: [String], raw: [UInt8]) {
        self.line = line
        self.fields = fields
        self.raw = raw
    }

    /// True when every field is empty, as in the `;;;;` rows Excel writes for formatted but empty cells.
    public var hasOnlyEmptyFields: Bool {
        fields.allSatisfy(\.isEmpty)
    }

    /// The field at `index`, or nil when this record is shorter.
    public subscript(field index: Int) -> String? {
        fields.indices.contains(index) ? fields[index] : nil
    }
}
