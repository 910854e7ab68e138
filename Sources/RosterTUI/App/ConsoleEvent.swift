import RosterModel

/// Everything that can change the state: keys, resizes, and results of background work.
public enum ConsoleEvent: Sendable {
    case key(Key)
    /// Text pasted (bracketed paste), whole: it goes into the open prompt as typed text.
    case paste(String)
    case resize(width: Int, height: Int)
    /// A timer tick while something is busy (spinners).
    case tick
    case workingSetProgress(Double)
    case workingSetLoaded(CustomerCatalog)
    case workingSetFailed(String)
    case devicesLoaded(DeviceCatalog)
    case devicesFailed(String)
    case detailLoaded(rowID: Int64, Result<CustomerDetail, ConsoleFailure>)
    case filterFinished(FilterResult)
    case deviceGetFinished(request: String, Result<Device, ConsoleFailure>)
    case previewFinished(generation: Int, Result<Template.Rendering, ConsoleFailure>)
    case segmentPreviewFinished(generation: Int, Result<SegmentPreview, ConsoleFailure>)
    case importProgress(ImportProgress)
    case importFinished(Result<ImportReport, ConsoleFailure>)
    case editFinished(rowID: Int64, Result<CustomerDetail, ConsoleFailure>)
    case themeLoaded(Theme, error: String?)
    case importPreviewed(generation: Int, Result<ImportMappingPreview, ConsoleFailure>)
    case fieldsLoaded(Result<[FieldSummary], ConsoleFailure>)
    case fieldChangeChecked(FieldRequest, Result<FieldCheck, ConsoleFailure>)
    /// A field change applied: what it did, as the notice says it.
    case fieldChanged(FieldRequest, Result<String, ConsoleFailure>)
    /// Another process changed the store since the working set was loaded (live refresh).
    case storeChanged
    /// A sort's rows in order (nil when it was cancelled by a newer one).
    case sortFinished(view: ListKind, generation: Int, key: BrowserState.SortKey, rows: [Int32]?)
    case frequencyFinished(generation: Int, Result<FrequencyTable, ConsoleFailure>)
    /// What the backend found about the terminal's clipboard (OSC 52).
    case clipboard(supported: Bool, reason: String)
    /// A reveal asked for with `r` is in the audit log (nil), or could not be recorded: only then are the values
    /// shown.
    case revealRecorded(rowID: Int64, Result<Void, ConsoleFailure>)
    /// The columns remembered in the store for each list (read with the first load).
    case columnsLoaded([ListKind: [String]])
    /// Fields renamed (by another process, or by this console's `:field rename`) since the last load, oldest first,
    /// whether older ones were missed (no longer kept by the store), and the saved segments (a filter may name them):
    /// posted before the working set that has the new names.
    case fieldsRenamed([FieldRename], missedSome: Bool, segments: [SavedSegment])
    case exportProgress(written: Int)
    case exportFinished(Result<ExportReport, ConsoleFailure>)
    case segmentsLoaded(Result<[SavedSegment], ConsoleFailure>)
    /// How many customers a listed segment selects now.
    case segmentCounted(name: String, Result<Int, ConsoleFailure>)
    case segmentSaved(name: String, Result<Int, ConsoleFailure>)
    case segmentDeleted(name: String, Result<Bool, ConsoleFailure>)
    /// A list's columns were remembered in the store (`saveColumns`).
    case columnsSaved
}

/// A failure of background work, as the message the console shows.
public struct ConsoleFailure: Error, Equatable, Sendable {
    public let message: String

    public init(_ message: String) { self.message = message }

    /// The message of any error (a `CustomStringConvertible` error's description; a console failure's own message).
    public init(_ error: any Error) {
        message = (error as? ConsoleFailure)?.message ?? String(describing: error)
    }
}

/// The rows a filter or search matched on one list.
public struct FilterResult: Sendable {
    public let generation: Int
    public let view: ListKind
    public let rows: [Int32]
    public let mode: ConsoleState.Filter.Mode

    public init(generation: Int, view: ListKind, rows: [Int32], mode: ConsoleState.Filter.Mode) {
        self.generation = generation
        self.view = view
        self.rows = rows
        self.mode = mode
    }
}
