import CTextWidth

/// How many terminal cells text takes: wide characters (山田, most emoji) take two.
public enum TextWidth {
    /// The cells one character takes: 1 or 2 (a lone combining mark or an unprintable scalar counts as 1).
    public static func of(_ character: Character) -> Int {
        if character.asciiValue != nil { return 1 }
        let scalars = character.unicodeScalars
        let first = scalars.first!
        var width = Int(roster_wcwidth(first.value))
        if width <= 0 { width = 1 }
        if width == 1 {
            // An emoji presentation selector or a pair of regional indicators (a flag) is drawn wide.
            if scalars.contains(where: { $0.value == 0xFE0F }) { width = 2 }
            if (0x1F1E6...0x1F1FF).contains(first.value) && scalars.count > 1 { width = 2 }
        }
        return min(width, 2)
    }

    /// The cells a string takes.
    public static func of(_ text: String) -> Int {
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return text.utf8.count }
        return text.reduce(0) { $0 + of($1) }
    }

    /// The longest prefix of `text` that fits in `width` cells, never splitting a wide character.
    public static func prefix(_ text: String, fitting width: Int) -> String {
        guard width > 0 else { return "" }
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return String(text.utf8.prefix(width))! }
        var used = 0
        var end = text.startIndex
        for index in text.indices {
            let cells = of(text[index])
            if used + cells > width { break }
            used += cells
            end = text.index(after: index)
        }
        return String(text[..<end])
    }

    /// `text` cut to `width` cells with `…` at the end when it does not fit.
    public static func truncate(_ text: String, to width: Int) -> String {
        guard width > 0 else { return "" }
        if of(text) <= width { return text }
        return prefix(text, fitting: width - 1) + "…"
    }

    /// The longest suffix of `text` that fits in `width` cells (for paths and long input).
    public static func suffix(_ text: String, fitting width: Int) -> String {
        guard width > 0 else { return "" }
        var used = 0
        var start = text.endIndex
        while start > text.startIndex {
            let before = text.index(before: start)
            let cells = of(text[before])
            if used + cells > width { break }
            used += cells
            start = before
        }
        return String(text[start...])
    }
}
