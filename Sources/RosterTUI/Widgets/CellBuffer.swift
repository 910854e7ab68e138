import RosterModel

/// One cell of the screen: a whole grapheme cluster (never a lone scalar of one) and its style slot.
public struct Cell: Equatable, Sendable {
    /// The cluster drawn here, starting in this cell; for the other cells of a wide one, a space never drawn.
    public var character: Character
    public var slot: Slot
    /// Whether this cell is covered by the wide cluster to its left.
    public var isContinuation: Bool
    /// Whether a right-to-left value starts (U+2068, first strong isolate) before this cluster or ends (U+2069,
    /// pop directional isolate) after it: a terminal that reorders bidirectional text then reorders the value
    /// within itself and never the row around it.
    public var isolateStart = false
    public var isolateEnd = false

    public init(_ character: Character = " ", slot: Slot = .body, isContinuation: Bool = false) {
        self.character = character
        self.slot = slot
        self.isContinuation = isContinuation
    }
}

/// A frame of the console: a grid of cells that a backend draws and tests read as lines of text.
///
/// Every text written is escaped first (`TerminalText.escape`), so a control character or an escape
/// sequence in a value can never reach the terminal. A wide character is never split: one that does not
/// fit before the clip edge becomes a space.
public struct CellBuffer: Equatable, Sendable {
    public let width: Int
    public let height: Int
    /// The cells, row by row.
    public private(set) var cells: [Cell]

    /// A buffer filled with blank `body` cells.
    public init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: Cell(), count: self.width * self.height)
    }

    /// The cell at column `x`, row `y`.
    public subscript(x: Int, y: Int) -> Cell {
        cells[y * width + x]
    }

    /// The whole area of the buffer.
    public var bounds: Rect { Rect(x: 0, y: 0, width: width, height: height) }

    /// Writes `text` at (`x`, `y`), clipped to `limit` cells (and to the buffer); returns the cells used.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, limit: Int? = nil, slot: Slot = .body) -> Int {
        guard y >= 0, y < height, x < width else { return 0 }
        let end = min(width, limit.map { x + max(0, $0) } ?? width)
        var column = x
        let isolated = TextWidth.hasRightToLeft(text)
        var first: Int?
        var last: Int?
        defer {
            if isolated, let first, let last {
                cells[y * width + first].isolateStart = true
                cells[y * width + last].isolateEnd = true
            }
        }
        for character in TerminalText.escape(text) {
            let cells = TextWidth.of(character)
            if column + cells > end {
                // A wide character that does not fit leaves a blank, never half a glyph.
                if column < end { set(column, y, Cell(" ", slot: slot)) }
                column += 1
                break
            }
            if column >= 0 {
                set(column, y, Cell(character, slot: slot))
                if first == nil { first = column }
                last = column
                for extra in 1..<max(1, cells) { set(column + extra, y, Cell(" ", slot: slot, isContinuation: true)) }
            }
            column += cells
        }
        return max(0, min(column, end) - x)
    }

    /// Gives every cell of a row segment the slot `slot`, filling empty ones with spaces.
    public mutating func fill(_ rect: Rect, slot: Slot, clear: Bool = true) {
        let (top, bottom) = (max(0, rect.y), min(height, rect.y + rect.height))
        let (left, right) = (max(0, rect.x), min(width, rect.x + rect.width))
        guard top < bottom, left < right else { return }
        for y in top..<bottom {
            for x in left..<right {
                if clear {
                    set(x, y, Cell(" ", slot: slot))
                } else {
                    cells[y * width + x].slot = slot
                }
            }
        }
    }

    /// Sets one cell, blanking the rest of any wide cluster it overwrites part of.
    private mutating func set(_ x: Int, _ y: Int, _ cell: Cell) {
        guard x >= 0, x < width else { return }
        let index = y * width + x
        if cells[index].isContinuation && !cell.isContinuation {
            var lead = x - 1
            while lead > 0 && cells[y * width + lead].isContinuation { lead -= 1 }
            if lead >= 0 { cells[y * width + lead] = Cell(" ", slot: cells[y * width + lead].slot) }
            for left in (lead + 1)..<x { cells[y * width + left] = Cell(" ", slot: cells[y * width + left].slot) }
        }
        if !cells[index].isContinuation || !cell.isContinuation {
            var right = x + 1
            while right < width && cells[y * width + right].isContinuation {
                cells[y * width + right] = Cell(" ", slot: cells[y * width + right].slot)
                right += 1
            }
        }
        cells[index] = cell
    }

    /// The cells the cluster at (`x`, `y`) covers (1 for a continuation cell).
    public func span(x: Int, y: Int) -> Int {
        guard !self[x, y].isContinuation else { return 1 }
        var end = x + 1
        while end < width && self[end, y].isContinuation { end += 1 }
        return end - x
    }

    /// Row `y` as text (the right halves of wide characters left out), trailing spaces removed.
    public func line(_ y: Int) -> String {
        var text = ""
        for x in 0..<width where !self[x, y].isContinuation {
            text.append(self[x, y].character)
        }
        while text.last == " " { text.removeLast() }
        return text
    }

    /// Every row as text, for tests and snapshots.
    public var lines: [String] { (0..<height).map(line) }

    /// The slots of row `y`, one letter per cell (first letter of the slot name), for tests.
    public func slots(_ y: Int) -> String {
        String((0..<width).map { self[$0, y].slot.rawValue.first! })
    }
}
