/// A template that cannot be parsed, with the 1-based line and column of the offending `$`.
public struct TemplateError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The line of the offending `$`, from 1.
    public let line: Int
    /// The column of the offending `$` on its line, from 1, counted in characters as a person sees them.
    public let column: Int
    /// What is wrong, without the position.
    public let message: String

    public init(line: Int = 1, column: Int, message: String) {
        self.line = line
        self.column = column
        self.message = message
    }

    /// The error as the CLI prints it: `template:1:4: "${" is not closed by "}"`.
    public var description: String { "template:\(line):\(column): \(message)" }
}
