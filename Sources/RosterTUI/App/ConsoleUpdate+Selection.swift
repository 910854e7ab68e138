import RosterModel

/// Keeping the operator on the same customer when a list's rows change under the selection (a reload after
/// an edit or an import, a filter re-run or cleared): the selection follows the customer, never the row number.
extension ConsoleUpdate {
    /// The store row ID of the customer selected in `kind`, when it lists customers.
    static func selectedRowID(_ kind: ListKind, _ state: ConsoleState) -> Int64? {
        guard kind.showsCustomers, let customers = state.customers else { return nil }
        let rows = state.rows(kind)
        let selected = state.position(kind).selected
        guard selected < rows.count else { return nil }
        return customers.workingSet.rowIDs[rows[selected]]
    }

    /// Selects the customer `rowID` in `kind` when it is listed there; false when it is not.
    @discardableResult
    static func select(rowID: Int64, in kind: ListKind, _ state: inout ConsoleState) -> Bool {
        guard let customers = state.customers, let row = customers.row(of: rowID) else { return false }
        let rows = state.rows(kind)
        let index: Int?
        switch rows {
        case .all(let count): index = row < count ? row : nil
        case .indices(let list):
            // A sorted list is in no row order: it is scanned (once per sort result or reload, never per key).
            index = state.sortedRows(kind) != nil ? list.firstIndex(of: Int32(row)) : binarySearch(list, Int32(row))
        }
        guard let index else { return false }
        var position = state.position(kind)
        position.selected = index
        state.positions[kind] = position
        scroll(kind, &state)
        return true
    }

    /// The position of `value` in the ascending `list`.
    static func binarySearch(_ list: [Int32], _ value: Int32) -> Int? {
        var (low, high) = (0, list.count)
        while low < high {
            let middle = (low + high) / 2
            if list[middle] < value { low = middle + 1 } else { high = middle }
        }
        return low < list.count && list[low] == value ? low : nil
    }

    /// How a notice names a customer: its externalCode (shortened) and name.
    static func describe(rowID: Int64, _ state: ConsoleState) -> String? {
        guard let customers = state.customers, let row = customers.row(of: rowID) else { return nil }
        var text = Format.short(customers.workingSet.externalCodes[row], 13)
        if let name = customers.name(row), !name.isEmpty { text += " " + TextWidth.truncate(name, to: 30) }
        return text
    }

    /// After a reload or a filter result: back on the customer the list was on. When the customer just edited
    /// is no longer listed (it left the filter), its detail opens, so the operator stays on it and the next
    /// edit cannot fall on whoever moved up into its row.
    static func restoreSelection(
        _ kind: ListKind, keeping rowID: Int64, followed: Bool, _ state: inout ConsoleState
    ) -> [ConsoleEffect] {
        if select(rowID: rowID, in: kind, &state) { return [] }
        guard followed, kind == state.view else { return [] }
        let who = describe(rowID: rowID, state) ?? "the customer"
        let filter = state.filters[kind].map { " /\($0.text)" } ?? " the list"
        state.notice = .init(
            text: "\(who) no longer matches\(filter): its detail is open (Esc goes back to the list)", isError: false)
        if case .detail(let detail) = state.screens.last, detail.rowID == rowID { return [] }
        state.screens.append(.detail(DetailScreen(rowID: rowID)))
        return [.loadDetail(rowID: rowID)]
    }
}

extension CustomerCatalog {
    /// The working-set row of the customer with store row ID `rowID`.
    ///
    /// The working set is loaded in row ID order, so a binary search finds it (the status line asks on every
    /// frame while the `:` line is open); a scan covers a set in any other order.
    public func row(of rowID: Int64) -> Int? {
        let ids = workingSet.rowIDs
        var (low, high) = (0, ids.count)
        while low < high {
            let middle = (low + high) / 2
            if ids[middle] < rowID { low = middle + 1 } else { high = middle }
        }
        if low < ids.count && ids[low] == rowID { return low }
        return ids.firstIndex(of: rowID)
    }
}
