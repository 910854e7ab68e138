import RosterModel

/// Live refresh: a change by another process reloads the working set (and the devices, once shown) in the
/// background; the selection stays on its customer, and the filter, sort and columns are kept.
extension ConsoleUpdate {
    /// The store changed under the console.
    static func storeChanged(_ state: inout ConsoleState) -> [ConsoleEffect] {
        guard state.customers != nil else { return [] }
        if state.browser.reloading {
            state.browser.reloadQueued = true
            return []
        }
        state.browser.reloading = true
        var effects: [ConsoleEffect] = [.loadWorkingSet]
        if state.devicesLoad == .ready { effects.append(.loadDevices) }
        return effects
    }

    /// Bookkeeping when a working set arrives (before it replaces the old one): the time of a change, and the
    /// reload asked for by a change that came while the last one ran.
    static func reloaded(_ catalog: CustomerCatalog, _ state: inout ConsoleState) -> [ConsoleEffect] {
        state.browser.customerLoads += 1
        if let old = state.customers, old.stamp != catalog.stamp, let at = catalog.loadedAt {
            state.browser.dataChangedAt = at
        }
        guard state.browser.reloading else { return [] }
        guard state.browser.reloadQueued else {
            state.browser.reloading = false
            return []
        }
        state.browser.reloadQueued = false
        var effects: [ConsoleEffect] = [.loadWorkingSet]
        if state.devicesLoad == .ready { effects.append(.loadDevices) }
        return effects
    }
}

extension ConsoleUpdate {
    /// Whether customer `rowID` has the same email and phone in both loads.
    static func sameContact(_ rowID: Int64, _ old: CustomerCatalog, _ new: CustomerCatalog) -> Bool {
        guard let before = old.row(of: rowID), let after = new.row(of: rowID) else { return false }
        return old.workingSet.emails[before] == new.workingSet.emails[after]
            && old.workingSet.phones[before] == new.workingSet.phones[after]
    }

    /// The deviceId selected in each device list.
    static func selectedDeviceIDs(_ state: ConsoleState) -> [ListKind: String] {
        guard let devices = state.devices else { return [:] }
        var kept: [ListKind: String] = [:]
        for kind in ListKind.allCases where !kind.showsCustomers {
            let rows = state.rows(kind)
            let selected = state.position(kind).selected
            if selected < rows.count { kept[kind] = devices.devices[rows[selected]].deviceId }
        }
        return kept
    }

    /// Selects the device `id` in `kind` when it is listed there.
    static func select(deviceID id: String, in kind: ListKind, _ state: inout ConsoleState) {
        guard let devices = state.devices else { return }
        let rows = state.rows(kind)
        // A scan of the list: devices are few next to customers, and this runs once per reload.
        for index in 0..<rows.count where devices.devices[rows[index]].deviceId == id {
            var position = state.position(kind)
            position.selected = index
            state.positions[kind] = position
            scroll(kind, &state)
            return
        }
    }
}
