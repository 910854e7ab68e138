import RosterModel

extension ConsoleUpdate {
    /// Fields renamed since the last load (`roster field rename`, from any process), oldest first, posted just before
    /// the working set that has their new names: each list's columns, sort and filter follow the field to its new
    /// name, and so does an open frequency table (its counts hold; its filters are rewritten when one is applied).
    /// The lists whose columns changed are remembered again: a choice made here just before the rename was checked
    /// against the old names and saved with them.
    static func fieldsRenamed(_ renames: [FieldRename], _ state: inout ConsoleState) -> [ConsoleEffect] {
        var changed: [ListKind] = []
        for rename in renames {
            let (from, to) = (ListColumn.field(rename.from), ListColumn.field(rename.to))
            for kind in ListKind.allCases where kind.showsCustomers {
                if let columns = state.browser.columns[kind], columns.contains(from) {
                    state.browser.columns[kind] = columns.map { $0 == from ? to : $0 }
                    if !changed.contains(kind) { changed.append(kind) }
                }
                if state.browser.sorts[kind]?.column == from { state.browser.sorts[kind]?.column = to }
                // Re-run with the working set that follows; a text that does not parse (plain text, an error) or
                // names saved segments is left as typed.
                if let filter = state.filters[kind], let text = renamed(filter.text, rename) {
                    state.filters[kind]?.text = text
                }
            }
            for index in state.screens.indices {
                guard case .frequency(var pane) = state.screens[index], pane.column == from else { continue }
                pane.column = to
                pane.title = rename.name
                pane.renames.append(rename)
                state.screens[index] = .frequency(pane)
            }
        }
        let said = renames.map { "\($0.from) is now \($0.name)" }.joined(separator: ", ")
        state.notice = .init(text: "field renamed: " + TerminalText.escape(said), isError: false)
        return changed.compactMap { kind in
            state.browser.columns[kind].map { .saveColumns(kind: kind, names: $0.map(\.name)) }
        }
    }

    /// `text` with its conditions on the renamed field naming it by its new name; nil when it has none, or does not
    /// parse alone.
    static func renamed(_ text: String, _ rename: FieldRename) -> String? {
        try? FilterParser.renamingField(rename.from, to: rename.name, in: text, segments: .none)
    }
}
