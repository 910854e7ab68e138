/// How a template renders over a segment of customers: how many are complete, who misses what, a few samples.
public struct SegmentPreview: Sendable, Equatable {
    /// The number of customers of the segment missing one field.
    public struct Missing: Sendable, Equatable {
        /// The field as named in the template.
        public let field: String
        public let count: Int

        public init(field: String, count: Int) {
            self.field = field
            self.count = count
        }
    }

    /// One customer's rendering, with the externalCode to find that customer again.
    public struct Sample: Sendable, Equatable {
        public let externalCode: String
        public let rendering: Template.Rendering

        public init(externalCode: String, rendering: Template.Rendering) {
            self.externalCode = externalCode
            self.rendering = rendering
        }
    }

    /// The number of customers in the segment.
    public let total: Int
    /// Customers for whom every placeholder has a value or a fallback.
    public let complete: Int
    /// Per field that some placeholder uses without a fallback, in template order, including counts of zero.
    public let missingByField: [Missing]
    /// The first customers of the segment, in the order of `rows`.
    public let samples: [Sample]

    /// Previews `template` over the customers at `rows` (indices into `workingSet`, each in range).
    ///
    /// Each field is resolved to its column once and the rows are scanned field by field without
    /// rendering them; only the samples are rendered.
    public init(template: Template, rows: [Int32], of workingSet: WorkingSet, sampleCount: Int = 3) {
        let count = workingSet.count
        precondition(rows.allSatisfy { $0 >= 0 && Int($0) < count }, "segment rows are rows of the working set")
        let sources = PlaceholderSource.resolve(template.fieldNames, in: workingSet)

        var incomplete = [Bool](repeating: false, count: rows.count)
        var missingByField: [Missing] = []
        for field in template.fieldNames.indices where template.required[field] {
            let missing = Self.markMissing(sources[field], rows: rows, of: workingSet, incomplete: &incomplete)
            missingByField.append(Missing(field: template.fieldNames[field], count: missing))
        }

        self.total = rows.count
        self.complete = missingByField.isEmpty ? rows.count : incomplete.lazy.filter { !$0 }.count
        self.missingByField = missingByField
        self.samples = rows.prefix(max(0, sampleCount)).map { row in
            let row = Int(row)
            return Sample(
                externalCode: workingSet.externalCodes[row],
                rendering: template.assemble { sources[$0].value(row: row, of: workingSet) })
        }
    }

    /// Counts the rows whose value from `source` is missing or blank, and flags them in `incomplete`.
    private static func markMissing(
        _ source: PlaceholderSource, rows: [Int32], of workingSet: WorkingSet, incomplete: inout [Bool]
    ) -> Int {
        switch source {
        case .absent:
            for position in incomplete.indices { incomplete[position] = true }
            return rows.count
        case .builtIn(.email): return markMissing(workingSet.emails, rows: rows, incomplete: &incomplete)
        case .builtIn(.phone): return markMissing(workingSet.phones, rows: rows, incomplete: &incomplete)
        case .builtIn(.crmId): return markMissing(workingSet.crmIds, rows: rows, incomplete: &incomplete)
        case .builtIn(.externalCode):
            return 0
        case .column(let column):
            return markMissing(workingSet.columns[column].values, rows: rows, incomplete: &incomplete)
        }
    }

    // Buffer pointers keep the million-row loop free of bounds checks and retains; rows were checked above. A value
    // is read as bytes: only one that starts with non-ASCII white space becomes a `String`.
    private static func markMissing(_ values: TextColumn, rows: [Int32], incomplete: inout [Bool]) -> Int {
        values.bytes.withUnsafeBufferPointer { bytes in
            values.starts.withUnsafeBufferPointer { starts in
                rows.withUnsafeBufferPointer { rows in
                    incomplete.withUnsafeMutableBufferPointer { incomplete in
                        var missing = 0
                        for position in 0..<rows.count {
                            let row = Int(rows[position])
                            let start = Int(starts[row])
                            let end = Int(starts[row + 1])
                            if end > start,
                                !Template.isBlank(utf8: UnsafeBufferPointer(rebasing: bytes[start..<end - 1]))
                            {
                                continue
                            }
                            missing += 1
                            incomplete[position] = true
                        }
                        return missing
                    }
                }
            }
        }
    }
}
