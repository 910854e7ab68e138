/// What an import would do with the first rows of a file: the mapping it settled and the rows as they would be
/// stored (`roster import --dry-run`).
public struct ImportPreview: Sendable {
    /// One imported column: its target, where its value comes from, and a field's type.
    public struct Column: Sendable, Equatable {
        public let target: String
        public let source: String
        public let type: FieldType?

        package init(target: String, source: String, type: FieldType?) {
            self.target = target
            self.source = source
            self.type = type
        }
    }

    /// One row: its line and the values it would store, or why it would be refused.
    public struct Row: Sendable {
        public let line: Int
        public let values: [(name: String, value: String)]
        public let rejection: String?

        package init(line: Int, values: [(name: String, value: String)], rejection: String?) {
            self.line = line
            self.values = values
            self.rejection = rejection
        }
    }

    public let columns: [Column]
    /// Headers of the file that nothing imports (read by a template, or left out by a preset).
    public let unused: [String]
    public let rows: [Row]
    public let formats: [ImportColumnFormat]
    /// The file's header, as written.
    public var headers: [String] = []

    package init(
        columns: [Column], unused: [String], rows: [Row], formats: [ImportColumnFormat], headers: [String] = []
    ) {
        self.columns = columns
        self.unused = unused
        self.rows = rows
        self.formats = formats
        self.headers = headers
    }
}
