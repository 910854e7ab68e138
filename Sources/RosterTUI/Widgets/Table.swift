import RosterModel

/// A column of a table: a title and how wide it may be.
public struct TableColumn: Equatable, Sendable {
    public enum Alignment: Sendable { case left, right }

    public var title: String
    /// The width the column gets before flexible columns share what is left.
    public var minimum: Int
    /// How much of the remaining width this column takes, relative to the others (0: fixed).
    public var weight: Int
    /// The widest the column grows.
    public var maximum: Int
    public var alignment: Alignment
    /// Whether the column keeps its width longest on a narrow terminal (names): the others shrink first.
    public var keeps: Bool
    /// When the columns do not fit, those with a rank are left out, lowest rank first, before any shrinks.
    public var dropRank: Int?

    public init(
        _ title: String, minimum: Int, weight: Int = 0, maximum: Int = .max, alignment: Alignment = .left,
        keeps: Bool = false, dropRank: Int? = nil
    ) {
        self.title = title
        self.minimum = minimum
        self.weight = weight
        self.maximum = maximum
        self.alignment = alignment
        self.keeps = keeps
        self.dropRank = dropRank
    }

    /// The column widened to fit `texts` (the cells on screen), up to `limit` cells.
    public func fitting(_ texts: [String], limit: Int) -> TableColumn {
        var column = self
        let widest = texts.reduce(TextWidth.of(title)) { max($0, TextWidth.of($1)) }
        column.minimum = max(minimum, min(limit, widest))
        column.maximum = max(maximum, column.minimum)
        return column
    }
}

/// Lays out columns across a width and draws the rows it is given: only the visible ones are ever asked for.
public struct Table: Sendable {
    public let columns: [TableColumn]
    /// The width of each column for the width laid out (0: left out).
    public let widths: [Int]

    /// Lays `columns` out across `width` cells, one space between columns.
    public init(columns: [TableColumn], width: Int) {
        self.columns = columns
        var widths = columns.map(\.minimum)
        // Narrow terminal: leave out the optional columns (channels, counts) so names keep room.
        var shown = Set(columns.indices)
        func needed() -> Int { shown.reduce(0) { $0 + widths[$1] } + max(0, shown.count - 1) }
        let droppable = columns.indices.filter { columns[$0].dropRank != nil }.sorted {
            columns[$0].dropRank! < columns[$1].dropRank!
        }
        for index in droppable where needed() > width {
            shown.remove(index)
            widths[index] = 0
        }
        let gaps = max(0, shown.count - 1)
        var spare = width - gaps - widths.reduce(0, +)
        if spare < 0 {
            // Narrow terminal: the columns that do not keep their width (identifiers, channels) shrink first,
            // flexible ones before fixed ones, each down to 3 cells; names give way last.
            let order = columns.indices.sorted {
                (columns[$0].keeps ? 1 : 0, -columns[$0].weight) < (columns[$1].keeps ? 1 : 0, -columns[$1].weight)
            }
            for index in order where spare < 0 && shown.contains(index) {
                let cut = min(-spare, max(0, widths[index] - 3))
                widths[index] -= cut
                spare += cut
            }
        }
        while spare > 0 {
            let growing = shown.sorted().filter { columns[$0].weight > 0 && widths[$0] < columns[$0].maximum }
            guard !growing.isEmpty else { break }
            let totalWeight = growing.reduce(0) { $0 + columns[$1].weight }
            var handed = 0
            for index in growing {
                let share = max(1, spare * columns[index].weight / totalWeight)
                let grant = min(share, columns[index].maximum - widths[index], spare - handed)
                widths[index] += grant
                handed += grant
            }
            if handed == 0 { break }
            spare -= handed
        }
        self.widths = widths
    }

    /// Draws the column titles on row `y`.
    public func renderHeader(into buffer: inout CellBuffer, x: Int, y: Int, width: Int) {
        buffer.fill(Rect(x: x, y: y, width: width, height: 1), slot: .header)
        renderCells(columns.map(\.title), slots: nil, slot: .header, into: &buffer, x: x, y: y)
    }

    /// Draws one row of cell texts on row `y`; `slots` colours single cells unless the row is selected.
    public func renderRow(
        _ texts: [String], slots: [Slot]? = nil, selected: Bool, into buffer: inout CellBuffer, x: Int, y: Int,
        width: Int
    ) {
        let rowSlot: Slot = selected ? .selection : .body
        buffer.fill(Rect(x: x, y: y, width: width, height: 1), slot: rowSlot)
        renderCells(texts, slots: selected ? nil : slots, slot: rowSlot, into: &buffer, x: x, y: y)
    }

    private func renderCells(
        _ texts: [String], slots: [Slot]?, slot: Slot, into buffer: inout CellBuffer, x: Int, y: Int
    ) {
        var column = x
        for (index, width) in widths.enumerated() where index < texts.count && width > 0 {
            let text = TextWidth.truncate(TerminalText.escape(texts[index]), to: width)
            let pad = columns[index].alignment == .right ? width - TextWidth.of(text) : 0
            buffer.put(text, x: column + pad, y: y, limit: width - pad, slot: slots?[index] ?? slot)
            column += width + 1
        }
    }
}
