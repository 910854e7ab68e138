/// A parsed filter query, ready to run against any working set with `FilterIndex.evaluate`.
///
/// Parsing checks the syntax only; field names and value types are checked against the working set when the filter
/// runs, because fields belong to a store, not to the language.
public struct Filter: Sendable {
    /// The query as written.
    public let source: String
    let expression: FilterExpression

    /// Parses a query in the filter language (see `FilterParser` for the language); `@NAME` reads the expression
    /// saved in `segments` under that name.
    public static func parse(_ text: String, segments: SavedSegments = .none) throws(FilterError) -> Filter {
        Filter(source: text, expression: try FilterParser.parse(text, segments: segments))
    }
}
