/// A one-line text editor: the filter, the command line and the template of a preview.
///
/// It edits by grapheme cluster (what a reader sees as one character: `é` written as `e` and U+0301, a flag,
/// a ZWJ family, a Hindi syllable): the cursor always stands between two clusters, and a combining mark or
/// a second regional indicator typed (or pasted) after a character joins it, as it does on screen.
public struct TextInput: Equatable, Sendable {
    /// The text typed so far.
    public private(set) var text: String
    /// The cursor as a UTF-8 offset into `text`, always on a cluster boundary.
    private var offset: Int

    public init(_ text: String = "") {
        self.text = text
        offset = text.utf8.count
    }

    /// The cursor, in grapheme clusters from the start.
    public var cursor: Int { text[..<index].count }

    private var index: String.Index { text.utf8.index(text.utf8.startIndex, offsetBy: offset) }

    /// The first cluster boundary at or after UTF-8 offset `position`: a cursor left inside a cluster (a mark
    /// that joined the character before it) moves to the cluster's end.
    private static func boundary(atOrAfter position: Int, in text: String) -> Int {
        var used = 0
        for character in text {
            if used >= position { return used }
            used += character.utf8.count
        }
        return used
    }

    private mutating func setText(_ newText: String, cursorAt position: Int) {
        text = newText
        offset = Self.boundary(atOrAfter: max(0, position), in: newText)
    }

    /// Inserts a character at the cursor.
    public mutating func insert(_ character: Character) {
        insert(String(character))
    }

    /// Inserts text at the cursor (a paste): the cursor ends after it.
    public mutating func insert(_ string: String) {
        let before = text[..<index]
        setText(before + string + text[index...], cursorAt: before.utf8.count + string.utf8.count)
    }

    /// Deletes the cluster before the cursor; false when there was none.
    @discardableResult
    public mutating func backspace() -> Bool {
        guard offset > 0 else { return false }
        let start = text.index(before: index)
        let position = text.utf8.distance(from: text.utf8.startIndex, to: start)
        setText(String(text[..<start]) + text[index...], cursorAt: position)
        return true
    }

    /// Deletes the cluster under the cursor.
    public mutating func deleteForward() {
        guard index < text.endIndex else { return }
        let end = text.index(after: index)
        setText(String(text[..<index]) + text[end...], cursorAt: offset)
    }

    /// Moves the cursor by `count` clusters, within the text.
    public mutating func move(_ count: Int) {
        var position = index
        if count > 0 {
            for _ in 0..<count where position < text.endIndex { position = text.index(after: position) }
        } else {
            for _ in 0..<(-count) where position > text.startIndex { position = text.index(before: position) }
        }
        offset = text.utf8.distance(from: text.utf8.startIndex, to: position)
    }

    /// Moves the cursor to the start.
    public mutating func home() { offset = 0 }

    /// Moves the cursor to the end.
    public mutating func end() { offset = text.utf8.count }

    /// Deletes everything before the cursor (Ctrl-U).
    public mutating func killToStart() {
        setText(String(text[index...]), cursorAt: 0)
    }

    /// Deletes the word before the cursor (Ctrl-W).
    public mutating func killWord() {
        let characters = Array(text[..<index])
        var start = characters.count
        while start > 0 && characters[start - 1] == " " { start -= 1 }
        while start > 0 && characters[start - 1] != " " { start -= 1 }
        let kept = String(characters[..<start])
        setText(kept + text[index...], cursorAt: kept.utf8.count)
    }

    /// Replaces the text, cursor at the end.
    public mutating func replace(with newText: String) {
        text = newText
        offset = newText.utf8.count
    }

    /// Draws `label` and the text into one row, the cursor as a selected cell, scrolled to keep it visible.
    public func render(label: String, into buffer: inout CellBuffer, at rect: Rect, slot: Slot = .body) {
        buffer.fill(Rect(x: rect.x, y: rect.y, width: rect.width, height: 1), slot: slot)
        let used = buffer.put(label, x: rect.x, y: rect.y, limit: rect.width, slot: .accent)
        let room = rect.width - used - 1
        guard room > 0 else { return }
        let before = String(text[..<index])
        let after = String(text[index...])
        let shownBefore = TextWidth.suffix(before, fitting: room)
        var x = rect.x + used
        x += buffer.put(shownBefore, x: x, y: rect.y, limit: room, slot: slot)
        let cursorCharacter = after.first.map(String.init) ?? " "
        let cursorWidth = buffer.put(cursorCharacter, x: x, y: rect.y, limit: rect.x + rect.width - x, slot: .selection)
        x += cursorWidth
        buffer.put(String(after.dropFirst()), x: x, y: rect.y, limit: rect.x + rect.width - x, slot: slot)
    }
}
