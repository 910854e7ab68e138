import RosterModel

/// The loaded working set with what the lists need from it, computed off the UI loop.
public struct CustomerCatalog: Sendable {
    public let workingSet: WorkingSet
    /// The column of the `name` field, when customers have one.
    public let nameColumn: Int?
    /// Rows with an email (the Email view), ascending.
    public let emailRows: [Int32]
    /// Rows with a phone (the SMS view), ascending.
    public let smsRows: [Int32]
    /// The store's change stamp read just before the set was loaded (nil when the store cannot tell).
    public var stamp: ChangeStamp?
    /// When the set was loaded, in seconds since 1970.
    public var loadedAt: Int64?

    /// Indexes `workingSet` (a scan of every row: call it off the UI loop).
    public init(workingSet: WorkingSet) {
        self.workingSet = workingSet
        nameColumn = workingSet.columnIndex(named: "name")
        var emailRows: [Int32] = []
        var smsRows: [Int32] = []
        let (emails, phones) = (workingSet.emails, workingSet.phones)
        // Sized first: at 10M customers, arrays grown by doubling held ~60 MB more than the rows.
        emailRows.reserveCapacity((0..<workingSet.count).reduce(0) { $0 + (emails.isPresent($1) ? 1 : 0) })
        smsRows.reserveCapacity((0..<workingSet.count).reduce(0) { $0 + (phones.isPresent($1) ? 1 : 0) })
        for row in 0..<workingSet.count {
            if emails.isPresent(row) { emailRows.append(Int32(row)) }
            if phones.isPresent(row) { smsRows.append(Int32(row)) }
        }
        self.emailRows = emailRows
        self.smsRows = smsRows
    }

    /// The customer's name (the `name` field), or nil.
    public func name(_ row: Int) -> String? {
        guard let nameColumn else { return nil }
        return workingSet.columns[nameColumn].values[row]
    }
}

/// Every device of the store, with the rows of the Push view.
public struct DeviceCatalog: Sendable {
    public let devices: [Device]
    /// Devices logged in as a customer (their externalId is the customer's externalCode), ascending.
    public let pushRows: [Int32]

    public init(devices: [Device]) {
        self.devices = devices
        pushRows = devices.indices.filter { devices[$0].customerRowID != nil }.map { Int32($0) }
    }
}

/// The rows a list shows: all of them, or a subset by index.
public enum RowList: Sendable, Equatable {
    case all(Int)
    case indices([Int32])

    public var count: Int {
        switch self {
        case .all(let count): return count
        case .indices(let rows): return rows.count
        }
    }

    /// The underlying row (working set row or device index) at `position`.
    public subscript(position: Int) -> Int {
        switch self {
        case .all: return position
        case .indices(let rows): return Int(rows[position])
        }
    }
}
