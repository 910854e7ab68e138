import RosterModel

/// The list as a browser: the column cursor (`h` `l`), hiding a column (`-`), sorting by it (`[` `]`).
extension ConsoleUpdate {
    /// Carries out a browser action on the current list.
    static func browse(_ action: ConsoleAction, _ state: inout ConsoleState) -> [ConsoleEffect] {
        let kind = state.view
        switch action {
        case .columnLeft, .columnRight:
            let count = ListTable.columns(kind, state).count
            let cursor = ListTable.cursor(kind, state) + (action == .columnRight ? 1 : -1)
            state.browser.columnCursor[kind] = max(0, min(cursor, count - 1))
            settleColumns(kind, &state)
            return []
        case .hideColumn:
            return hideColumn(&state)
        case .sortAscending, .sortDescending:
            return sort(
                kind, by: ListTable.columns(kind, state)[ListTable.cursor(kind, state)],
                ascending: action == .sortAscending, &state)
        case .frequency:
            return openFrequency(ListTable.columns(kind, state)[ListTable.cursor(kind, state)], bucket: nil, &state)
        case .copy:
            return copy(&state)
        default:
            return []
        }
    }

    /// `:columns`, `:freq`, `:export`.
    static func browserCommand(_ command: ColonCommand, _ state: inout ConsoleState) -> [ConsoleEffect] {
        let kind = state.view
        let workingSet = state.customers?.workingSet
        switch command {
        case .columns(nil):
            state.screens.append(.text(columnsPane(kind, state)))
            return []
        case .columns(let names?):
            switch ListColumn.parse(names, for: kind, in: workingSet) {
            case .failure(let failure):
                state.notice = .init(text: failure.message, isError: true)
                return []
            case .success(let columns):
                state.browser.columnCursor[kind] = 0
                let effects = setColumns(columns, for: kind, &state)
                // The list of columns, if open over the list, marks the new ones.
                refreshColumnsPanes(&state)
                return effects
            }
        case .frequency(let name, let bucket):
            var column = ListTable.columns(kind, state)[ListTable.cursor(kind, state)]
            if let name {
                switch ListColumn.named(name, for: kind, in: workingSet) {
                case .failure(let failure):
                    state.notice = .init(text: failure.message, isError: true)
                    return []
                case .success(let named): column = named
                }
            }
            return openFrequency(column, bucket: bucket, &state)
        case .export(let path, let format):
            return export(path: path, format: format, &state)
        default:
            return []
        }
    }

    /// The title of `columnsPane` for `kind`.
    static func columnsPaneTitle(_ kind: ListKind) -> String { "Columns · \(kind.title)" }

    /// Makes every list of columns open over the lists again (after a `:columns`, or a reload), where it was scrolled.
    static func refreshColumnsPanes(_ state: inout ConsoleState) {
        for index in state.screens.indices {
            guard case .text(let pane) = state.screens[index],
                let kind = ListKind.allCases.first(where: { columnsPaneTitle($0) == pane.title })
            else { continue }
            var rebuilt = columnsPane(kind, state)
            rebuilt.offset = pane.offset
            state.screens[index] = .text(rebuilt)
        }
    }

    /// `:columns` alone: every column the list can show, those shown marked, each as `:columns` takes it.
    static func columnsPane(_ kind: ListKind, _ state: ConsoleState) -> TextScreen {
        let workingSet = state.customers?.workingSet
        let shown = Set(ListTable.columns(kind, state))
        var lines = [
            StyledLine("Columns of \(kind.title) (* shown); :columns a,b,c sets them, - hides one", .accent),
            StyledLine(),
        ]
        for column in ListColumn.available(kind, in: workingSet) {
            let mark = shown.contains(column) ? "* " : "  "
            var line = StyledLine([Span(mark), Span(column.typedName, .header)])
            if case .field(let key) = column, let type = workingSet?.column(named: key)?.type {
                line.spans.append(Span("  " + type.rawValue, .dim))
            }
            lines.append(line)
        }
        return TextScreen(title: columnsPaneTitle(kind), lines: lines)
    }

    /// `F`: the frequency table of `column` over the rows the list shows, computed in the background.
    static func openFrequency(_ column: ListColumn, bucket typed: String?, _ state: inout ConsoleState)
        -> [ConsoleEffect]
    {
        let kind = state.view
        let bucket = typed.flatMap(DateBucket.init(rawValue:))
        guard kind.showsCustomers ? state.customers != nil : state.devices != nil else {
            state.notice = .init(text: "the list is still loading", isError: true)
            return []
        }
        if let bucket, case .field(let key) = column, state.customers?.workingSet.column(named: key)?.type != .date {
            state.notice = .init(text: "\(bucket.rawValue) buckets are for dates; \(key) is not one", isError: true)
            return []
        }
        let generation = state.nextGeneration
        state.nextGeneration += 1
        // Email and phone columns count consent, never the addresses (`FrequencyCounter`): the title says so.
        let title: String =
            switch (column, kind) {
            case (.email, _), (.consent, .email): "email consent"
            case (.phone, _), (.consent, .sms): "SMS consent"
            default: column.title(in: state.customers?.workingSet)
            }
        state.screens.removeAll()
        state.screens.append(
            .frequency(
                FrequencyScreen(kind: kind, column: column, title: title, bucket: bucket, generation: generation)))
        return [
            .frequency(
                FrequencyRequest(
                    generation: generation, view: kind, column: column, bucket: bucket, rows: state.rows(kind),
                    customers: state.customers, devices: state.devices))
        ]
    }

    /// Enter on a frequency entry: back to the list, filtered by the value (narrowing a filter already there).
    static func filterByFrequency(_ pane: FrequencyScreen, _ state: inout ConsoleState) -> [ConsoleEffect] {
        guard let entries = pane.table?.entries, pane.selected < entries.count else { return [] }
        guard var condition = entries[pane.selected].filter else {
            state.notice = .init(text: "this value cannot be written as a filter", isError: true)
            return []
        }
        // An entry's condition names no segment.
        for rename in pane.renames { condition = renamed(condition, rename, segments: .none) ?? condition }
        state.screens.removeAll()
        var text = condition
        if let kept = state.filters[pane.kind], kept.mode == .segment {
            // The device filter has no parentheses: its conditions are all joined by `and`.
            text = pane.kind.showsCustomers ? "(\(kept.text)) and \(condition)" : "\(kept.text) and \(condition)"
        }
        state.view = pane.kind
        state.notice = .init(text: "filtered: /\(text)", isError: false)
        return startFilter(text, on: pane.kind, &state)
    }

    /// Keeps the first column shown where the frame will draw it, so the next move scrolls from there.
    static func settleColumns(_ kind: ListKind, _ state: inout ConsoleState) {
        let layout = ListTable.layout(state, kind, width: max(0, state.width - 2))
        state.browser.columnOffset[kind] = layout.offset
    }

    /// `-`: hides the cursor's column (the last one stays).
    static func hideColumn(_ state: inout ConsoleState) -> [ConsoleEffect] {
        let kind = state.view
        var columns = ListTable.columns(kind, state)
        guard columns.count > 1 else {
            state.notice = .init(text: "the last column stays (:columns sets others)", isError: true)
            return []
        }
        let cursor = ListTable.cursor(kind, state)
        let hidden = columns.remove(at: cursor)
        return setColumns(columns, for: kind, &state, notice: "hid \(hidden.title(in: state.customers?.workingSet))")
    }

    /// Sets the columns of `kind` (and remembers them for the store).
    static func setColumns(
        _ columns: [ListColumn], for kind: ListKind, _ state: inout ConsoleState, notice: String? = nil
    ) -> [ConsoleEffect] {
        state.browser.columns[kind] = columns
        state.browser.columnCursor[kind] = min(ListTable.cursor(kind, state), columns.count - 1)
        state.browser.columnOffset[kind] = 0
        settleColumns(kind, &state)
        if let notice { state.notice = .init(text: notice + " (:columns lists them all)", isError: false) }
        return [.saveColumns(kind: kind, names: columns.map(\.name))]
    }

    /// `[` `]`: sorts the list by `column`, in the background; the list stays usable meanwhile.
    static func sort(
        _ kind: ListKind, by column: ListColumn, ascending: Bool, _ state: inout ConsoleState
    ) -> [ConsoleEffect] {
        guard kind.showsCustomers ? state.customers != nil : state.devices != nil else { return [] }
        var sort = state.browser.sorts[kind] ?? BrowserState.Sort(column: column, ascending: ascending)
        sort.column = column
        sort.ascending = ascending
        state.browser.sorts[kind] = sort
        return resortIfNeeded(&state)
    }

    /// Starts the sort of each list whose rows or order changed since its last sort (one at a time per list: a
    /// newer request cancels the running one).
    static func resortIfNeeded(_ state: inout ConsoleState) -> [ConsoleEffect] {
        var effects: [ConsoleEffect] = []
        for (kind, var sort) in state.browser.sorts {
            let wanted = BrowserState.SortKey(column: sort.column, ascending: sort.ascending, basis: state.basis(kind))
            // While a filter runs its rows are not known yet: the sort waits for them.
            guard sort.rowsKey != wanted, sort.requested != wanted, state.filters[kind]?.pending != true else {
                continue
            }
            sort.generation = state.nextGeneration
            state.nextGeneration += 1
            sort.requested = wanted
            state.browser.sorts[kind] = sort
            effects.append(
                .sort(
                    SortRequest(
                        generation: sort.generation, view: kind, key: wanted, rows: state.unsortedRows(kind),
                        customers: state.customers, devices: state.devices)))
        }
        return effects
    }

    /// A sort's result: the list shows its rows, the selection staying on its customer (or device).
    static func sortFinished(
        _ kind: ListKind, generation: Int, key: BrowserState.SortKey, rows: [Int32]?, _ state: inout ConsoleState
    ) {
        guard var sort = state.browser.sorts[kind], sort.generation == generation else { return }
        sort.requested = nil
        guard let rows, key.basis == state.basis(kind) else {
            state.browser.sorts[kind] = sort
            return
        }
        let customer = selectedRowID(kind, state)
        let device = kind.showsCustomers ? nil : selectedDeviceIDs(state)[kind]
        sort.rows = rows
        sort.rowsKey = key
        state.browser.sorts[kind] = sort
        if let customer {
            select(rowID: customer, in: kind, &state)
        } else if let device {
            select(deviceID: device, in: kind, &state)
        }
    }

    /// Removes the sort of `kind` (`:sort` with nothing after it): the list in store order again.
    static func clearSort(_ kind: ListKind, _ state: inout ConsoleState) {
        let customer = selectedRowID(kind, state)
        state.browser.sorts[kind] = nil
        if let customer { select(rowID: customer, in: kind, &state) }
    }

    /// `y`: the selected row's externalCode (a device's deviceId) to the terminal's clipboard. On an email or
    /// phone column the value is copied only when revealed, and the copy is audited.
    static func copy(_ state: inout ConsoleState) -> [ConsoleEffect] {
        guard let clipboard = state.browser.clipboard else { return [] }
        guard clipboard.supported else {
            state.notice = .init(text: clipboard.reason, isError: true)
            return []
        }
        if case .detail(let pane) = state.screens.last {
            guard let code = pane.detail?.customer.externalCode else { return [] }
            state.notice = .init(text: "copied externalCode \(Format.short(code, 13))", isError: false)
            return [.copy(code)]
        }
        if let device = state.selectedDevice {
            state.notice = .init(text: "copied deviceId \(Format.short(device.deviceId, 24))", isError: false)
            return [.copy(device.deviceId)]
        }
        guard let row = state.selectedCustomerRow, let workingSet = state.customers?.workingSet else {
            state.notice = .init(text: "select a row to copy", isError: true)
            return []
        }
        let rowID = workingSet.rowIDs[row]
        let column = ListTable.columns(state.view, state)[ListTable.cursor(state.view, state)]
        if column == .email || column == .phone {
            let value = column == .email ? workingSet.emails[row] : workingSet.phones[row]
            guard let value else {
                state.notice = .init(text: "no \(column.name) to copy", isError: true)
                return []
            }
            guard state.revealedRowID == rowID else {
                state.notice = .init(
                    text: "the \(column.name) is masked: r reveals it (audited), then y copies it", isError: true)
                return []
            }
            state.notice = .init(text: "copied the \(column.name) (recorded in the audit log)", isError: false)
            return [.copy(value), .recordCopy(rowID: rowID, what: column.name)]
        }
        let code = workingSet.externalCodes[row]
        state.notice = .init(text: "copied externalCode \(Format.short(code, 13))", isError: false)
        return [.copy(code)]
    }

    /// `:export FILE [csv|jsonl]`: the list as it is shown (filtered, sorted; its columns for CSV), written in the
    /// background with progress on the status line.
    static func export(path: String, format: String?, _ state: inout ConsoleState) -> [ConsoleEffect] {
        let kind = state.view
        guard state.browser.export == nil else {
            state.notice = .init(text: "an export is already running", isError: true)
            return []
        }
        guard kind.showsCustomers ? state.customers != nil : state.devices != nil else {
            state.notice = .init(text: "the list is still loading", isError: true)
            return []
        }
        if state.filters[kind]?.pending == true || state.isSorting(kind) {
            state.notice = .init(
                text: "the list is still being filtered or sorted: export when it is done", isError: true)
            return []
        }
        let lower = path.lowercased()
        let format = format ?? (lower.hasSuffix(".jsonl") || lower.hasSuffix(".json") ? "jsonl" : "csv")
        let rows = state.rows(kind)
        state.browser.export = (path, 0, rows.count)
        return [
            .export(
                ExportRequest(
                    path: path, format: format, view: kind, columns: ListTable.columns(kind, state), rows: rows,
                    customers: state.customers, devices: state.devices))
        ]
    }

    static func exportFinished(_ result: Result<ExportReport, ConsoleFailure>, _ state: inout ConsoleState) {
        let path = state.browser.export?.path ?? ""
        state.browser.export = nil
        switch result {
        case .success(let report):
            let what = Format.count(report.count, state.view.showsCustomers ? "customer" : "device")
            state.notice = .init(
                text:
                    "exported \(what) to \(path) (\(report.format), recorded in the audit log)",
                isError: false)
        case .failure(let failure):
            state.notice = .init(text: "export failed: \(failure.message)", isError: true)
        }
    }
}
