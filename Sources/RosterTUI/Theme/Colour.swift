/// A terminal colour as a theme names it.
public enum Colour: Equatable, Hashable, Sendable {
    /// The terminal's own foreground or background.
    case terminalDefault
    /// One of the 256 indexed colours (0–7 the basic ones, 8–15 their bright forms).
    case indexed(Int)

    /// The names a theme may use for the basic colours, by index.
    static let names = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"]

    /// Reads `default`, a basic colour name, `bright-NAME`, or a number 0–255; nil when it is none of these.
    public init?(name raw: String) {
        let name = raw.lowercased()
        if name == "default" {
            self = .terminalDefault
        } else if let index = Colour.names.firstIndex(of: name) {
            self = .indexed(index)
        } else if name.hasPrefix("bright-"), let index = Colour.names.firstIndex(of: String(name.dropFirst(7))) {
            self = .indexed(index + 8)
        } else if let number = Int(name), (0...255).contains(number) {
            self = .indexed(number)
        } else {
            return nil
        }
    }

    /// The nearest colour a terminal with `count` colours (8, 16 or 256) can show.
    public func limited(to count: Int) -> Colour {
        guard case .indexed(let index) = self, index >= count else { return self }
        if index < 16 { return .indexed(index - 8) }
        if index >= 232 { return .indexed(index >= 244 ? 7 : (count >= 16 ? 8 : 0)) }
        // The 6×6×6 cube: each of red, green and blue is on when it is at least half bright.
        let cube = index - 16
        let red = cube / 36 >= 3 ? 1 : 0
        let green = (cube / 6) % 6 >= 3 ? 2 : 0
        let blue = cube % 6 >= 3 ? 4 : 0
        return .indexed(red | green | blue)
    }
}
