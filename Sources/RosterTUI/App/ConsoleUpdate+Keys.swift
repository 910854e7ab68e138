import RosterModel

extension ConsoleUpdate {
    /// A key: to the prompt or the preview's template when one is open, else through the key table.
    static func handle(_ key: Key, _ state: inout ConsoleState) -> [ConsoleEffect] {
        if key == .control("c") {
            state.exitStatus = 130
            if state.importRunning { state.exitMessage = interruptedImportMessage(state) }
            if !state.importRunning && state.writesInFlight > 0 { state.exitMessage = interruptedWriteMessage(state) }
            state.quitting = true
            return [.quit]
        }
        if state.confirmingQuit {
            state.confirmingQuit = false
            if key == .character("y") || key == .character("Y") {
                state.quitAfterImport = true
                state.notice = .init(text: "the console quits when the import finishes…", isError: false)
            } else {
                state.notice = .init(text: "still importing; the console stays open", isError: false)
            }
            return []
        }
        if key == .control("l") { return [.redraw] }
        if key == .control("z") { return [.suspend] }
        if state.prompt != nil { return promptKey(key, &state) }
        if case .preview = state.screens.last { return previewKey(key, &state) }
        if let effects = mappingKey(key, &state) ?? fieldsKey(key, &state) { return effects }
        // A count typed before a move (5j, 10G), as in less and vi.
        if case .character(let character) = key, let digit = character.wholeNumberValue, character.isASCII,
            digit > 0 || state.count != nil
        {
            state.count = min(999_999, (state.count ?? 0) * 10 + digit)
            return []
        }
        let count = state.count
        state.count = nil
        guard let action = KeyTable.action(for: key, in: state.scope) else { return [] }
        if let count, [.top, .bottom].contains(action), state.screens.isEmpty {
            move(&state) { _, _, _ in count - 1 }
            return []
        }
        let repeated: Set<ConsoleAction> = [.moveDown, .moveUp, .pageDown, .pageUp, .halfPageDown, .halfPageUp]
        guard let count, repeated.contains(action) else { return perform(action, &state) }
        var effects: [ConsoleEffect] = []
        for _ in 0..<count { effects += perform(action, &state) }
        return effects
    }

    /// Carries out a key table action.
    static func perform(_ action: ConsoleAction, _ state: inout ConsoleState) -> [ConsoleEffect] {
        let moves: [ConsoleAction] = [
            .moveDown, .moveUp, .pageDown, .pageUp, .halfPageDown, .halfPageUp, .top, .bottom,
        ]
        if !state.screens.isEmpty, moves.contains(action) {
            scrollPane(action, &state)
            return []
        }
        switch action {
        case .moveDown: move(&state) { position, _, _ in position.selected + 1 }
        case .moveUp: move(&state) { position, _, _ in position.selected - 1 }
        case .pageDown: move(&state) { position, _, height in position.selected + height }
        case .pageUp: move(&state) { position, _, height in position.selected - height }
        case .halfPageDown: move(&state) { position, _, height in position.selected + max(1, height / 2) }
        case .halfPageUp: move(&state) { position, _, height in position.selected - max(1, height / 2) }
        case .top: move(&state) { _, _, _ in 0 }
        case .bottom: move(&state) { _, count, _ in count - 1 }
        case .open: return open(&state)
        case .back: back(&state)
        case .quit:
            if state.screens.isEmpty { return perform(.forceQuit, &state) }
            back(&state)
        case .forceQuit:
            return quit(&state)
        case .nextView, .previousView:
            return show(state.view.cycled(by: action == .nextView ? 1 : -1), &state)
        case .filter:
            let kept = state.filters[state.view]
            state.prompt = .init(
                kind: .filter, input: TextInput(kept?.text ?? ""), kept: kept,
                keptRowID: selectedRowID(state.view, state))
            scroll(state.view, &state)
        case .command:
            state.prompt = .init(kind: .command, input: TextInput())
            scroll(state.view, &state)
        case .importFile:
            state.prompt = .init(kind: .command, input: TextInput("import "))
            scroll(state.view, &state)
        case .preview: return openPreview(template: "", &state)
        case .deviceGet: return deviceGet(&state)
        case .reveal: return reveal(&state)
        case .help: state.screens.append(.help(offset: 0))
        case .openSegment: return openSegment(&state)
        case .redraw: return [.redraw]
        case .suspend: return [.suspend]
        case .columnLeft, .columnRight, .hideColumn, .sortAscending, .sortDescending, .frequency, .copy:
            return browse(action, &state)
        }
        return []
    }

    /// Quits, unless an import is running: then it asks first (an import stopped half-way leaves part of the
    /// file in the store), and with `y` the console quits when the import has finished and says what it did.
    static func quit(_ state: inout ConsoleState) -> [ConsoleEffect] {
        guard state.importRunning else {
            if state.writesInFlight > 0 { return quitAfterWrites(&state) }
            state.quitting = true
            return [.quit]
        }
        state.confirmingQuit = true
        let rows = importProgress(state).map { ", \(Format.count($0.rows, "row")) read" } ?? ""
        state.notice = .init(
            text: "an import is running\(rows). Quit when it finishes? y: yes · any other key: keep working",
            isError: true)
        return []
    }

    /// The progress of the running import, if any.
    static func importProgress(_ state: ConsoleState) -> ImportProgress? {
        for screen in state.screens.reversed() {
            if case .importing(let pane) = screen, pane.report == nil, pane.error == nil { return pane.progress }
        }
        return state.importStatus
    }

    /// What Ctrl-C during an import says on the shell.
    static func interruptedImportMessage(_ state: ConsoleState) -> String {
        let rows = importProgress(state).map { " after \(Format.count($0.rows, "row")) read" } ?? ""
        return "interrupted during an import\(rows): the rows of transactions already committed stay in the "
            + "store, the one in progress was rolled back; import the file again to bring in the rest "
            + "(rows already imported are counted as unchanged)"
    }

    /// Switches to a list, loading the devices the first time a device list is shown.
    static func show(_ kind: ListKind, _ state: inout ConsoleState) -> [ConsoleEffect] {
        state.screens.removeAll()
        state.view = kind
        state.revealedRowID = nil
        scroll(kind, &state)
        if !kind.showsCustomers && state.devicesLoad == nil {
            state.devicesLoad = .loading(0)
            return [.loadDevices]
        }
        return []
    }

    /// Esc: closes the top screen, else clears the current filter; nothing at the top level.
    static func back(_ state: inout ConsoleState) {
        if !state.screens.isEmpty {
            state.screens.removeLast()
        } else if state.filters[state.view] != nil {
            _ = startFilter("", on: state.view, &state)
            state.revealedRowID = nil
        }
    }

    private static func scrollPane(_ action: ConsoleAction, _ state: inout ConsoleState) {
        let page = state.paneHeight
        let step: Int
        switch action {
        case .moveDown: step = 1
        case .moveUp: step = -1
        case .pageDown: step = page
        case .pageUp: step = -page
        case .halfPageDown: step = max(1, page / 2)
        case .halfPageUp: step = -max(1, page / 2)
        case .top: step = Int.min / 2
        default: step = Int.max / 2
        }
        func moved(_ offset: Int) -> Int { max(0, min(offset + step, 10_000)) }
        guard let last = state.screens.indices.last else { return }
        switch state.screens[last] {
        case .detail(var detail):
            detail.offset = moved(detail.offset)
            state.screens[last] = .detail(detail)
        case .deviceGet(var pane):
            pane.offset = moved(pane.offset)
            state.screens[last] = .deviceGet(pane)
        case .importing(var pane):
            pane.offset = moved(pane.offset)
            state.screens[last] = .importing(pane)
        case .help(let offset):
            state.screens[last] = .help(offset: moved(offset))
        case .text(var pane):
            pane.offset = moved(pane.offset)
            state.screens[last] = .text(pane)
        case .frequency(var pane):
            pane.move(action, page: max(1, page - 1))
            state.screens[last] = .frequency(pane)
        case .segments(var pane):
            pane.selected = max(0, min(pane.selected + max(-10_000, min(step, 10_000)), pane.segments.count - 1))
            state.screens[last] = .segments(pane)
        case .preview, .importMapping, .fields:
            break
        }
    }

    /// Enter: a customer's detail; on a device, its customer's detail, or deviceGet for an anonymous one.
    private static func open(_ state: inout ConsoleState) -> [ConsoleEffect] {
        if case .frequency(let pane) = state.screens.last { return filterByFrequency(pane, &state) }
        if case .segments = state.screens.last { return openSegment(&state) }
        if let row = state.selectedCustomerRow, let customers = state.customers {
            let rowID = customers.workingSet.rowIDs[row]
            state.screens.append(.detail(DetailScreen(rowID: rowID)))
            return [.loadDetail(rowID: rowID)]
        }
        if let device = state.selectedDevice {
            if let rowID = device.customerRowID {
                state.screens.append(.detail(DetailScreen(rowID: rowID)))
                return [.loadDetail(rowID: rowID)]
            }
            state.screens.append(.deviceGet(DeviceGetScreen(request: device.deviceId, device: device)))
        }
        return []
    }

    /// `d`: deviceGet for the selected device, the detail's first device, or the selected customer's device.
    private static func deviceGet(_ state: inout ConsoleState) -> [ConsoleEffect] {
        if case .detail(let detail) = state.screens.last {
            if let device = detail.detail?.devices.first {
                state.screens.append(.deviceGet(DeviceGetScreen(request: device.deviceId, device: device)))
            } else {
                state.notice = .init(text: "this customer has no device", isError: true)
            }
            return []
        }
        if let device = state.selectedDevice {
            state.screens.append(.deviceGet(DeviceGetScreen(request: device.deviceId, device: device)))
            return []
        }
        if let row = state.selectedCustomerRow, let customers = state.customers {
            let workingSet = customers.workingSet
            guard workingSet.deviceCounts[row] > 0 else {
                state.notice = .init(text: "this customer has no device", isError: true)
                return []
            }
            let code = workingSet.externalCodes[row]
            state.screens.append(.deviceGet(DeviceGetScreen(request: code)))
            return [.deviceGet(code)]
        }
        return []
    }

    /// `r`: shows the selected customer's email and phone in clear once the reveal is in the audit log
    /// (`revealRecorded`), or masks them again at once.
    private static func reveal(_ state: inout ConsoleState) -> [ConsoleEffect] {
        if let last = state.screens.indices.last, case .detail(var detail) = state.screens[last] {
            guard !detail.revealed else {
                detail.revealed = false
                state.screens[last] = .detail(detail)
                return []
            }
            state.notice = .init(text: "revealing (recording it in the audit log)…", isError: false)
            return [.recordReveal(rowID: detail.rowID)]
        }
        guard let row = state.selectedCustomerRow, let customers = state.customers else {
            state.notice = .init(text: "select a customer to reveal", isError: true)
            return []
        }
        let rowID = customers.workingSet.rowIDs[row]
        if state.revealedRowID == rowID {
            state.revealedRowID = nil
            return []
        }
        state.notice = .init(text: "revealing (recording it in the audit log)…", isError: false)
        return [.recordReveal(rowID: rowID)]
    }

    /// A reveal recorded (or refused): the values show if the customer is still the one selected, or open.
    static func revealRecorded(rowID: Int64, _ result: Result<Void, ConsoleFailure>, _ state: inout ConsoleState) {
        if case .failure(let failure) = result {
            state.notice = .init(text: "not revealed: \(failure.message)", isError: true)
            return
        }
        if let last = state.screens.indices.last, case .detail(var detail) = state.screens[last] {
            guard detail.rowID == rowID, detail.detail != nil else { return }
            detail.revealed = true
            state.screens[last] = .detail(detail)
        } else {
            guard let row = state.selectedCustomerRow, state.customers?.workingSet.rowIDs[row] == rowID else { return }
            state.revealedRowID = rowID
        }
        state.notice = .init(text: "revealed (recorded in the audit log); masked again when you move", isError: false)
    }
}
