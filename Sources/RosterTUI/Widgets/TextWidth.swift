import CTextWidth

/// How many terminal cells text takes: wide characters (山田, most emoji) take two.
public enum TextWidth {
    /// The cells one grapheme cluster takes, as ncurses and terminals that follow `wcwidth` lay it out: the sum of
    /// its scalars' widths (`é` 1, `प्रि` 2, a flag 2, `👍🏽` 4), except an emoji ZWJ sequence, which the console
    /// draws as one glyph of its first emoji's width (`👨‍👩‍👧` 2). A cluster of zero-width scalars counts as 1: it
    /// is drawn on a dotted circle.
    public static func of(_ character: Character) -> Int {
        if character.asciiValue != nil { return 1 }
        let scalars = character.unicodeScalars
        if isEmojiSequence(character) { return 2 }
        var width = 0
        for scalar in scalars {
            let cells = Int(roster_wcwidth(scalar.value))
            if cells > 0 { width += cells }
        }
        return max(1, width)
    }

    /// Whether `text` holds a right-to-left letter (Hebrew, Arabic, Syriac, Thaana, N'Ko and the other RTL blocks).
    public static func hasRightToLeft(_ text: String) -> Bool {
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return false }
        return text.unicodeScalars.contains { scalar in
            switch scalar.value {
            case 0x0590...0x08FF, 0xFB1D...0xFDFF, 0xFE70...0xFEFF, 0x10800...0x10FFF, 0x1E800...0x1EFFF: return true
            default: return false
            }
        }
    }

    /// Whether the cluster starts with a zero-width scalar (a lone combining mark), which a terminal would join
    /// to the cell on its left.
    public static func startsZeroWidth(_ character: Character) -> Bool {
        guard character.asciiValue == nil, let first = character.unicodeScalars.first else { return false }
        return roster_wcwidth(first.value) <= 0
    }

    /// Whether `character` is an emoji joined with ZWJ (U+200D), drawn as one wide glyph.
    public static func isEmojiSequence(_ character: Character) -> Bool {
        let scalars = character.unicodeScalars
        guard scalars.count > 2, let first = scalars.first, scalars.contains(where: { $0.value == 0x200D }) else {
            return false
        }
        return roster_wcwidth(first.value) == 2
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
