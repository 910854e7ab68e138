/// Colours and attributes for each semantic slot, read from a theme file.
public struct Theme: Equatable, Sendable {
    /// The theme's name (its file name without `.toml`).
    public var name: String
    public var styles: [Slot: SlotStyle]

    public init(name: String, styles: [Slot: SlotStyle]) {
        self.name = name
        self.styles = styles
    }

    /// The style of `slot`; a slot the file leaves out looks like `body`.
    public func style(_ slot: Slot) -> SlotStyle {
        styles[slot] ?? styles[.body] ?? SlotStyle()
    }

    /// The theme without colours (for `NO_COLOR` and terminals without colour): attributes only, with the
    /// selection, the status line, titles and dim text still told apart.
    public func attributesOnly() -> Theme {
        var plain: [Slot: SlotStyle] = [:]
        for slot in Slot.allCases {
            let style = style(slot)
            var attributes = SlotStyle(
                bold: style.bold, underline: style.underline, reverse: style.reverse, dim: style.dim)
            switch slot {
            case .selection, .status: attributes.reverse = true
            case .header, .accent, .error: attributes.bold = true
            case .dim, .masked: attributes.dim = true
            case .body: break
            }
            plain[slot] = attributes
        }
        return Theme(name: name, styles: plain)
    }

    /// The theme used when no file can be read: the same as `themes/default.toml`.
    public static let builtIn: Theme = {
        do {
            return try ThemeParser.parse(ThemeParser.builtInDefaultText, name: "default", path: "built-in default")
        } catch {
            preconditionFailure("the built-in theme parses: \(error)")
        }
    }()
}
