/// A filter that cannot be read, or that does not fit the customers' fields, with where in the query it went wrong.
public struct FilterError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The 1-based line of the query (1 unless the query spans lines).
    public let line: Int
    /// The 1-based column, in characters, of the token the message is about.
    public let column: Int
    public let message: String

    public init(line: Int = 1, column: Int, message: String) {
        self.line = line
        self.column = column
        self.message = message
    }

    init(_ message: String, at position: FilterPosition) {
        self.init(line: position.line, column: position.column, message: message)
    }

    /// `query:LINE:COLUMN: message`, the form compilers use, so editors and people can find the spot.
    public var description: String { "query:\(line):\(column): \(message)" }
}
