/// Work `update` asks for: store work runs off the UI loop and comes back as events; terminal work
/// (redraw, suspend, quit) is the backend's.
public enum ConsoleEffect: Sendable {
    case loadWorkingSet
    case loadDevices
    case loadDetail(rowID: Int64)
    case filter(FilterRequest)
    case deviceGet(String)
    case previewCustomer(generation: Int, template: String, rowID: Int64)
    case previewSegment(generation: Int, template: String, rows: [Int32], customers: CustomerCatalog)
    case importFile(kind: String, path: String)
    case recordReveal(rowID: Int64)
    case editCustomer(rowID: Int64, CustomerEdit)
    case loadTheme(String)
    /// The mapping step's preview of an import (nothing is written).
    case previewImport(generation: Int, ImportDraft)
    /// An import with the mapping the operator confirmed.
    case importMapped(ImportDraft)
    case loadFields
    case checkFieldChange(FieldRequest)
    case applyFieldChange(FieldRequest)
    /// Sorts a list's rows by a column, off the UI loop; a newer sort of the same list cancels it.
    case sort(SortRequest)
    /// Remembers a list's columns in the store (sealed: field names can be personal).
    case saveColumns(kind: ListKind, names: [String])
    /// Counts a column's values over a list's rows, off the UI loop.
    case frequency(FrequencyRequest)
    /// Puts text on the terminal's clipboard (OSC 52): the backend's.
    case copy(String)
    /// Records in the audit log that a revealed value was copied.
    case recordCopy(rowID: Int64, what: String)
    /// Writes the current view to a file, with progress.
    case export(ExportRequest)
    /// The saved segments, then each one's count on `customers` (when loaded).
    case loadSegments(CustomerCatalog?)
    case saveSegment(name: String, expression: String, replacing: Bool, customers: CustomerCatalog)
    case deleteSegment(String)
    case redraw
    case suspend
    case quit

    /// Whether the terminal backend carries this effect out (the rest go to the store's worker).
    public var isTerminalEffect: Bool {
        switch self {
        case .redraw, .suspend, .quit, .copy: return true
        default: return false
        }
    }
}

/// A filter to run on one list, with the data it runs over.
public struct FilterRequest: Sendable {
    public let generation: Int
    public let view: ListKind
    public let text: String
    public let customers: CustomerCatalog?
    public let devices: DeviceCatalog?
}

/// A sort to run on one list: its rows as listed before any sort, and the data they come from.
public struct SortRequest: Sendable {
    public let generation: Int
    public let view: ListKind
    public let key: BrowserState.SortKey
    public let rows: RowList
    public let customers: CustomerCatalog?
    public let devices: DeviceCatalog?
}
