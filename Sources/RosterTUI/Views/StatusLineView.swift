import Foundation

/// The bottom line: position and count, filter, region, store, and key hints (or the latest message).
enum StatusLineView {
    static func render(_ state: ConsoleState, into buffer: inout CellBuffer, y: Int) {
        buffer.fill(Rect(x: 0, y: y, width: state.width, height: 1), slot: .status)
        var parts: [String] = []
        if state.screens.isEmpty {
            let count = state.rows(state.view).count
            let selected = count == 0 ? 0 : state.position(state.view).selected + 1
            parts.append("\(Format.count(selected))/\(Format.count(count))")
            if let filter = state.filters[state.view] {
                let mode: String
                switch (filter.pending, filter.mode) {
                case (true, _): mode = "…"
                case (false, .segment?): mode = "segment"
                case (false, .invalid?): mode = "error"
                default: mode = "text"
                }
                parts.append("/\(filter.text) (\(mode))")
            }
        }
        if let export = state.browser.export {
            parts.append("exporting \(Format.count(export.written)) of \(Format.count(export.total))")
        }
        if let sort = state.browser.sorts[state.view], sort.requested != nil, state.screens.isEmpty {
            parts.append("sorting by \(sort.column.title(in: state.customers?.workingSet))…")
        }
        if let changed = state.browser.dataChangedAt { parts.append("changed " + Format.clock(changed)) }
        if state.importRunning {
            parts.append(state.importStatus.map { $0.describe(overall: state.importShown) } ?? "import starting…")
        }
        parts.append("region \(state.region)")
        let home = ProcessInfo.processInfo.environment["HOME"]
        parts.append(Format.path(state.storePath, home: home))
        let left = " " + parts.joined(separator: " │ ")
        let right: String
        let rightSlot: Slot
        if let notice = state.notice {
            right = notice.text
            rightSlot = notice.isError ? .error : .status
        } else {
            right = hints(state)
            rightSlot = .status
        }
        let rightWidth = min(TextWidth.of(right), max(0, state.width - 2))
        let leftRoom = state.width - rightWidth - 2
        if state.notice != nil || leftRoom >= 20 {
            let shown = TextWidth.truncate(left, to: max(0, leftRoom))
            buffer.put(shown, x: 0, y: y, limit: max(0, leftRoom), slot: .status)
            buffer.put(
                TextWidth.truncate(right, to: rightWidth), x: state.width - rightWidth - 1, y: y, slot: rightSlot)
        } else {
            buffer.put(TextWidth.truncate(left, to: state.width), x: 0, y: y, slot: .status)
        }
    }

    /// Short hints for what has the keyboard.
    static func hints(_ state: ConsoleState) -> String {
        switch state.scope {
        case .input:
            if state.prompt?.kind == .command {
                if let rowID = ConsoleUpdate.editTarget(state), let who = ConsoleUpdate.describe(rowID: rowID, state) {
                    return "edits go to \(who)"
                }
                return "Enter:run ↑↓:history Esc:close"
            }
            if state.prompt?.kind == .filter { return "Enter:keep Esc:clear" }
            return "Enter:keep ↑↓:history Esc:close"
        case .list:
            if state.width >= 130 {
                return "?:help /:filter Tab:view Enter:open p:preview d:deviceGet r:reveal i:import :command q:quit"
            }
            return state.width >= 100 ? "?:help /:filter Tab:view Enter:open :command q:quit" : "?:help /:filter q:quit"
        case .detail: return "r:reveal p:preview d:deviceGet Esc:back"
        case .pane:
            if case .segments = state.screens.last { return "j/k:select Enter:apply Esc:back" }
            return "j/k:scroll Esc:back"
        }
    }
}
