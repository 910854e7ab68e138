import RosterCore
import RosterModel
import Testing

@testable import RosterTUI

/// The browser's screens at 80×24 and 120×40, text and style (`Snapshots/NAME.style.txt`).
@Suite("Browser screens at two sizes, text and style")
struct BrowserSnapshotTests {
    static func check(_ name: String, _ keys: [Key], sourceLocation: SourceLocation = #_sourceLocation) {
        for (width, height) in SnapshotTests.sizes {
            let app = SnapshotTests.console(width, height)
            SnapshotTests.press(app, keys)
            Snapshot.checkStyled(
                app.frame(), "\(name)-\(width)x\(height)", theme: app.state.theme, sourceLocation: sourceLocation)
        }
    }

    static func command(_ line: String) -> [Key] { [.character(":")] + Fixtures.typing(line) + [.enter] }

    @Test("columns: chosen with :columns, the cursor's column title highlighted")
    func columns() {
        Self.check(
            "columns", Self.command("columns name,city,birthdate,crmId,consent") + [.character("l"), .character("j")])
    }

    @Test("sorted: the header marks the sort column and direction")
    func sorted() {
        Self.check("sorted", [.character("l"), .character("]"), .character("l"), .character("l")])
    }

    @Test("frequency: values, counts, percentages and bars, the selected value highlighted")
    func frequency() {
        Self.check(
            "frequency",
            [
                .character("l"), .character("l"), .character("l"), .character("l"), .character("l"), .character("F"),
                .character("j"),
            ])
    }

    @Test("scrolled: columns that do not fit, scrolled to the cursor, marked on both sides")
    func scrolled() {
        Self.check(
            "scrolled",
            Self.command("columns externalCode,name,email,phone,city,birthdate,crmId,devices,consent,name")
                + Array(repeating: Key.character("l"), count: 6))
    }
}
