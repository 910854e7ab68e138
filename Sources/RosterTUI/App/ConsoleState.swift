import RosterModel

/// The whole state of the console: `update` changes it, `view` draws it. Nothing else holds UI state.
public struct ConsoleState: Sendable {
    /// Where loading the working set (or the devices) stands.
    public enum LoadPhase: Sendable, Equatable {
        case loading(Double)
        case ready
        case failed(String)
    }

    /// The selected row and the first visible row of a list.
    public struct Position: Sendable, Equatable {
        public var selected = 0
        public var top = 0

        public init(selected: Int = 0, top: Int = 0) {
            self.selected = selected
            self.top = top
        }
    }

    /// A filter typed with `/` on one list.
    public struct Filter: Sendable {
        /// How the text was understood.
        public enum Mode: Sendable, Equatable {
            /// Parsed in the segments language.
            case segment
            /// Did not parse: matched as plain text against names and identifiers.
            case text
            /// Looks like the segments language (an operator, a keyword) but does not parse or fit the fields:
            /// nothing is listed and the error is shown, its `column` (1-based, in characters) marked.
            case invalid(message: String, column: Int)
        }

        public var text: String
        public var generation: Int
        /// The matching rows; the previous result while a new one runs, nil before the first.
        public var rows: [Int32]?
        public var pending = true
        public var mode: Mode?
        /// The customer to stay on when the result arrives (the filter re-ran after a reload).
        public var keepRowID: Int64?
        /// Whether `keepRowID` is the customer just edited: the operator is told if it left the list.
        public var follow = false
    }

    /// The command or filter line at the bottom.
    public struct Prompt: Sendable {
        /// `/` or `:`.
        public enum Kind: Sendable, Equatable { case filter, command }

        public var kind: Kind
        public var input: TextInput
        /// Where Up/Down stand in the command history (nil: the line being typed).
        public var historyIndex: Int?
        /// The line being typed, kept while browsing history.
        public var draft = ""
        /// The filter kept when the `/` line was opened, and the customer then selected: Esc goes back to them.
        public var kept: Filter?
        public var keptRowID: Int64?
    }

    /// A message on the status line until the next key.
    public struct Notice: Sendable, Equatable {
        public var text: String
        public var isError: Bool

        public init(text: String, isError: Bool) {
            self.text = text
            self.isError = isError
        }
    }

    public var width: Int
    public var height: Int
    public var storePath: String
    public var region: String
    public var theme: Theme

    public var customers: CustomerCatalog?
    public var customersLoad: LoadPhase = .loading(0)
    public var devices: DeviceCatalog?
    /// nil until a device view is first shown.
    public var devicesLoad: LoadPhase?

    public var view: ListKind = .customers
    public var positions: [ListKind: Position] = [:]
    public var filters: [ListKind: Filter] = [:]
    /// Screens opened over the lists, the last on top.
    public var screens: [Screen] = []
    public var prompt: Prompt?
    public var history: [String] = []
    /// Templates kept with Enter in the preview, oldest first; and the template of the last preview.
    public var templateHistory: [String] = []
    public var lastTemplate = ""
    /// The customer whose masked values are shown in clear in the list, until the selection moves.
    public var revealedRowID: Int64?
    /// The customer just edited: the next reload keeps the selection on it (or says where it went).
    public var followRowID: Int64?
    public var notice: Notice?
    /// Whether an import is running (its screen may be closed).
    public var importRunning = false
    /// The latest progress of the running import, kept when its screen is closed.
    public var importStatus: ImportProgress?
    /// The import's progress as shown, 0...1: the highest `overall` reported so far.
    public var importShown = 0.0
    public var nextGeneration = 1
    /// A count typed before a move (`5j`), until the move.
    public var count: Int?
    /// Counts timer ticks, for spinners.
    public var tick = 0
    public var quitting = false
    /// Whether `q` was pressed during an import and the console asks whether to quit when it finishes.
    public var confirmingQuit = false
    /// Whether the console quits as soon as the running import finishes.
    public var quitAfterImport = false
    /// What to tell the operator on the shell after the console closed (an import's outcome).
    public var exitMessage: String?
    /// The exit status when quitting: 0, or 130 after Ctrl-C (as an interrupt by SIGINT).
    public var exitStatus: Int32 = 0
    /// Columns, sorts, frequency tables and live refresh.
    public var browser = BrowserState()
    /// Changes sent to the store and not yet reported back (edits, field changes, segments, exports).
    public var writesInFlight = 0
    /// Whether `q` was pressed while changes were being written: the console quits once they are.
    public var quitAfterWrites = false

    public init(width: Int, height: Int, storePath: String, region: String, theme: Theme = .builtIn) {
        self.width = width
        self.height = height
        self.storePath = storePath
        self.region = region
        self.theme = theme
    }

    /// Rows of the list area (between the column titles and the prompt or status line).
    public var listHeight: Int { max(1, height - 3 - (prompt != nil ? 1 : 0)) }

    /// Rows of a pane (between the title bar and the prompt or status line).
    public var paneHeight: Int { max(1, height - 2 - (prompt != nil ? 1 : 0)) }

    /// Whether something is under way that a spinner should show.
    public var isBusy: Bool {
        if case .loading = customersLoad { return true }
        if case .loading = devicesLoad { return true }
        return importRunning || filters.values.contains { $0.pending } || browser.isBusy
    }

    /// The position in `kind`'s list.
    public func position(_ kind: ListKind) -> Position { positions[kind] ?? Position() }

    /// The rows `kind` shows now: filtered when a filter has results.
    public func rows(_ kind: ListKind) -> RowList {
        if let sorted = sortedRows(kind) { return .indices(sorted) }
        return unsortedRows(kind)
    }

    /// The rows `kind` shows before any sort: filtered when a filter has results.
    public func unsortedRows(_ kind: ListKind) -> RowList {
        if let filtered = filters[kind]?.rows { return .indices(filtered) }
        switch kind {
        case .customers: return .all(customers?.workingSet.count ?? 0)
        case .email: return .indices(customers?.emailRows ?? [])
        case .sms: return .indices(customers?.smsRows ?? [])
        case .devices: return .all(devices?.devices.count ?? 0)
        case .push: return .indices(devices?.pushRows ?? [])
        }
    }

    /// The rows of `kind` before any filter.
    public func totalCount(_ kind: ListKind) -> Int {
        switch kind {
        case .customers: return customers?.workingSet.count ?? 0
        case .email: return customers?.emailRows.count ?? 0
        case .sms: return customers?.smsRows.count ?? 0
        case .devices: return devices?.devices.count ?? 0
        case .push: return devices?.pushRows.count ?? 0
        }
    }

    /// The working-set row selected in the current list, when it lists customers.
    public var selectedCustomerRow: Int? {
        guard view.showsCustomers, customers != nil else { return nil }
        let rows = rows(view)
        let selected = position(view).selected
        return selected < rows.count ? rows[selected] : nil
    }

    /// The device selected in the current list, when it lists devices.
    public var selectedDevice: Device? {
        guard !view.showsCustomers, let devices else { return nil }
        let rows = rows(view)
        let selected = position(view).selected
        return selected < rows.count ? devices.devices[rows[selected]] : nil
    }

    /// The key scope of what has the keyboard now.
    public var scope: KeyScope {
        if prompt != nil { return .input }
        return screens.last?.scope ?? .list
    }
}
