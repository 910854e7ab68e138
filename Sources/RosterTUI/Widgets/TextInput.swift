/// A one-line text editor: the filter, the command line and the template of a preview.
public struct TextInput: Equatable, Sendable {
    /// The text typed so far.
    public private(set) var text: String
    /// The cursor, in characters from the start.
    public private(set) var cursor: Int

    public init(_ text: String = "") {
        self.text = text
        cursor = text.count
    }

    /// Inserts a character at the cursor.
    public mutating func insert(_ character: Character) {
        let index = text.index(text.startIndex, offsetBy: cursor)
        text.insert(character, at: index)
        cursor += 1
    }

    /// Deletes the character before the cursor; false when there was none.
    @discardableResult
    public mutating func backspace() -> Bool {
        guard cursor > 0 else { return false }
        text.remove(at: text.index(text.startIndex, offsetBy: cursor - 1))
        cursor -= 1
        return true
    }

    /// Deletes the character under the cursor.
    public mutating func deleteForward() {
        guard cursor < text.count else { return }
        text.remove(at: text.index(text.startIndex, offsetBy: cursor))
    }

    /// Moves the cursor by `offset` characters, within the text.
    public mutating func move(_ offset: Int) {
        cursor = min(text.count, max(0, cursor + offset))
    }

    /// Moves the cursor to the start.
    public mutating func home() { cursor = 0 }

    /// Moves the cursor to the end.
    public mutating func end() { cursor = text.count }

    /// Deletes everything before the cursor (Ctrl-U).
    public mutating func killToStart() {
        text.removeFirst(cursor)
        cursor = 0
    }

    /// Deletes the word before the cursor (Ctrl-W).
    public mutating func killWord() {
        var characters = Array(text)
        var start = cursor
        while start > 0 && characters[start - 1] == " " { start -= 1 }
        while start > 0 && characters[start - 1] != " " { start -= 1 }
        characters.removeSubrange(start..<cursor)
        text = String(characters)
        cursor = start
    }

    /// Replaces the text, cursor at the end.
    public mutating func replace(with newText: String) {
        text = newText
        cursor = newText.count
    }

    /// Draws `label` and the text into one row, the cursor as a selected cell, scrolled to keep it visible.
    public func render(label: String, into buffer: inout CellBuffer, at rect: Rect, slot: Slot = .body) {
        buffer.fill(Rect(x: rect.x, y: rect.y, width: rect.width, height: 1), slot: slot)
        let used = buffer.put(label, x: rect.x, y: rect.y, limit: rect.width, slot: .accent)
        let room = rect.width - used - 1
        guard room > 0 else { return }
        let before = String(text.prefix(cursor))
        let after = String(text.dropFirst(cursor))
        let shownBefore = TextWidth.suffix(before, fitting: room)
        var x = rect.x + used
        x += buffer.put(shownBefore, x: x, y: rect.y, limit: room, slot: slot)
        let cursorCharacter = after.first.map(String.init) ?? " "
        let cursorWidth = buffer.put(cursorCharacter, x: x, y: rect.y, limit: rect.x + rect.width - x, slot: .selection)
        x += cursorWidth
        buffer.put(String(after.dropFirst()), x: x, y: rect.y, limit: rect.x + rect.width - x, slot: slot)
    }
}
