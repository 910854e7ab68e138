import RosterCore
import RosterModel
import Testing

@testable import RosterTUI

@Suite("Cell buffer, text width and masking")
struct WidgetTests {
    @Test("UTF-8 names: accents take one cell, CJK and emoji two, combining marks none")
    func widths() {
        #expect(TextWidth.of("José") == 4)
        #expect(TextWidth.of("Zoe\u{308}") == 3)
        #expect(TextWidth.of("山田") == 4)
        #expect(TextWidth.of("🎉") == 2)
        #expect(TextWidth.truncate("山田太郎", to: 5) == "山田…")
        #expect(TextWidth.prefix("a山田", fitting: 4) == "a山")
    }

    @Test("a wide character takes two cells and is never split at a clip edge")
    func wideClipping() {
        var buffer = CellBuffer(width: 6, height: 1)
        let used = buffer.put("a山田", x: 0, y: 0, limit: 4)
        #expect(used == 4)
        #expect(buffer.line(0) == "a山")
        #expect(buffer[2, 0].isContinuation)
        #expect(buffer[3, 0].character == " ")
        var edge = CellBuffer(width: 3, height: 1)
        edge.put("ab山", x: 0, y: 0)
        #expect(edge.line(0) == "ab")
        #expect(!edge[2, 0].isContinuation)
    }

    @Test("overwriting half of a wide character blanks the other half")
    func overwriteHalf() {
        var buffer = CellBuffer(width: 4, height: 1)
        buffer.put("山田", x: 0, y: 0)
        buffer.put("x", x: 1, y: 0)
        #expect(buffer.line(0) == " x田")
        buffer.put("y", x: 2, y: 0)
        #expect(buffer.line(0) == " xy")
        #expect(!buffer[3, 0].isContinuation)
    }

    @Test("an escape sequence in text is written escaped, never as control characters")
    func escapes() {
        var buffer = CellBuffer(width: 30, height: 1)
        buffer.put("Mallory\u{1B}[2J\u{07}\u{9B}", x: 0, y: 0)
        #expect(buffer.line(0) == "Mallory^[[2J^G<U+009B>")
        #expect(buffer.cells.allSatisfy { cell in cell.character.unicodeScalars.allSatisfy { $0.value >= 0x20 } })
    }

    @Test("emails and phones are masked as a***@example.com and +34 6** *** *33")
    func masking() {
        #expect(Mask.email("ana@example.com") == "a***@example.com")
        #expect(Mask.phone("+34600112233") == "+34 6** *** *33")
        #expect(Mask.phone("+447700900123") == "+44 7** *** **23")
        #expect(Mask.phone("+390669821234") == "+39 0** *** **34")
    }

    @Test("counts have thousands separators: Customers (1,000,000)")
    func counts() {
        #expect(Format.count(1_000_000) == "1,000,000")
        #expect(Format.count(999) == "999")
        #expect(Format.count(1000) == "1,000")
    }

    @Test("a table shares the width among flexible columns and right-aligns numbers")
    func table() {
        let table = Table(
            columns: [
                TableColumn("a", minimum: 3), TableColumn("b", minimum: 4, weight: 1),
                TableColumn("n", minimum: 3, alignment: .right),
            ], width: 20)
        #expect(table.widths == [3, 12, 3])
        var buffer = CellBuffer(width: 20, height: 1)
        table.renderRow(["abc", "山田太郎 Zoë", "7"], selected: false, into: &buffer, x: 0, y: 0, width: 20)
        #expect(buffer.line(0) == "abc 山田太郎 Zoë   7")
    }

    @Test("the text input edits at the cursor and deletes words")
    func textInput() {
        var input = TextInput("name ~ ana")
        input.move(-3)
        input.insert("\"")
        #expect(input.text == "name ~ \"ana")
        input.end()
        input.killWord()
        #expect(input.text == "name ~ ")
        input.killToStart()
        #expect(input.text.isEmpty)
    }
}
