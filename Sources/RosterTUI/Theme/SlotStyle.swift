/// How a theme draws one slot.
public struct SlotStyle: Equatable, Hashable, Sendable {
    public var foreground: Colour
    public var background: Colour
    public var bold: Bool
    public var underline: Bool
    public var reverse: Bool
    public var dim: Bool

    public init(
        foreground: Colour = .terminalDefault, background: Colour = .terminalDefault, bold: Bool = false,
        underline: Bool = false, reverse: Bool = false, dim: Bool = false
    ) {
        self.foreground = foreground
        self.background = background
        self.bold = bold
        self.underline = underline
        self.reverse = reverse
        self.dim = dim
    }
}
