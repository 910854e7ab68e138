/// A theme file that cannot be used, with the line at fault.
public struct ThemeError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file as shown to the user (`themes/x.toml`).
    public let path: String
    /// The 1-based line, or nil when the whole file is at fault (missing, unreadable).
    public let line: Int?
    public let message: String

    public init(path: String, line: Int?, message: String) {
        self.path = path
        self.line = line
        self.message = message
    }

    /// `themes/x.toml:7: unknown colour "bleu"`.
    public var description: String {
        if let line { return "\(path):\(line): \(message)" }
        return "\(path): \(message)"
    }
}
