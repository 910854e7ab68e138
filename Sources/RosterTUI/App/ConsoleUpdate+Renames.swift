import RosterModel

extension ConsoleUpdate {
    /// Fields renamed since the last load (`roster field rename`, from any process), oldest first, posted just before
    /// the working set that has their new names: each list's columns, sort and filter follow the field to its new
    /// name, and so does an open frequency table (its counts hold; its filters are rewritten when one is applied).
    /// What the store remembers was renamed by the rename itself (and a choice saved meanwhile is saved under the new
    /// names: `Store.rememberColumns`), so nothing is saved here: another console's later choice stays remembered.
    /// When renames were missed (more than the store keeps), the names cannot be followed and the status line says so.
    static func fieldsRenamed(
        _ renames: [FieldRename], missedSome: Bool, segments: SavedSegments, _ state: inout ConsoleState
    ) {
        for rename in renames {
            let (from, to) = (ListColumn.field(rename.from), ListColumn.field(rename.to))
            for kind in ListKind.allCases where kind.showsCustomers {
                if let columns = state.browser.columns[kind], columns.contains(from) {
                    state.browser.columns[kind] = columns.map { $0 == from ? to : $0 }
                }
                if state.browser.sorts[kind]?.column == from { state.browser.sorts[kind]?.column = to }
                // Re-run with the working set that follows; a text that does not parse (plain text, an error) is
                // left as typed.
                if let filter = state.filters[kind], let text = renamed(filter.text, rename, segments: segments) {
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
        if missedSome {
            state.notice = .init(
                text: "fields were renamed more times than this console can follow: a column, sort or filter may name "
                    + "an old field (:columns and / set them again)", isError: true)
        } else if !chains(renames).isEmpty {
            // Renamed there and back again since the last load: nothing to say.
            state.notice = .init(text: "field renamed: " + TerminalText.escape(chains(renames)), isError: false)
        }
    }

    /// The renames as each field's first name and last (`a is now c` for a→b then b→c), in the order they began.
    static func chains(_ renames: [FieldRename]) -> String {
        var chains: [(from: String, name: String, key: String)] = []
        for rename in renames {
            if let index = chains.firstIndex(where: { $0.key == rename.from }) {
                chains[index].name = rename.name
                chains[index].key = rename.to
            } else {
                chains.append((rename.from, rename.name, rename.to))
            }
        }
        return chains.filter { $0.from != $0.key }.map { "\($0.from) is now \($0.name)" }.joined(separator: ", ")
    }

    /// `text` with its conditions on the renamed field naming it by its new name; nil when it has none, or does not
    /// parse on its own (`segments` are those it may name).
    static func renamed(_ text: String, _ rename: FieldRename, segments: SavedSegments) -> String? {
        try? FilterParser.renamingField(rename.from, to: rename.name, in: text, segments: segments)
    }
}
