import RosterCore

extension ConsoleUpdate {
    /// A key: to the prompt or the preview's template when one is open, else through the key table.
    static func handle(_ key: Key, _ state: inout ConsoleState) -> [ConsoleEffect] {
        if key == .control("c") { return perform(.forceQuit, &state) }
        if key == .control("l") { return [.redraw] }
        if state.prompt != nil { return promptKey(key, &state) }
        if case .preview = state.screens.last { return previewKey(key, &state) }
        guard let action = KeyTable.action(for: key, in: state.scope) else { return [] }
        return perform(action, &state)
    }

    /// Carries out a key table action.
    static func perform(_ action: ConsoleAction, _ state: inout ConsoleState) -> [ConsoleEffect] {
        if !state.screens.isEmpty, [.moveDown, .moveUp, .pageDown, .pageUp, .top, .bottom].contains(action) {
            scrollPane(action, &state)
            return []
        }
        switch action {
        case .moveDown: move(&state) { position, _, _ in position.selected + 1 }
        case .moveUp: move(&state) { position, _, _ in position.selected - 1 }
        case .pageDown: move(&state) { position, _, height in position.selected + height }
        case .pageUp: move(&state) { position, _, height in position.selected - height }
        case .top: move(&state) { _, _, _ in 0 }
        case .bottom: move(&state) { _, count, _ in count - 1 }
        case .open: return open(&state)
        case .back: back(&state)
        case .quit:
            if state.screens.isEmpty { return perform(.forceQuit, &state) }
            back(&state)
        case .forceQuit:
            state.quitting = true
            return [.quit]
        case .nextView, .previousView:
            return show(state.view.cycled(by: action == .nextView ? 1 : -1), &state)
        case .filter:
            state.prompt = .init(kind: .filter, input: TextInput(state.filters[state.view]?.text ?? ""))
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
        case .redraw: return [.redraw]
        case .suspend: return [.suspend]
        }
        return []
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
            state.filters[state.view] = nil
            state.positions[state.view] = ConsoleState.Position()
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
        case .preview:
            break
        }
    }

    /// Enter: a customer's detail; on a device, its customer's detail, or deviceGet for an anonymous one.
    private static func open(_ state: inout ConsoleState) -> [ConsoleEffect] {
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

    /// `r`: shows the selected customer's email and phone in clear (recorded), or masks them again.
    private static func reveal(_ state: inout ConsoleState) -> [ConsoleEffect] {
        if let last = state.screens.indices.last, case .detail(var detail) = state.screens[last] {
            detail.revealed.toggle()
            state.screens[last] = .detail(detail)
            return detail.revealed ? [.recordReveal(rowID: detail.rowID)] : []
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
        state.revealedRowID = rowID
        state.notice = .init(text: "revealed (recorded in the audit log); masked again when you move", isError: false)
        return [.recordReveal(rowID: rowID)]
    }
}
