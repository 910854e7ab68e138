import RosterCore
import RosterModel
import Testing

@testable import RosterTUI

/// The list as a browser: columns, sorts, frequency tables, export and copy, driven through the real update and
/// runtime over the fake store (background work inline).
@Suite("browser: columns, sort, frequency, export, copy")
struct BrowserTests {
    static func console(_ width: Int = 120, _ height: Int = 24) -> (ConsoleApp, FakeConsoleStore) {
        let store = FakeConsoleStore()
        let runtime = ConsoleRuntime(
            store: store, events: EventQueue(), themes: ThemeCatalog(directories: []), inline: true)
        let app = ConsoleApp(
            state: ConsoleState(width: width, height: height, storePath: Fixtures.storePath, region: "eu"),
            runtime: runtime)
        app.start()
        app.drain()
        return (app, store)
    }

    static func press(_ app: ConsoleApp, _ keys: [Key]) {
        for key in keys {
            app.send(.key(key))
            app.drain()
        }
    }

    static func command(_ app: ConsoleApp, _ line: String) {
        press(app, [.character(":")] + Fixtures.typing(line) + [.enter])
    }

    static func names(_ app: ConsoleApp) -> [String?] {
        let state = app.state
        let rows = state.rows(state.view)
        return (0..<rows.count).map { state.customers?.name(rows[$0]) }
    }

    @Test(":columns sets the columns (identifiers and fields), is remembered, and an unknown name is refused")
    func columns() {
        let (app, store) = Self.console()
        Self.command(app, "columns name,city,birthdate,crmId")
        #expect(app.state.browser.columns[.customers] == [.field("name"), .field("city"), .field("birthdate"), .crmId])
        #expect(store.savedColumnsByKind[.customers] == ["name", "city", "birthdate", "crmId"])
        let header = app.frame().lines[1]
        #expect(header.contains("name") && header.contains("city") && header.contains("birthdate"))
        #expect(!header.contains("externalCode"))
        #expect(app.frame().lines[2].contains("Sevilla") && app.frame().lines[2].contains("1990-03-12"))

        Self.command(app, "columns name,nmae")
        #expect(app.state.notice?.isError == true)
        #expect(app.state.notice?.text.contains("no column \"nmae\"") == true)
        #expect(app.state.browser.columns[.customers]?.count == 4, "a refused :columns changes nothing")

        Self.command(app, "columns")
        guard case .text(let pane) = app.state.screens.last else {
            Issue.record("`:columns` alone opens the list of columns")
            return
        }
        let listed = pane.lines.map { $0.spans.map(\.text).joined() }.joined(separator: "\n")
        for name in ["externalCode", "crmId", "email", "phone", "devices", "consent", "* city", "* name"] {
            #expect(listed.contains(name), "\(name) is listed")
        }
    }

    @Test("h l move the column cursor, - hides its column; remembered columns come back at start")
    func cursorAndHide() {
        let (app, store) = Self.console()
        Self.press(app, [.character("l"), .right, .character("h")])
        #expect(ListTable.cursor(.customers, app.state) == 1)
        Self.press(app, [.character("-")])
        #expect(ListTable.columns(.customers, app.state) == [.externalCode, .email, .phone, .devices, .consent])
        #expect(store.savedColumnsByKind[.customers] == ["externalCode", "email", "phone", "devices", "consent"])
        for _ in 0..<5 { Self.press(app, [.character("-")]) }
        #expect(ListTable.columns(.customers, app.state).count == 1)
        #expect(app.state.notice?.isError == true, "the last column stays")
        Self.press(app, [.left, .left, .character("h")])
        #expect(ListTable.cursor(.customers, app.state) == 0)

        var state = ConsoleState(width: 80, height: 24, storePath: Fixtures.storePath, region: "eu")
        _ = ConsoleUpdate.apply(
            .columnsLoaded([.customers: ["name", "crmId"], .devices: ["platform", "nope"]]), to: &state)
        #expect(state.browser.columns[.customers] == [.field("name"), .crmId])
        #expect(state.browser.columns[.devices] == [.platform])
    }

    @Test("a field renamed by another process: columns, sort, filter and a frequency table follow it; columns saved")
    func followsRename() {
        let (app, store) = Self.console()
        Self.command(app, "columns externalCode,city,name")
        Self.press(app, [.character("l"), .character("[")])
        Self.press(app, [.character("/")] + Fixtures.typing("name ~ \"a\"") + [.enter])
        Self.press(app, [.character("F")])
        let renames = [
            FieldRename(number: 1, from: "city", to: "town", name: "Town"),
            FieldRename(number: 2, from: "name", to: "city", name: "city"),
        ]
        app.send(.fieldsRenamed(renames, missedSome: false, segments: []))
        app.drain()
        #expect(app.state.browser.columns[.customers] == [.externalCode, .field("town"), .field("city")])
        #expect(app.state.browser.sorts[.customers]?.column == .field("town"))
        #expect(app.state.filters[.customers]?.text == "city ~ \"a\"")
        // What the store remembers was renamed by the rename: saving here would undo another console's later choice.
        #expect(store.savedColumnsByKind[.customers] == ["externalCode", "city", "name"])
        #expect(app.state.notice?.text == "field renamed: city is now Town, name is now city")
        guard case .frequency(let pane) = app.state.screens.last else {
            Issue.record("the frequency table stays open")
            return
        }
        #expect(pane.title == "Town" && pane.column == .field("town"))
        // Its entries were counted before the rename: the filter applied names the field as it is now.
        Self.press(app, [.enter])
        let filter = app.state.filters[.customers]?.text ?? ""
        let kept = "(city ~ \"a\") and "
        let condition = filter.dropFirst(kept.count)
        #expect(filter.hasPrefix(kept) && condition.contains("Town") && !condition.contains("city"), "\(filter)")
    }

    @Test("renames are followed once: none at the first load (its names are the store's), then only newer ones")
    func renamesSeenOnce() {
        let watch = StoreWatch()
        let first = FieldRename(number: 7, from: "city", to: "town", name: "town")
        let second = FieldRename(number: 8, from: "town", to: "city", name: "City")
        #expect(watch.newRenames([first]).renames.isEmpty)
        #expect(watch.newRenames([first]).renames.isEmpty)
        #expect(watch.newRenames([first, second]) == ([second], false))
        #expect(watch.newRenames([first, second]) == ([], false))
        // The store no longer keeps number 9: this console cannot know what it renamed.
        let tenth = FieldRename(number: 10, from: "a", to: "b", name: "b")
        #expect(watch.newRenames([tenth]) == ([tenth], true))
    }

    @Test("the status line says each renamed field's first name and last; missed renames are said as such")
    func renameNotice() {
        let swap = [("a", "tmp"), ("b", "a"), ("tmp", "b")].enumerated().map {
            FieldRename(number: $0.offset + 1, from: $0.element.0, to: $0.element.1, name: $0.element.1.uppercased())
        }
        #expect(ConsoleUpdate.chains(swap) == "a is now B, b is now A")
        let chain = (1..<6).map { FieldRename(number: $0, from: "x\($0)", to: "x\($0 + 1)", name: "x\($0 + 1)") }
        #expect(ConsoleUpdate.chains(chain) == "x1 is now x6")
        let back = [
            FieldRename(number: 1, from: "t2", to: "x", name: "x"),
            FieldRename(number: 2, from: "x", to: "t2", name: "t2"),
        ]
        #expect(ConsoleUpdate.chains(back).isEmpty)
        #expect(ConsoleFailure(ConsoleFailure("gone")).message == "gone")
        // A filter that names a saved segment is read with the store's segments.
        let town = FieldRename(number: 1, from: "town", to: "tw2", name: "tw2")
        let saved = SavedSegments([SavedSegment(name: "tw", expression: "town = Porto")])
        #expect(ConsoleUpdate.renamed("@tw or town = Porto", town, segments: saved) == "@tw or tw2 = Porto")
        #expect(ConsoleUpdate.renamed("@tw or town = Porto", town, segments: .none) == nil)
        var state = ConsoleState(width: 80, height: 24, storePath: Fixtures.storePath, region: "eu")
        _ = ConsoleUpdate.apply(.fieldsRenamed([], missedSome: true, segments: []), to: &state)
        #expect(state.notice?.isError == true && state.notice?.text.contains("more times than") == true)
    }

    @Test("a field whose name has a comma or a space is named in quotes by :columns and :freq")
    func quotedColumnNames() {
        let customer = Fixtures.customer(1, name: "Ana", fields: ["a b,c": "x", "city": "Lugo"])
        let set = WorkingSet(customers: [customer], deviceCounts: [:])
        let parsed = ListColumn.parse("name,\"A B,C\" 'city'", for: .customers, in: set)
        #expect((try? parsed.get()) == [.field("name"), .field("a b,c"), .field("city")])
        guard case .failure(let unknown) = ListColumn.parse("name,a b,c", for: .customers, in: set) else {
            Issue.record("unquoted, the name is three")
            return
        }
        #expect(unknown.message.contains("no column \"a\""))
        #expect(ColonCommand.parse("freq \"a b,c\"") == .success(.frequency(column: "a b,c", bucket: nil)))
        var state = ConsoleState(width: 80, height: 24, storePath: Fixtures.storePath, region: "eu")
        _ = ConsoleUpdate.apply(.workingSetLoaded(CustomerCatalog(workingSet: set)), to: &state)
        _ = ConsoleUpdate.browserCommand(.frequency(column: "A B,C", bucket: nil), &state)
        guard case .frequency(let pane) = state.screens.last, pane.column == .field("a b,c") else {
            Issue.record(":freq takes the one name whole")
            return
        }
        // The list of columns writes it as :columns takes it, and follows a :columns typed while it is open.
        _ = ConsoleUpdate.browserCommand(.columns(nil), &state)
        _ = ConsoleUpdate.browserCommand(.columns("name,'a b,c'"), &state)
        guard case .text(let listed) = state.screens.last else { return }
        let lines = listed.lines.map { $0.spans.map(\.text).joined() }
        #expect(lines.contains { $0.hasPrefix("* \"a b,c\"") } && lines.contains("  city  text"), "\(lines)")
        #expect(
            ColonCommand.parse("freq \"birth date\" month")
                == .success(.frequency(column: "birth date", bucket: "month")))
    }

    @Test("columns that do not fit scroll horizontally to keep the cursor's column on screen, at any width")
    func horizontalScroll() {
        let (app, _) = Self.console(40, 10)
        Self.command(app, "columns externalCode,name,email,phone,city,birthdate,crmId")
        for step in 0..<7 {
            let layout = ListTable.layout(app.state, .customers, width: 38)
            #expect(layout.widths[step] > 0, "column \(step) is shown when the cursor is on it")
            if step > 0 { #expect(layout.moreLeft || layout.widths[0] > 0) }
            Self.press(app, [.character("l")])
        }
        let header = app.frame().lines[1]
        #expect(header.hasPrefix("‹"), "columns left out on the left are marked: \(header)")
        #expect(header.contains("crmId"))
        for width in [1, 2, 5, 19, 20, 21, 25] {
            for height in [1, 2, 4, 5] {
                app.send(.resize(width: width, height: height))
                for key in [Key.character("l"), .character("h"), .character("l"), .character("l")] {
                    app.send(.key(key))
                    let frame = app.frame()
                    #expect(frame.width == width && frame.height == height)
                }
            }
        }
    }

    @Test("[ and ] sort by the cursor's column in the background, keep the selected customer, mark the header")
    func sort() {
        let (app, _) = Self.console()
        Self.press(app, [.character("j"), .character("j")])  // 山田太郎
        let selected = ConsoleUpdate.selectedRowID(.customers, app.state)
        Self.press(app, [.character("l")])
        let effects = ConsoleUpdate.update(app.state, .key(.character("["))).1
        #expect(effects.contains { if case .sort = $0 { return true } else { return false } })
        Self.press(app, [.character("[")])
        #expect(
            Self.names(app) == [
                "Ana 🎉 Party", "José García", "Mallory\u{1B}[2J\u{1B}]0;pwned\u{07}", "Zoë Smith", "山田太郎", nil,
            ])
        #expect(ConsoleUpdate.selectedRowID(.customers, app.state) == selected, "still on the same customer")
        #expect(app.frame().lines[1].contains("name▲"))
        Self.press(app, [.character("]")])
        #expect(Self.names(app).first == "山田太郎")
        #expect(Self.names(app).last! == nil, "missing values last, descending too")
        #expect(app.frame().lines[1].contains("name▼"))
        #expect(ConsoleUpdate.selectedRowID(.customers, app.state) == selected)

        // A filter re-sorts its rows; clearing it sorts the whole list again.
        Self.press(app, [.character("/")] + Fixtures.typing("example") + [.enter])
        #expect(Self.names(app) == ["山田太郎", "Zoë Smith", "José García", nil])
        Self.press(app, [.escape])
        #expect(Self.names(app).count == 6 && Self.names(app).first == "山田太郎")
    }

    @Test("a newer sort supersedes a running one; its late result is ignored")
    func superseded() {
        var state = Fixtures.loadedState()
        let first = ConsoleUpdate.apply(.key(.character("[")), to: &state)
        let second = ConsoleUpdate.apply(.key(.character("]")), to: &state)
        guard case .sort(let old)? = first.first, case .sort(let new)? = second.first else {
            Issue.record("each key starts a sort")
            return
        }
        #expect(state.isSorting(.customers))
        _ = ConsoleUpdate.apply(
            .sortFinished(view: .customers, generation: old.generation, key: old.key, rows: [5, 4, 3, 2, 1, 0]),
            to: &state)
        #expect(state.sortedRows(.customers) == nil, "the superseded result is dropped")
        let rows = ListSorter.sort(new, store: FakeConsoleStore()) { false }
        _ = ConsoleUpdate.apply(
            .sortFinished(view: .customers, generation: new.generation, key: new.key, rows: rows), to: &state)
        #expect(!state.isSorting(.customers))
        #expect(state.sortedRows(.customers) == rows)
        #expect(ListSorter.sort(new, store: FakeConsoleStore()) { true } == nil, "a cancelled sort gives nothing")
    }

    @Test("F on the email column counts consent, never addresses, and its title says so")
    func frequencyOfEmailIsConsent() {
        let (app, _) = Self.console()
        for _ in 0..<2 { Self.press(app, [.character("l")]) }
        Self.press(app, [.character("F")])
        guard case .frequency(let pane) = app.state.screens.last, let table = pane.table else {
            Issue.record("F opens a computed frequency table")
            return
        }
        #expect(Set(table.entries.map(\.value)).isSubset(of: ["on", "off", "(no email)"]))
        #expect(table.entries.reduce(0) { $0 + $1.count } == 6)
        let frame = app.frame().lines.joined(separator: "\n")
        #expect(frame.contains("Frequency · email consent"))
        #expect(!frame.contains("@"), "no address is shown")
    }

    @Test("F counts the cursor's column, most frequent first; Enter filters the list by the value")
    func frequency() {
        let (app, _) = Self.console()
        // The consent column: marks per customer.
        for _ in 0..<5 { Self.press(app, [.character("l")]) }
        Self.press(app, [.character("F")])
        guard case .frequency(let pane) = app.state.screens.last, let table = pane.table else {
            Issue.record("F opens a computed frequency table")
            return
        }
        #expect(table.total == 6)
        #expect(table.entries.map(\.count) == table.entries.map(\.count).sorted(by: >))
        #expect(table.entries.reduce(0) { $0 + $1.count } == 6)
        let frame = app.frame().lines.joined(separator: "\n")
        #expect(frame.contains("Frequency · consent"))
        #expect(frame.contains("%") && frame.contains("█"))

        Self.command(app, "freq city")
        guard case .frequency(let city) = app.state.screens.last, let entries = city.table?.entries else {
            Issue.record(":freq city opens the city's table")
            return
        }
        #expect(entries.first?.isMissing == true && entries.first?.count == 5)
        #expect(entries.last?.value == "Sevilla" && entries.last?.filter == "city = \"Sevilla\"")
        Self.press(app, [.character("j"), .enter])
        #expect(app.state.screens.isEmpty)
        #expect(app.state.filters[.customers]?.text == "city = \"Sevilla\"")
        #expect(app.frame().lines.last?.contains("/city = \"Sevilla\"") == true, "the status line shows the filter")
    }

    @Test(":freq birthdate month and year bucket dates (birth months, years) with filters the language reads")
    func dateBuckets() {
        let (app, _) = Self.console()
        Self.command(app, "freq birthdate month")
        guard case .frequency(let pane) = app.state.screens.last, let entries = pane.table?.entries else {
            Issue.record(":freq birthdate month opens a table")
            return
        }
        #expect(
            entries.contains {
                $0.value == "March" && $0.filter == "birthdate month = 3"
            })
        Self.command(app, "freq birthdate year")
        guard case .frequency(let year) = app.state.screens.last else { return }
        #expect(year.table?.entries.contains { $0.value == "1990" && $0.filter == "birthdate year = 1990" } == true)
        Self.command(app, "freq name month")
        #expect(app.state.notice?.isError == true, "buckets are for dates")
        Self.command(app, "freq birthdate week")
        #expect(app.state.notice?.text.contains("unknown bucket") == true)
    }

    @Test("on the Devices view, F counts platforms and Enter lists the devices of one platform")
    func deviceFrequency() {
        let (app, _) = Self.console()
        Self.press(app, [.tab])
        app.drain()
        Self.press(app, [.character("l"), .character("F")])
        guard case .frequency(let pane) = app.state.screens.last, let entries = pane.table?.entries else {
            Issue.record("F on the platform column opens its table")
            return
        }
        #expect(entries.map(\.value) == ["android", "ios", "webpush"], "equal counts in the order of their values")
        let index = entries.firstIndex { $0.value == "ios" }!
        for _ in 0..<index { Self.press(app, [.character("j")]) }
        Self.press(app, [.enter])
        #expect(app.state.filters[.devices]?.text == "platform = \"ios\"")
        #expect(app.state.rows(.devices).count == 1)
        #expect(app.state.selectedDevice?.platform == .ios)
    }

    @Test(":export writes the list as shown (filtered, sorted, its columns), ~ expanded, with a notice")
    func export() {
        let (app, store) = Self.console()
        Self.press(app, [.character("l"), .character("]")])
        Self.press(app, [.character("/")] + Fixtures.typing("example") + [.enter])
        Self.command(app, "export ~/out.csv")
        guard let request = store.exports.last else {
            Issue.record("the export reached the store")
            return
        }
        #expect(!request.path.hasPrefix("~"))
        #expect(request.format == "csv")
        #expect(request.columns == ListTable.columns(.customers, app.state))
        #expect(request.rows == app.state.rows(.customers))
        #expect(request.titles == ["externalCode", "name", "email", "phone", "devices", "consent"])
        #expect(request.cells(0)[2] == "yamada@example.jp", "the file holds values in clear")
        #expect(app.state.notice?.text.contains("exported 4 customers to ~/out.csv") == true)
        #expect(app.state.browser.export == nil)
        #expect(ExportRequest.csvLine(["a,b", "say \"hi\"", "x"]) == "\"a,b\",\"say \"\"hi\"\"\",x\n")
        Self.command(app, "export out.jsonl")
        #expect(store.exports.last?.format == "jsonl")
    }

    @Test(
        "y copies the externalCode; a masked value only once revealed, and audited; a terminal without OSC 52 is told")
    func copy() {
        var state = Fixtures.loadedState()
        _ = ConsoleUpdate.apply(.clipboard(supported: false, reason: "this terminal cannot"), to: &state)
        #expect(Fixtures.press([.character("y")], &state).isEmpty)
        #expect(state.notice?.text == "this terminal cannot")
        _ = ConsoleUpdate.apply(.clipboard(supported: true, reason: ""), to: &state)
        var effects = Fixtures.press([.character("y")], &state)
        guard case .copy(let code)? = effects.first else {
            Issue.record("y copies")
            return
        }
        #expect(code == Fixtures.customers[0].externalCode)
        Fixtures.press([.character("l"), .character("l")], &state)  // the email column
        effects = Fixtures.press([.character("y")], &state)
        #expect(effects.isEmpty && state.notice?.isError == true, "a masked email is never copied")
        Fixtures.press([.character("r")], &state)
        effects = Fixtures.press([.character("y")], &state)
        #expect(
            effects.contains { if case .copy("jose.garcia@example.com") = $0 { return true } else { return false } })
        #expect(
            effects.contains { if case .recordCopy(rowID: 1, what: "email") = $0 { return true } else { return false } }
        )
    }

    @Test("every new key has a line in help")
    func help() {
        let help = HelpView.lines().map { $0.spans.map(\.text).joined() }.joined(separator: "\n")
        for key in ["h ←", "l →", "-", "[", "]", "F", "y", ":columns", ":freq", ":export"] {
            #expect(help.contains(key), "help lists \(key)")
        }
    }

    @Test("the frequency table, a sorted list and the columns list draw at every size down to one row")
    func tinySizes() {
        let (app, _) = Self.console()
        Self.press(app, [.character("]"), .character("F")])
        for (width, height) in [(80, 1), (80, 2), (80, 3), (80, 4), (20, 4), (21, 5), (1, 1), (200, 60)] {
            app.send(.resize(width: width, height: height))
            let frame = app.frame()
            #expect(frame.width == width && frame.height == height)
            if height >= 4 && width >= 20 { #expect(frame.lines[0].contains("Frequency")) }
            app.send(.key(.character("j")))
            _ = app.frame()
        }
        app.send(.resize(width: 80, height: 24))
        Self.press(app, [.escape])
        Self.command(app, "columns")
        for (width, height) in [(80, 1), (20, 4), (3, 2)] {
            app.send(.resize(width: width, height: height))
            #expect(app.frame().height == height)
        }
    }
}
