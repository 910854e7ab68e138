import RosterModel

/// A customer's detail, opened with Enter.
public struct DetailScreen: Sendable {
    public var rowID: Int64
    public var detail: CustomerDetail?
    public var error: String?
    /// Whether the operator revealed the masked values (`r`); masked again on leaving.
    public var revealed = false
    public var offset = 0
}

/// Personalization preview: a template typed live, rendered for one customer and over a segment.
public struct PreviewScreen: Sendable {
    public var rowID: Int64
    /// Who the preview is for, as the pane's title says it.
    public var subject: String
    public var input = TextInput()
    /// Where Up/Down stand in the template history (nil: the template being typed), and that template.
    public var historyIndex: Int?
    public var draft = ""
    public var generation = 0
    public var result: Template.Rendering?
    public var error: String?
    /// The rows of the filtered list, when the preview was opened on one.
    public var segmentRows: [Int32]?
    public var segmentFilter: String?
    public var segment: SegmentPreview?
    public var segmentError: String?
}

/// What the SDK's deviceGet prints for a device, and its full record.
public struct DeviceGetScreen: Sendable {
    /// The ID asked for.
    public var request: String
    public var device: Device?
    public var error: String?
    public var offset = 0
}

/// An import running or finished.
public struct ImportScreen: Sendable {
    public var kind: String
    public var path: String
    public var progress: ImportProgress?
    public var report: ImportReport?
    public var error: String?
    public var offset = 0
}

/// Something opened over the lists; `Esc` and `q` close the top one.
public enum Screen: Sendable {
    case detail(DetailScreen)
    case preview(PreviewScreen)
    case deviceGet(DeviceGetScreen)
    case importing(ImportScreen)
    case help(offset: Int)
    /// The mapping step of an import, before it runs.
    case importMapping(ImportMappingScreen)
    case fields(FieldsScreen)
    /// A frequency table (`F`, `:freq`).
    case frequency(FrequencyScreen)
    /// Lines to read (`:columns` lists the available columns).
    case text(TextScreen)
    case segments(SegmentsScreen)

    /// The key scope this screen takes keys in.
    var scope: KeyScope {
        switch self {
        case .detail: return .detail
        case .preview: return .input
        case .deviceGet, .importing, .help, .importMapping, .fields, .frequency, .text, .segments: return .pane
        }
    }
}
