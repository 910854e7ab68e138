/// One row of the key table: keys, what they do, where, and how help describes it.
public struct KeyBinding: Sendable {
    public let keys: [Key]
    public let action: ConsoleAction?
    public let scopes: Set<KeyScope>
    public let summary: String

    public init(_ keys: [Key], _ action: ConsoleAction?, _ scopes: Set<KeyScope>, _ summary: String) {
        self.keys = keys
        self.action = action
        self.scopes = scopes
        self.summary = summary
    }

    /// The keys as help lists them: `j ↓`.
    public var label: String { keys.map(\.label).joined(separator: " ") }
}

/// The console's keys as data: `update` looks keys up here and help (`?`) is generated from it.
public enum KeyTable {
    private static let browsing: Set<KeyScope> = [.list, .detail, .pane]

    /// Every binding, in the order help shows them.
    public static let bindings: [KeyBinding] = [
        KeyBinding([.character("j"), .down], .moveDown, browsing, "next row (scroll down in panes)"),
        KeyBinding([.character("k"), .up], .moveUp, browsing, "previous row (scroll up in panes)"),
        KeyBinding([.pageDown, .control("f"), .character(" ")], .pageDown, browsing, "next page"),
        KeyBinding([.pageUp, .control("b"), .character("b")], .pageUp, browsing, "previous page"),
        KeyBinding([.control("d")], .halfPageDown, browsing, "half a page down"),
        KeyBinding([.control("u")], .halfPageUp, browsing, "half a page up"),
        KeyBinding([.character("g"), .home], .top, browsing, "first row (5g: row 5)"),
        KeyBinding([.character("G"), .end], .bottom, browsing, "last row (5G: row 5)"),
        KeyBinding(
            (1...9).map { Key.character(Character(String($0))) }, nil, browsing,
            "a count before a move repeats it: 5j five rows down, 3 PgDn three pages"),
        KeyBinding([.enter], .open, [.list], "open the selected customer (a device: its customer, else deviceGet)"),
        KeyBinding([.enter], .open, [.pane], "frequency table: back to the list, filtered by the selected value"),
        KeyBinding([.tab], .nextView, [.list], "next view: Customers → Devices → Email → SMS → Push"),
        KeyBinding([.backTab], .previousView, [.list], "previous view"),
        KeyBinding([.character("/")], .filter, [.list], "filter this view live: segments language or plain text"),
        KeyBinding([.character(":")], .command, [.list, .detail, .pane], "command line (:help lists the commands)"),
        KeyBinding(
            [.character("p")], .preview, [.list, .detail],
            "preview a template for the selected customer (segment counts on a filtered list)"),
        KeyBinding(
            [.character("d")], .deviceGet, [.list, .detail],
            "deviceGet of the selected device (or the customer's device) and its full record"),
        KeyBinding(
            [.character("r")], .reveal, [.list, .detail],
            "reveal the selected customer's masked email and phone (audited; masked again on move)"),
        KeyBinding([.character("i")], .importFile, [.list], "import a CSV file (:import KIND FILE)"),
        KeyBinding(
            [.character("h"), .left], .columnLeft, [.list], "column cursor left (scrolls when columns do not fit)"),
        KeyBinding([.character("l"), .right], .columnRight, [.list], "column cursor right"),
        KeyBinding([.character("-")], .hideColumn, [.list], "hide the current column (:columns shows it again)"),
        KeyBinding([.character("[")], .sortAscending, [.list], "sort ascending by the current column (background)"),
        KeyBinding([.character("]")], .sortDescending, [.list], "sort descending by the current column"),
        KeyBinding(
            [.character("F")], .frequency, [.list],
            "frequency table of the current column: values, counts, %; Enter filters by one"),
        KeyBinding(
            [.character("y")], .copy, [.list, .detail],
            "copy the selected externalCode (deviceId) to the clipboard (OSC 52)"),
        KeyBinding([.character("?"), .function(1)], .help, [.list, .detail, .pane], "this help"),
        KeyBinding(
            [.escape], .back, [.list, .detail, .pane],
            "close what is open (prompt, pane, detail), then clear the filter; nothing at the top"),
        KeyBinding(
            [.character("q")], .quit, [.list, .detail, .pane],
            "quit at the top level (asks first while an import runs); elsewhere go back"),
        KeyBinding(
            [.control("c")], .forceQuit, [.list, .detail, .pane, .input], "quit from anywhere (exit status 130)"),
        KeyBinding([.control("l")], .redraw, [.list, .detail, .pane, .input], "redraw the screen"),
        KeyBinding([.control("z")], .suspend, [.list, .detail, .pane, .input], "suspend to the shell (fg resumes)"),
        KeyBinding(
            [.enter, .escape], nil, [.pane], "import mapping step: import with this mapping / cancel (nothing written)"),
        KeyBinding(
            [.character("m"), .character("p"), .character("o"), .character("c")], nil, [.pane],
            "import mapping step: map the selected target, preset, date order, default country"),
        KeyBinding(
            [.character("y"), .character("d")], nil, [.pane],
            ":field retype or rename: apply / apply and drop the values that do not convert"),
        KeyBinding([.enter], nil, [.input], "filter, template: keep it and go back; command: run it"),
        KeyBinding(
            [.escape], nil, [.input], "filter: back to the filter kept before (none: cleared); command, template: close"
        ),
        KeyBinding([.up, .down], nil, [.input], "command, template: history; filter: move in the list"),
        KeyBinding([.left, .right, .home, .end], nil, [.input], "move the cursor"),
        KeyBinding([.backspace, .delete], nil, [.input], "delete before / under the cursor"),
        KeyBinding([.control("u"), .control("w")], nil, [.input], "delete to the start / the word before"),
        KeyBinding([.enter], .openSegment, [.pane], "in :segments, apply the selected segment to the list"),
    ]

    /// The action `key` has in `scope`, if any.
    public static func action(for key: Key, in scope: KeyScope) -> ConsoleAction? {
        for binding in bindings where binding.scopes.contains(scope) && binding.keys.contains(key) {
            if let action = binding.action { return action }
        }
        return nil
    }

    /// The first key bound to `action` in `scope`, for hints.
    public static func key(for action: ConsoleAction, in scope: KeyScope) -> Key? {
        bindings.first { $0.action == action && $0.scopes.contains(scope) }?.keys.first
    }
}
