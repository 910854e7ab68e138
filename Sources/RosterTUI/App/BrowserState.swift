import RosterModel

/// The console's list as a browser: live refresh, the column choice and cursor, sorts, frequency tables.
public struct BrowserState: Sendable {
    /// What a list's unsorted rows are: which filter result over which load. A sort applies only to the rows it
    /// was computed from.
    public struct Basis: Equatable, Sendable {
        /// The generation of the filter whose rows are listed (0: no filter).
        public var filter: Int
        /// How many times the working set (or the devices) was loaded.
        public var load: Int
    }

    /// What a sort's rows are in order of: a column, a direction, and the rows they were sorted from.
    public struct SortKey: Equatable, Sendable {
        public var column: ListColumn
        public var ascending: Bool
        public var basis: Basis
    }

    /// A list's sort: by a column, one way; its rows once a sort has run (while the next one runs, the rows of the
    /// last one stay shown when they are rows of the same list).
    public struct Sort: Sendable {
        public var column: ListColumn
        public var ascending: Bool
        public var generation = 0
        /// The list's rows in order, and what they are.
        public var rows: [Int32]?
        public var rowsKey: SortKey?
        /// What the running sort computes (nil: none runs).
        public var requested: SortKey?
    }

    /// Whether a reload asked for by live refresh is under way, and whether another change came meanwhile.
    public var reloading = false
    public var reloadQueued = false
    /// When the data last changed while the console was open (seconds since 1970): the status line says it.
    public var dataChangedAt: Int64?
    /// The device a device list stays on when its re-run filter's result arrives (after a reload).
    public var keepDevice: [ListKind: String] = [:]

    /// The columns chosen with `:columns` (absent: the defaults), the column cursor and the first column shown.
    public var columns: [ListKind: [ListColumn]] = [:]
    public var columnCursor: [ListKind: Int] = [:]
    public var columnOffset: [ListKind: Int] = [:]
    /// Each list's sort.
    public var sorts: [ListKind: Sort] = [:]
    /// The generation of each list's filter rows, and how many times customers and devices were loaded.
    public var filterRowsGeneration: [ListKind: Int] = [:]
    public var customerLoads = 0
    public var deviceLoads = 0

    /// Whether the terminal can set the clipboard (OSC 52), and why not; nil until the backend says.
    public var clipboard: (supported: Bool, reason: String)?
    /// The running export, for the status line: its file and the rows written so far.
    public var export: (path: String, written: Int, total: Int)?

    public init() {}

    /// Whether a sort or an export runs (the title bar's spinner turns).
    public var isBusy: Bool { export != nil || sorts.values.contains { $0.requested != nil } }
}
