/// What a key asks the console to do; the key table maps keys to actions.
public enum ConsoleAction: String, CaseIterable, Sendable {
    case moveDown, moveUp, pageDown, pageUp, halfPageDown, halfPageUp, top, bottom
    case open, back, quit, forceQuit
    case nextView, previousView
    case filter, command, preview, deviceGet, reveal, importFile, help
    case redraw, suspend
    case columnLeft, columnRight, hideColumn, sortAscending, sortDescending, frequency, copy
    case openSegment
}

/// Where a key binding applies.
public enum KeyScope: String, CaseIterable, Sendable {
    /// The Customers, Devices, Email, SMS and Push lists.
    case list
    /// A customer's detail.
    case detail
    /// Help, deviceGet, import and other read-only panes.
    case pane
    /// A prompt (`/` filter, `:` command) or the template of a preview.
    case input

    /// The heading help gives the scope.
    public var title: String {
        switch self {
        case .list: return "Lists (Customers, Devices, Email, SMS, Push)"
        case .detail: return "Customer detail"
        case .pane: return "Panes (help, deviceGet, import, preview results)"
        case .input: return "Prompts (/ filter, : command, template)"
        }
    }
}
