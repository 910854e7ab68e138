import RosterCore

/// One cell of the screen: a character and its style slot.
public struct Cell: Equatable, Sendable {
    /// The character drawn here; for the right half of a wide character, a space never drawn.
    public var character: Character
    public var slot: Slot
    /// Whether this cell is the right half of the wide character to its left.
    public var isContinuation: Bool

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
                if cells == 2 { set(column + 1, y, Cell(" ", slot: slot, isContinuation: true)) }
            }
            column += cells
        }
        return max(0, min(column, end) - x)
    }

    /// Gives every cell of a row segment the slot `slot`, filling empty ones with spaces.
    public mutating func fill(_ rect: Rect, slot: Slot, clear: Bool = true) {
        for y in max(0, rect.y)..<min(height, rect.y + rect.height) {
            for x in max(0, rect.x)..<min(width, rect.x + rect.width) {
                if clear {
                    set(x, y, Cell(" ", slot: slot))
                } else {
                    cells[y * width + x].slot = slot
                }
            }
        }
    }

    /// Sets one cell, blanking the other half of any wide character it overwrites.
    private mutating func set(_ x: Int, _ y: Int, _ cell: Cell) {
        guard x >= 0, x < width else { return }
        let index = y * width + x
        let old = cells[index]
        if old.isContinuation && !cell.isContinuation && x > 0 {
            cells[index - 1] = Cell(" ", slot: cells[index - 1].slot)
        }
        if !old.isContinuation && x + 1 < width && cells[index + 1].isContinuation {
            cells[index + 1] = Cell(" ", slot: cells[index + 1].slot)
        }
        cells[index] = cell
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
