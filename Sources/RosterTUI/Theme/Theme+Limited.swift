/// A theme on a terminal with few colours.
extension Theme {
    /// The theme with every colour mapped to the nearest of `count` (8, 16 or 256), kept readable: when the
    /// selection would look like the title bar it is drawn reversed instead, and a status line whose background
    /// would be black or the terminal's own (and vanish on a dark background) becomes black on white.
    public func limited(to count: Int) -> Theme {
        var styles: [Slot: SlotStyle] = [:]
        for slot in Slot.allCases {
            var style = style(slot)
            style.foreground = style.foreground.limited(to: count)
            style.background = style.background.limited(to: count)
            styles[slot] = style
        }
        guard count < 256 else { return Theme(name: name, styles: styles) }
        let header = styles[.header]!
        if let selection = styles[.selection], selection.background == header.background, !selection.reverse {
            styles[.selection] = SlotStyle(bold: true, reverse: true)
        }
        if let status = styles[.status], !status.reverse,
            status.background == .terminalDefault || status.background == .indexed(0)
        {
            styles[.status] = SlotStyle(foreground: .indexed(0), background: .indexed(7))
        }
        return Theme(name: name, styles: styles)
    }
}
