import RosterModel

/// Draws a state into a cell buffer: a title bar, a list or the open screen, the prompt and the status line.
///
/// Pure and cheap: only what fits on screen is read from the state, so the cost does not grow with the store.
public enum ConsoleView {
    /// The smallest terminal the console draws in: a title, a row of content, a prompt and the status line.
    public static let minimumWidth = 20
    public static let minimumHeight = 4

    /// The frame for `state`; below the minimum size, one line saying so and nothing else.
    public static func render(_ state: ConsoleState) -> CellBuffer {
        var buffer = CellBuffer(width: state.width, height: state.height)
        guard state.width > 0, state.height > 0 else { return buffer }
        if state.width < minimumWidth || state.height < minimumHeight {
            buffer.put(
                TextWidth.truncate("terminal too small (need \(minimumWidth)×\(minimumHeight))", to: state.width),
                x: 0, y: 0, slot: .error)
            return buffer
        }
        let promptRows = state.prompt != nil ? 1 : 0
        let body = Rect(x: 0, y: 1, width: state.width, height: state.height - 2 - promptRows)
        let title: String
        if let screen = state.screens.last {
            title = screenTitle(screen)
            renderScreen(screen, state, into: &buffer, rect: body)
        } else {
            title = listTitle(state)
            renderList(state, into: &buffer, rect: body)
        }
        renderTitle(title, state, into: &buffer)
        if let prompt = state.prompt, state.height >= 3 {
            let label = prompt.kind == .filter ? "/" : ":"
            prompt.input.render(
                label: label, into: &buffer, at: Rect(x: 0, y: state.height - 2, width: state.width, height: 1))
        }
        if state.height >= 2 { StatusLineView.render(state, into: &buffer, y: state.height - 1) }
        if let prompt = state.prompt, prompt.kind == .filter, state.screens.isEmpty, state.notice == nil,
            let filter = state.filters[state.view], !filter.pending,
            case .invalid(let message, let column) = filter.mode
        {
            renderFilterError(message, column: column, prompt.input, into: &buffer, y: state.height - 1)
        }
        return buffer
    }

    /// A filter's error on the line under the `/` prompt, `^` under the column it is about.
    static func renderFilterError(
        _ message: String, column: Int, _ input: TextInput, into buffer: inout CellBuffer, y: Int
    ) {
        let width = buffer.width
        buffer.fill(Rect(x: 0, y: y, width: width, height: 1), slot: .error)
        // The prompt shows the text from its start while it fits; past that the caret goes to the left edge.
        let fits = 1 + TextWidth.of(input.text) < width
        let caret = fits ? 1 + TextWidth.of(String(input.text.prefix(column - 1))) : 0
        let text = "^ " + message
        if caret + TextWidth.of(text) <= width || caret < width / 2 {
            buffer.put(TextWidth.truncate(text, to: width - caret), x: caret, y: y, slot: .error)
        } else {
            let left = TextWidth.truncate(message, to: max(0, caret - 1))
            buffer.put(left, x: caret - 1 - TextWidth.of(left), y: y, slot: .error)
            buffer.put("^", x: caret, y: y, slot: .error)
        }
    }

    /// `Customers (1,000,000)`, `Customers (12 of 1,000,000)` when filtered.
    static func listTitle(_ state: ConsoleState) -> String {
        let kind = state.view
        let loaded = kind.showsCustomers ? state.customersLoad : state.devicesLoad ?? .loading(0)
        switch loaded {
        case .loading(let fraction):
            return "\(kind.title) (loading \(Int(fraction * 100))%)"
        case .failed:
            return "\(kind.title) (unavailable)"
        case .ready:
            let total = Format.count(state.totalCount(kind))
            guard let filter = state.filters[kind], let rows = filter.rows else { return "\(kind.title) (\(total))" }
            return "\(kind.title) (\(Format.count(rows.count)) of \(total))"
        }
    }

    static func screenTitle(_ screen: Screen) -> String {
        switch screen {
        case .detail(let detail):
            return "Customer " + (detail.detail.map { Format.short($0.customer.externalCode, 17) } ?? "…")
        case .preview(let preview): return "Preview · " + preview.subject
        case .deviceGet(let pane): return "deviceGet · " + Format.short(pane.request, 40)
        case .importing(let pane): return "Import \(pane.kind) · \(pane.path)"
        case .help: return "Help"
        case .importMapping(let pane): return "Import \(pane.draft.kind) · \(pane.draft.path) · mapping"
        case .fields: return "Fields"
        case .frequency(let pane): return FrequencyView.title(pane)
        case .text(let pane): return pane.title
        case .segments: return "Saved segments"
        }
    }

    private static func renderTitle(_ title: String, _ state: ConsoleState, into buffer: inout CellBuffer) {
        buffer.fill(Rect(x: 0, y: 0, width: state.width, height: 1), slot: .header)
        var right = ViewTabs.render(state)
        if state.isBusy { right = ProgressBar.spinner(state.tick) + " " + right }
        let rightWidth = TextWidth.of(right)
        let room = state.width - rightWidth - 3
        let used = buffer.put(" " + title, x: 0, y: 0, limit: room > 10 ? room : state.width, slot: .header)
        if room > 10 && used < room + 1 { buffer.put(right, x: state.width - rightWidth - 1, y: 0, slot: .header) }
    }

    private static func renderList(_ state: ConsoleState, into buffer: inout CellBuffer, rect: Rect) {
        let kind = state.view
        let phase = kind.showsCustomers ? state.customersLoad : state.devicesLoad ?? .loading(0)
        switch phase {
        case .loading(let fraction):
            let what = kind.showsCustomers ? "Unlocking and loading customers" : "Loading devices"
            buffer.put(" \(what)…", x: 0, y: rect.y + 1, slot: .dim)
            ProgressBar.render(fraction, into: &buffer, x: 1, y: rect.y + 2, width: min(40, rect.width - 2))
        case .failed(let message):
            buffer.put(" Could not load: \(message)", x: 0, y: rect.y + 1, slot: .error)
        case .ready:
            if state.rows(kind).count == 0 {
                ListTable.render(state, kind, into: &buffer, rect: Rect(x: 0, y: rect.y, width: rect.width, height: 1))
                if case .invalid(let message, let column)? = state.filters[kind]?.mode {
                    buffer.put(
                        " filter error at column \(column): \(message) (/ edits it, Esc clears it)", x: 0,
                        y: rect.y + 1, slot: .error)
                } else {
                    let empty = state.filters[kind] != nil ? "nothing matches the filter (Esc clears it)" : "none yet"
                    buffer.put(" " + empty, x: 0, y: rect.y + 1, slot: .dim)
                }
            } else {
                ListTable.render(state, kind, into: &buffer, rect: rect)
            }
        }
    }

    private static func renderScreen(_ screen: Screen, _ state: ConsoleState, into buffer: inout CellBuffer, rect: Rect)
    {
        let inner = rect.inset(horizontally: 1)
        switch screen {
        case .detail(let detail):
            TextPane.render(DetailView.lines(detail), offset: detail.offset, into: &buffer, rect: inner)
        case .preview(let preview):
            PreviewView.render(preview, into: &buffer, rect: inner)
        case .deviceGet(let pane):
            TextPane.render(DeviceGetView.lines(pane), offset: pane.offset, into: &buffer, rect: inner)
        case .importing(let pane):
            ImportView.render(pane, shown: state.importShown, into: &buffer, rect: inner)
        case .help(let offset):
            TextPane.render(HelpView.lines(width: inner.width), offset: offset, into: &buffer, rect: inner)
        case .importMapping(let pane):
            TextPane.render(ImportMappingView.lines(pane), offset: pane.offset, into: &buffer, rect: inner)
        case .fields(let pane):
            TextPane.render(FieldsView.lines(pane), offset: pane.offset, into: &buffer, rect: inner)
        case .frequency(let pane):
            FrequencyView.render(pane, state, into: &buffer, rect: rect)
        case .text(let pane):
            TextPane.render(pane.lines, offset: pane.offset, into: &buffer, rect: inner)
        case .segments(let pane):
            SegmentsView.render(pane, into: &buffer, rect: inner)
        }
    }
}

/// The view names in the title bar, the current one marked: `[Customers] Devices Email SMS Push`.
enum ViewTabs {
    static func render(_ state: ConsoleState) -> String {
        ListKind.allCases.map { $0 == state.view ? "[\($0.title)]" : $0.title }.joined(separator: " ")
    }
}
