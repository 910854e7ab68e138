extension ConsoleState {
    /// The rows `kind` lists before a sort, as a basis a sort is computed from.
    public func basis(_ kind: ListKind) -> BrowserState.Basis {
        let filter = filters[kind]?.rows != nil ? browser.filterRowsGeneration[kind] ?? -1 : 0
        return .init(filter: filter, load: kind.showsCustomers ? browser.customerLoads : browser.deviceLoads)
    }

    /// The sorted rows of `kind`, when its last sort was computed from the rows it lists now.
    public func sortedRows(_ kind: ListKind) -> [Int32]? {
        guard let sort = browser.sorts[kind], let rows = sort.rows, sort.rowsKey?.basis == basis(kind) else {
            return nil
        }
        return rows
    }

    /// Whether a sort of `kind` is running.
    public func isSorting(_ kind: ListKind) -> Bool { browser.sorts[kind]?.requested != nil }
}
