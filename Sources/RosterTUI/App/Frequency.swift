import RosterModel

/// The frequency table pane: the table once computed, and the selected entry.
public struct FrequencyScreen: Sendable {
    public var kind: ListKind
    public var column: ListColumn
    /// The column as the title says it.
    public var title: String
    /// How a date column is grouped (nil: each value).
    public var bucket: DateBucket?
    public var generation: Int
    public var table: FrequencyTable?
    public var error: String?
    public var selected = 0
    public var top = 0
    /// Renames of the column since the table was counted, oldest first: its entries' filters name the old field.
    public var renames: [FieldRename] = []

    /// Moves the selection for a list move key, `page` rows a page.
    mutating func move(_ action: ConsoleAction, page: Int) {
        let count = table?.entries.count ?? 0
        switch action {
        case .moveDown: selected += 1
        case .moveUp: selected -= 1
        case .pageDown: selected += page
        case .pageUp: selected -= page
        case .halfPageDown: selected += max(1, page / 2)
        case .halfPageUp: selected -= max(1, page / 2)
        case .top: selected = 0
        case .bottom: selected = count - 1
        default: break
        }
        selected = max(0, min(selected, count - 1))
    }
}

/// A frequency table to compute for one list's rows.
public struct FrequencyRequest: Sendable {
    public let generation: Int
    public let view: ListKind
    public let column: ListColumn
    public let bucket: DateBucket?
    public let rows: RowList
    public let customers: CustomerCatalog?
    public let devices: DeviceCatalog?
}

/// Lines to read in a pane, scrolled with the list keys.
public struct TextScreen: Sendable {
    public var title: String
    public var lines: [StyledLine]
    public var offset = 0

    public init(title: String, lines: [StyledLine]) {
        self.title = title
        self.lines = lines
    }
}
