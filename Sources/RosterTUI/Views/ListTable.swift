import RosterModel

/// A list drawn through its chosen columns: each column as wide as its title and the values on screen (up to a
/// cap), a column cursor, and horizontal scrolling when the columns do not fit.
///
/// Update and view share `layout`, so the first column shown after `h`/`l` is the one the next frame draws.
enum ListTable {
    /// The text and style of each visible row's cells, for the columns of `kind`.
    struct Lines {
        var columns: [ListColumn]
        var titles: [String]
        var rows: [(index: Int, texts: [String], slots: [Slot])]
    }

    /// Where each column goes across `width` cells.
    struct Layout: Equatable {
        /// The first column shown.
        var offset: Int
        /// The width of each column (0: not shown), and where it starts.
        var widths: [Int]
        var starts: [Int]
        /// Whether columns are left out on the left or the right (the header marks them).
        var moreLeft: Bool
        var moreRight: Bool
    }

    /// The columns `kind` shows: the operator's choice, or the defaults.
    static func columns(_ kind: ListKind, _ state: ConsoleState) -> [ListColumn] {
        state.browser.columns[kind] ?? ListColumn.defaults(kind)
    }

    /// The column cursor of `kind`, inside its columns.
    static func cursor(_ kind: ListKind, _ state: ConsoleState) -> Int {
        let count = columns(kind, state).count
        return max(0, min(state.browser.columnCursor[kind] ?? 0, count - 1))
    }

    /// The cells of the rows on screen.
    static func lines(_ state: ConsoleState, _ kind: ListKind, height: Int) -> Lines {
        let columns = columns(kind, state)
        let rows = state.rows(kind)
        let position = state.position(kind)
        var lines = Lines(columns: columns, titles: [], rows: [])
        if kind.showsCustomers, let customers = state.customers {
            let workingSet = customers.workingSet
            lines.titles = columns.map { TerminalText.escape($0.title(in: workingSet)) }
            let fields = columns.map { column -> Int? in
                if case .field(let key) = column { return workingSet.columnIndex(named: key) }
                return nil
            }
            for line in 0..<max(0, height) {
                let index = position.top + line
                guard index < rows.count else { break }
                let row = rows[index]
                let revealed = state.revealedRowID == workingSet.rowIDs[row]
                var texts: [String] = []
                var slots: [Slot] = []
                for (number, column) in columns.enumerated() {
                    let (text, slot) = customerCell(
                        column, field: fields[number], kind: kind, row: row, workingSet, revealed: revealed)
                    // Measured and drawn as shown: control characters escaped (`^[`).
                    texts.append(TerminalText.escape(text))
                    slots.append(slot)
                }
                lines.rows.append((index, texts, slots))
            }
        } else if !kind.showsCustomers, let catalog = state.devices {
            lines.titles = columns.map { $0.title(in: nil) }
            for line in 0..<max(0, height) {
                let index = position.top + line
                guard index < rows.count else { break }
                let device = catalog.devices[rows[index]]
                let cells = columns.map { deviceCell($0, device, kind: kind) }
                lines.rows.append((index, cells.map { TerminalText.escape($0.0) }, cells.map(\.1)))
            }
        } else {
            lines.titles = columns.map { $0.title(in: nil) }
        }
        return lines
    }

    /// One customer cell: masked channels unless revealed, consent marks, a field's value.
    static func customerCell(
        _ column: ListColumn, field: Int?, kind: ListKind, row: Int, _ workingSet: WorkingSet, revealed: Bool
    ) -> (String, Slot) {
        let maskedSlot: Slot = revealed ? .accent : .masked
        switch column {
        case .externalCode: return (Format.short(workingSet.externalCodes[row], 12), .dim)
        case .crmId: return (workingSet.crmIds[row] ?? "-", .body)
        case .email: return (workingSet.emails[row].map { revealed ? $0 : Mask.email($0) } ?? "-", maskedSlot)
        case .phone: return (workingSet.phones[row].map { revealed ? $0 : Mask.phone($0) } ?? "-", maskedSlot)
        case .devices:
            let devices = Int(workingSet.deviceCounts[row])
            return (devices == 0 ? "-" : String(devices), .body)
        case .consent:
            let consent = workingSet.consent[row]
            if kind == .email { return (consent.email ? "on" : "off", consent.email ? .body : .dim) }
            if kind == .sms { return (consent.sms ? "on" : "off", consent.sms ? .body : .dim) }
            let marks = [
                CustomerListView.mark("E", has: workingSet.emails.isPresent(row), on: consent.email),
                CustomerListView.mark("S", has: workingSet.phones.isPresent(row), on: consent.sms),
                CustomerListView.mark("P", has: workingSet.deviceCounts[row] > 0, on: consent.push),
            ]
            return (marks.joined(separator: " "), .body)
        case .field:
            guard let field, let value = workingSet.columns[field].values[row] else { return ("", .dim) }
            return (value, .body)
        default:
            return ("", .dim)
        }
    }

    /// One device cell.
    static func deviceCell(_ column: ListColumn, _ device: Device, kind: ListKind) -> (String, Slot) {
        switch column {
        case .deviceId: return (device.deviceId, .body)
        case .platform: return (device.platform.rawValue, .body)
        case .push: return (device.enabled ? "on" : "off", device.enabled ? .body : .dim)
        case .locale: return (device.locale ?? "-", .body)
        case .timeZone: return (device.timeZone ?? "-", .body)
        case .externalCode:
            return (device.externalCode.map { Format.short($0, 12) } ?? (kind == .push ? "-" : "anonymous"), .dim)
        case .system:
            let system = [device.osName, device.osVersion, device.browserName].compactMap { $0 }.joined(separator: " ")
            return (system.isEmpty ? "-" : system, .dim)
        case .pushToken: return (device.pushToken ?? "-", .dim)
        default: return ("", .dim)
        }
    }

    /// The widest a column grows to fit its values (wider values are cut with `…`).
    static func cap(_ column: ListColumn) -> Int {
        switch column {
        case .externalCode: return 12
        case .field("name"): return 40
        case .email: return 40
        case .phone: return 24
        case .deviceId: return 36
        case .pushToken: return 40
        default: return 30
        }
    }

    /// Whether a column's values line up on the right (counts, numbers).
    static func rightAligned(_ column: ListColumn, _ state: ConsoleState) -> Bool {
        switch column {
        case .devices: return true
        case .field(let key): return state.customers?.workingSet.column(named: key)?.type == .number
        default: return false
        }
    }

    /// The header text of column `index`: its title and, on the sort column, the direction.
    static func headerTitle(_ lines: Lines, _ index: Int, _ kind: ListKind, _ state: ConsoleState) -> String {
        guard let sort = state.browser.sorts[kind], sort.column == lines.columns[index] else {
            return lines.titles[index]
        }
        return lines.titles[index] + (sort.ascending ? "▲" : "▼")
    }

    /// The width of each column across `width` cells: its header and the widest value on screen, within its cap;
    /// when they do not all fit, the long text columns (names, emails, fields) give up cells first, down to 10,
    /// before the list scrolls sideways. Masked phones, codes, counts and marks keep their width.
    static func naturalWidths(_ lines: Lines, _ kind: ListKind, _ state: ConsoleState, width: Int) -> [Int] {
        var widths = lines.columns.indices.map { index in
            let title = TextWidth.of(headerTitle(lines, index, kind, state))
            var widest = 1
            for row in lines.rows { widest = max(widest, TextWidth.of(row.texts[index])) }
            return max(title, min(cap(lines.columns[index]), widest))
        }
        let floors = lines.columns.indices.map { index -> Int in
            switch lines.columns[index] {
            case .phone, .externalCode, .devices, .consent, .push, .platform, .locale: return widths[index]
            default: return min(widths[index], max(10, TextWidth.of(headerTitle(lines, index, kind, state))))
            }
        }
        var excess = widths.reduce(0, +) + max(0, widths.count - 1) - width
        // Names and deviceIds, what a row is recognised by, are never cut down: past that the list scrolls.
        let keeps = lines.columns.map { $0 == .field("name") || $0 == .deviceId }
        while excess > 0 {
            // The widest column that can still give a cell.
            var widest: Int?
            for index in widths.indices where !keeps[index] && widths[index] > floors[index] {
                if widest.map({ widths[index] > widths[$0] }) ?? true { widest = index }
            }
            guard let index = widest else { break }
            widths[index] -= 1
            excess -= 1
        }
        return widths
    }

    /// Lays the columns out across `width` cells, one space apart, starting at `offset` but moved so that the
    /// cursor's column is shown; the last column shown may be cut.
    static func layout(natural: [Int], width: Int, cursor: Int, offset: Int) -> Layout {
        let count = natural.count
        guard count > 0, width > 0 else {
            return Layout(
                offset: 0, widths: natural.map { _ in 0 }, starts: natural.map { _ in 0 }, moreLeft: false,
                moreRight: false)
        }
        let cursor = max(0, min(cursor, count - 1))
        var first = max(0, min(offset, cursor))
        func span(_ from: Int, _ to: Int) -> Int { natural[from...to].reduce(0, +) + (to - from) }
        while first < cursor && span(first, cursor) > width { first += 1 }
        // Columns on the left come back when there is room for them.
        while first > 0 && span(first - 1, count - 1) <= width { first -= 1 }
        var widths = [Int](repeating: 0, count: count)
        var starts = [Int](repeating: 0, count: count)
        var x = 0
        var index = first
        while index < count && x < width {
            let room = width - x
            // A column cut to under three cells says nothing: it is left for the next scroll.
            if natural[index] > room && room < 3 && index != first { break }
            widths[index] = min(natural[index], room)
            starts[index] = x
            x += widths[index] + 1
            index += 1
        }
        let lastShown = index - 1
        let moreRight = lastShown < count - 1 || (lastShown >= 0 && widths[lastShown] < natural[lastShown])
        return Layout(offset: first, widths: widths, starts: starts, moreLeft: first > 0, moreRight: moreRight)
    }

    /// The layout of `kind` on screen now.
    static func layout(_ state: ConsoleState, _ kind: ListKind, width: Int) -> Layout {
        let lines = lines(state, kind, height: state.listHeight)
        return layout(
            natural: naturalWidths(lines, kind, state, width: width), width: width, cursor: cursor(kind, state),
            offset: state.browser.columnOffset[kind] ?? 0)
    }

    /// Draws the header and the visible rows of `kind` into `rect`.
    static func render(_ state: ConsoleState, _ kind: ListKind, into buffer: inout CellBuffer, rect: Rect) {
        guard rect.height > 0, rect.width > 0 else { return }
        let lines = lines(state, kind, height: rect.height - 1)
        let inner = max(0, rect.width - 2)
        let cursor = cursor(kind, state)
        let layout = layout(
            natural: naturalWidths(lines, kind, state, width: inner), width: inner, cursor: cursor,
            offset: state.browser.columnOffset[kind] ?? 0)
        let x0 = rect.x + 1
        buffer.fill(Rect(x: rect.x, y: rect.y, width: rect.width, height: 1), slot: .header)
        if layout.moreLeft { buffer.put("‹", x: rect.x, y: rect.y, slot: .header) }
        if layout.moreRight && rect.width > 1 { buffer.put("›", x: rect.x + rect.width - 1, y: rect.y, slot: .header) }
        let position = state.position(kind)
        for index in lines.columns.indices where layout.widths[index] > 0 {
            let width = layout.widths[index]
            let title = TextWidth.truncate(headerTitle(lines, index, kind, state), to: width)
            let right = rightAligned(lines.columns[index], state)
            let pad = right ? width - TextWidth.of(title) : 0
            // The cursor's column title is drawn in the selection style, as wide as the column.
            let slot: Slot = index == cursor ? .selection : .header
            if index == cursor {
                buffer.fill(Rect(x: x0 + layout.starts[index], y: rect.y, width: width, height: 1), slot: slot)
            }
            buffer.put(title, x: x0 + layout.starts[index] + pad, y: rect.y, limit: width - pad, slot: slot)
        }
        for (line, row) in lines.rows.enumerated() {
            let y = rect.y + 1 + line
            guard y < rect.y + rect.height else { break }
            let selected = row.index == position.selected
            buffer.fill(Rect(x: rect.x, y: y, width: rect.width, height: 1), slot: selected ? .selection : .body)
            for index in lines.columns.indices where layout.widths[index] > 0 {
                let width = layout.widths[index]
                let text = TextWidth.truncate(row.texts[index], to: width)
                let pad = rightAligned(lines.columns[index], state) ? width - TextWidth.of(text) : 0
                buffer.put(
                    text, x: x0 + layout.starts[index] + pad, y: y, limit: width - pad,
                    slot: selected ? .selection : row.slots[index])
            }
        }
    }
}
