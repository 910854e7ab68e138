import CNCursesW
import RosterTUI

/// Turns a theme's slots into curses attributes: colour pairs on colour terminals, attributes alone under
/// `NO_COLOR` or without colours, colours above the terminal's range mapped to the nearest it has.
struct CursesPalette {
    enum ColourMode {
        /// Colours when the terminal has them.
        case automatic
        /// `NO_COLOR`: attributes only.
        case none
    }

    private let mode: ColourMode
    private var theme: Theme?
    private var attributesBySlot: [Slot: attr_t] = [:]
    /// nil until colours were set up: whether the terminal shows colours, and the terminal's default ones.
    private var colours: (enabled: Bool, defaults: Bool)?

    init(mode: ColourMode) {
        self.mode = mode
    }

    /// The attributes of `slot` for the theme applied last.
    func attributes(_ slot: Slot) -> attr_t {
        attributesBySlot[slot] ?? roster_a_normal()
    }

    /// Sets up colour pairs for `theme`, when it is not the one already applied.
    mutating func apply(_ theme: Theme) {
        guard theme != self.theme else { return }
        self.theme = theme
        if colours == nil {
            let enabled = mode == .automatic && has_colors() && start_color() == OK
            colours = (enabled, enabled && use_default_colors() == OK)
        }
        let useColour = colours?.enabled ?? false
        let defaultColours = colours?.defaults ?? false
        let count = Int(roster_colors())
        let range = count >= 256 ? 256 : count >= 16 ? 16 : 8
        let shown = useColour ? theme.limited(to: range) : theme.attributesOnly()
        for (index, slot) in Slot.allCases.enumerated() {
            let style = shown.style(slot)
            var attributes = roster_a_normal()
            if style.bold { attributes |= roster_a_bold() }
            if style.underline { attributes |= roster_a_underline() }
            if style.reverse { attributes |= roster_a_reverse() }
            if style.dim { attributes |= roster_a_dim() }
            if useColour {
                let pair = Int16(index + 1)
                func number(_ colour: Colour, fallback: Int16) -> Int16 {
                    switch colour.limited(to: range) {
                    case .terminalDefault: return defaultColours ? -1 : fallback
                    case .indexed(let value): return Int16(value)
                    }
                }
                init_pair(pair, number(style.foreground, fallback: 7), number(style.background, fallback: 0))
                attributes |= roster_color_pair(Int32(pair))
            }
            attributesBySlot[slot] = attributes
        }
    }
}
