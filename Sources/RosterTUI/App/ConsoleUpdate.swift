import RosterModel

/// The console's one update function: a state and an event give the next state and the work to do.
///
/// Pure: no I/O, no clock, no threads. Slow work is returned as effects whose results come back as events.
public enum ConsoleUpdate {
    /// The next state and the effects `event` leads to.
    public static func update(_ state: ConsoleState, _ event: ConsoleEvent) -> (ConsoleState, [ConsoleEffect]) {
        var next = state
        let effects = apply(event, to: &next)
        return (next, effects)
    }

    /// `update` in place, for the main loop (no copy of the state).
    public static func apply(_ event: ConsoleEvent, to state: inout ConsoleState) -> [ConsoleEffect] {
        let effects = applyEvent(event, to: &state)
        // Whatever changed a list's rows (a filter, a reload), its sort runs again over the new ones.
        return trackWrites(event, effects + resortIfNeeded(&state), &state)
    }

    private static func applyEvent(_ event: ConsoleEvent, to state: inout ConsoleState) -> [ConsoleEffect] {
        switch event {
        case .key(let key):
            state.notice = nil
            return handle(key, &state)
        case .paste(let text):
            state.notice = nil
            return paste(text, &state)
        case .resize(let width, let height):
            state.width = max(1, width)
            state.height = max(1, height)
            for kind in ListKind.allCases { scroll(kind, &state) }
            return []
        case .tick:
            state.tick &+= 1
            return []
        case .workingSetProgress(let fraction):
            if case .loading = state.customersLoad { state.customersLoad = .loading(fraction) }
            return []
        case .workingSetLoaded(let catalog):
            // The selection follows customers, not row numbers, across the reload.
            var keep: [ListKind: Int64] = [:]
            for kind in ListKind.allCases where kind.showsCustomers {
                keep[kind] = selectedRowID(kind, state)
            }
            let followed = state.view.showsCustomers ? state.followRowID : nil
            if let followed { keep[state.view] = followed }
            state.followRowID = nil
            let sameRows = state.customers?.workingSet.rowIDs == catalog.workingSet.rowIDs
            // A revealed customer whose email or phone changed elsewhere is masked again: what was revealed (and
            // audited) is not what would show.
            if let rowID = state.revealedRowID, let old = state.customers, !sameContact(rowID, old, catalog) {
                state.revealedRowID = nil
            }
            var effects = reloaded(catalog, &state)
            state.customers = catalog
            state.customersLoad = .ready
            for kind in ListKind.allCases where kind.showsCustomers {
                if let filter = state.filters[kind] {
                    effects += startFilter(filter.text, on: kind, &state)
                    state.filters[kind]?.keepRowID = keep[kind]
                    state.filters[kind]?.follow = followed != nil && kind == state.view
                    // Rows of the previous set would name other customers in this one.
                    if !sameRows { state.filters[kind]?.rows = nil }
                } else if let rowID = keep[kind] {
                    effects += restoreSelection(
                        kind, keeping: rowID, followed: followed != nil && kind == state.view, &state)
                }
                scroll(kind, &state)
            }
            // An open customer is read again: another process may have changed it (or erased it). So are the lists
            // of fields and of columns (a field renamed, added or retyped).
            for case .detail(let detail) in state.screens where detail.detail != nil || detail.error != nil {
                effects.append(.loadDetail(rowID: detail.rowID))
            }
            if state.screens.contains(where: { if case .fields = $0 { true } else { false } }) {
                effects.append(.loadFields)
            }
            refreshColumnsPanes(&state)
            return effects
        case .workingSetFailed(let message):
            state.browser.reloading = false
            // A reload that failed keeps the rows already shown.
            if state.customers == nil { state.customersLoad = .failed(message) }
            state.notice = .init(text: message, isError: true)
            return []
        case .devicesLoaded(let catalog):
            let kept = selectedDeviceIDs(state)
            state.browser.deviceLoads += 1
            state.devices = catalog
            state.devicesLoad = .ready
            var effects: [ConsoleEffect] = []
            for kind in ListKind.allCases where !kind.showsCustomers {
                if let filter = state.filters[kind] {
                    effects += startFilter(filter.text, on: kind, &state)
                    state.browser.keepDevice[kind] = kept[kind]
                } else if let id = kept[kind] {
                    select(deviceID: id, in: kind, &state)
                }
                scroll(kind, &state)
            }
            return effects
        case .devicesFailed(let message):
            state.devicesLoad = .failed(message)
            state.notice = .init(text: message, isError: true)
            return []
        case .detailLoaded(let rowID, let result):
            updateScreens(&state) { screen in
                // A reload's read (live refresh) replaces the one shown: it was made later.
                guard case .detail(var detail) = screen, detail.rowID == rowID else { return }
                switch result {
                case .success(let loaded):
                    if let shown = detail.detail?.customer,
                        shown.email != loaded.customer.email || shown.phone != loaded.customer.phone
                    {
                        detail.revealed = false
                    }
                    (detail.detail, detail.error) = (loaded, nil)
                // Erased meanwhile, say: what it held is no longer shown.
                case .failure(let failure): (detail.detail, detail.error) = (nil, failure.message)
                }
                screen = .detail(detail)
            }
            return []
        case .filterFinished(let result):
            guard var filter = state.filters[result.view], filter.generation == result.generation else { return [] }
            filter.rows = result.rows
            filter.pending = false
            state.browser.filterRowsGeneration[result.view] = result.generation
            filter.mode = result.mode
            state.filters[result.view] = filter
            state.positions[result.view] = ConsoleState.Position()
            if result.view == state.view { state.revealedRowID = nil }
            if let id = state.browser.keepDevice.removeValue(forKey: result.view) {
                select(deviceID: id, in: result.view, &state)
            }
            if let rowID = filter.keepRowID {
                return restoreSelection(result.view, keeping: rowID, followed: filter.follow, &state)
            }
            return []
        case .deviceGetFinished(let request, let result):
            updateScreens(&state) { screen in
                guard case .deviceGet(var pane) = screen, pane.request == request, pane.device == nil else { return }
                switch result {
                case .success(let device): pane.device = device
                case .failure(let failure): pane.error = failure.message
                }
                screen = .deviceGet(pane)
            }
            return []
        case .previewFinished(let generation, let result):
            updatePreview(&state, generation: generation) { preview in
                switch result {
                case .success(let rendered): (preview.result, preview.error) = (rendered, nil)
                case .failure(let failure): (preview.result, preview.error) = (nil, failure.message)
                }
            }
            return []
        case .segmentPreviewFinished(let generation, let result):
            updatePreview(&state, generation: generation) { preview in
                switch result {
                case .success(let summary): (preview.segment, preview.segmentError) = (summary, nil)
                case .failure(let failure): (preview.segment, preview.segmentError) = (nil, failure.message)
                }
            }
            return []
        case .editFinished(let rowID, let result):
            switch result {
            case .success(let detail):
                updateScreens(&state) { screen in
                    guard case .detail(var pane) = screen, pane.rowID == rowID else { return }
                    pane.detail = detail
                    screen = .detail(pane)
                }
                let who = describe(rowID: rowID, state) ?? Format.short(detail.customer.externalCode, 13)
                state.notice = .init(text: "updated \(who) (recorded in the audit log)", isError: false)
                state.followRowID = rowID
                return [.loadWorkingSet]
            case .failure(let failure):
                state.notice = .init(text: failure.message, isError: true)
                return []
            }
        case .importProgress(let progress):
            // One bar for the whole import, never going back when a phase starts over at the file's start.
            state.importShown = max(state.importShown, progress.overall)
            state.importStatus = progress
            updateImport(&state) { $0.progress = progress }
            return []
        case .importFinished(let result):
            state.importRunning = false
            state.importStatus = nil
            state.importShown = 0
            updateImport(&state) { pane in
                switch result {
                case .success(let report): pane.report = report
                case .failure(let failure): pane.error = failure.message
                }
            }
            switch result {
            case .success(let report):
                let summary =
                    "import finished: \(Format.count(report.read)) read, \(Format.count(report.created)) created, "
                    + "\(Format.count(report.updated)) updated, \(Format.count(report.unchanged)) unchanged, "
                    + "\(Format.count(report.rejected)) rejected"
                state.notice = .init(text: summary, isError: false)
                if state.quitAfterImport {
                    state.exitMessage = summary + " (all of it committed)"
                    return quitUnlessWriting(&state)
                }
                var effects: [ConsoleEffect] = [.loadWorkingSet]
                if state.devicesLoad != nil {
                    state.devicesLoad = .loading(0)
                    effects.append(.loadDevices)
                }
                return effects
            case .failure(let failure):
                state.notice = .init(text: "import failed: \(failure.message)", isError: true)
                if state.quitAfterImport {
                    state.exitMessage = "import failed: \(failure.message)"
                    return quitUnlessWriting(&state)
                }
                return []
            }
        case .storeChanged:
            return storeChanged(&state)
        case .frequencyFinished(let generation, let result):
            updateScreens(&state) { screen in
                guard case .frequency(var pane) = screen, pane.generation == generation else { return }
                switch result {
                case .success(let table): pane.table = table
                case .failure(let failure): pane.error = failure.message
                }
                screen = .frequency(pane)
            }
            return []
        case .columnsSaved:
            return []
        case .columnsLoaded(let saved):
            for (kind, names) in saved where state.browser.columns[kind] == nil {
                let columns = names.compactMap { ListColumn.remembered($0, for: kind) }
                if !columns.isEmpty { state.browser.columns[kind] = columns }
            }
            return []
        case .revealRecorded(let rowID, let result):
            revealRecorded(rowID: rowID, result, &state)
            return []
        case .fieldsRenamed(let renames, let missed, let segments):
            fieldsRenamed(renames, missedSome: missed, segments: SavedSegments(segments), &state)
            return []
        case .clipboard(let supported, let reason):
            state.browser.clipboard = (supported, reason)
            return []
        case .exportProgress(let written):
            state.browser.export?.written = written
            return []
        case .exportFinished(let result):
            exportFinished(result, &state)
            return []
        case .sortFinished(let view, let generation, let key, let rows):
            sortFinished(view, generation: generation, key: key, rows: rows, &state)
            return []
        case .segmentsLoaded, .segmentCounted, .segmentSaved, .segmentDeleted:
            return segmentEvent(event, &state)
        case .themeLoaded(let theme, let error):
            state.theme = theme
            state.notice =
                error.map { .init(text: "\($0); using the default theme", isError: true) }
                ?? .init(text: "theme \(theme.name)", isError: false)
            return []
        case .importPreviewed(let generation, let result):
            mappingPreviewed(generation: generation, result, &state)
            return []
        case .fieldsLoaded, .fieldChangeChecked, .fieldChanged:
            return fieldsEvent(event, &state)
        }
    }

    // MARK: - Lists

    /// Keeps the selection inside the list and visible, after a move, a resize or new rows.
    static func scroll(_ kind: ListKind, _ state: inout ConsoleState) {
        let count = state.rows(kind).count
        var position = state.position(kind)
        let height = state.listHeight
        position.selected = max(0, min(position.selected, count - 1))
        if position.selected < position.top { position.top = position.selected }
        if position.selected >= position.top + height { position.top = position.selected - height + 1 }
        position.top = max(0, min(position.top, max(0, count - height)))
        if state.positions[kind] != position { state.positions[kind] = position }
    }

    /// Moves the selection of the current list; a move masks revealed values again.
    static func move(_ state: inout ConsoleState, to target: (ConsoleState.Position, Int, Int) -> Int) {
        let kind = state.view
        var position = state.position(kind)
        let before = position.selected
        position.selected = target(position, state.rows(kind).count, state.listHeight)
        if position.selected != before || state.positions[kind] == nil { state.positions[kind] = position }
        scroll(kind, &state)
        if state.position(kind).selected != before { state.revealedRowID = nil }
    }

    /// Starts (or clears, for blank text) the filter of `kind`; the result comes back as `filterFinished`.
    static func startFilter(_ text: String, on kind: ListKind, _ state: inout ConsoleState) -> [ConsoleEffect] {
        guard !text.trimmingSpaces.isEmpty else {
            let selected = selectedRowID(kind, state)
            if state.filters.removeValue(forKey: kind) != nil {
                state.positions[kind] = ConsoleState.Position()
                // Clearing a filter keeps the selected customer in view.
                if let selected { select(rowID: selected, in: kind, &state) }
            }
            return []
        }
        let generation = state.nextGeneration
        state.nextGeneration += 1
        let previous = state.filters[kind]?.rows
        state.filters[kind] = ConsoleState.Filter(text: text, generation: generation, rows: previous)
        let loaded = kind.showsCustomers ? state.customers != nil : state.devices != nil
        guard loaded else { return [] }
        return [
            .filter(
                FilterRequest(
                    generation: generation, view: kind, text: text, customers: state.customers, devices: state.devices))
        ]
    }

    // MARK: - Screens

    static func updateScreens(_ state: inout ConsoleState, _ change: (inout Screen) -> Void) {
        for index in state.screens.indices { change(&state.screens[index]) }
    }

    static func updatePreview(_ state: inout ConsoleState, generation: Int, _ change: (inout PreviewScreen) -> Void) {
        updateScreens(&state) { screen in
            guard case .preview(var preview) = screen, preview.generation == generation else { return }
            change(&preview)
            screen = .preview(preview)
        }
    }

    static func updateImport(_ state: inout ConsoleState, _ change: (inout ImportScreen) -> Void) {
        updateScreens(&state) { screen in
            guard case .importing(var pane) = screen, pane.report == nil, pane.error == nil else { return }
            change(&pane)
            screen = .importing(pane)
        }
    }
}
