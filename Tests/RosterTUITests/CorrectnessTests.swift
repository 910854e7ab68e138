import Foundation
import RosterCore
import RosterModel
import Testing

@testable import RosterTUI

/// The console correctness issues: grapheme clusters in prompts and cells, tiny terminals, edits that stay on
/// the customer they were made for, filter errors, shipped themes, and keys that must not be lost.
@Suite("console correctness")
struct CorrectnessTests {
    /// Texts of several scripts and emoji, each typed one scalar at a time as a terminal delivers them.
    static let scripts = [
        "e\u{301}", "🇪🇸🇯🇵", "👍🏽", "👨\u{200D}👩\u{200D}👧", "नमस्ते", "สวัสดี", "प्रिया शर्मा", "שלום",
    ]

    static func scalarKeys(_ text: String) -> [Key] {
        text.unicodeScalars.map { Key.character(Character($0)) }
    }

    @Test("typing a cluster one scalar at a time joins it; the cursor stays on cluster boundaries")
    func typingScalars() {
        for text in Self.scripts {
            var input = TextInput()
            for scalar in text.unicodeScalars { input.insert(Character(scalar)) }
            input.insert("x")
            #expect(input.text == text + "x", "\(text)")
            #expect(input.cursor == (text + "x").count)
            input.move(-1)
            input.move(-100)
            input.insert("<")
            #expect(input.text == "<" + text + "x")
            input.end()
            input.backspace()
            #expect(input.text == "<" + text)
            input.backspace()
            #expect(input.text == "<" + String(text.dropLast()), "Backspace deletes a whole cluster of \(text)")
        }
    }

    @Test("editing keys work by cluster: Left, Delete, Ctrl-W, Ctrl-U, and pasted NFD text")
    func editingByCluster() {
        var input = TextInput()
        input.insert("Jose\u{301} 🇪🇸 nam")
        #expect(input.text.count == 10)
        input.move(-4)  // before "nam"... then before the flag
        input.move(-1)
        input.deleteForward()
        #expect(input.text == "Jose\u{301}  nam")
        input.move(-2)
        input.deleteForward()
        #expect(input.text == "Jos  nam", "Delete removes e and its accent together")
        input.end()
        input.killWord()
        #expect(input.text == "Jos  ")
        input.killToStart()
        #expect(input.text.isEmpty && input.cursor == 0)
        // A combining mark typed at the start joins nothing before it and the cursor still moves past it.
        input.insert("\u{301}")
        input.insert("a")
        #expect(input.cursor == input.text.count)
    }

    @Test("every prompt takes every script, scalar by scalar, and keeps editing it", arguments: ["/", ":", "p"])
    func everyPrompt(opener: String) {
        var state = Fixtures.loadedState()
        Fixtures.press([.character(Character(opener))], &state)
        for text in Self.scripts {
            Fixtures.press(Self.scalarKeys(text) + [.left, .right, .backspace, .home, .delete, .end], &state)
            _ = ConsoleView.render(state)
        }
        let typed: String
        if let prompt = state.prompt {
            typed = prompt.input.text
        } else if case .preview(let preview) = state.screens.last {
            typed = preview.input.text
        } else {
            Issue.record("no prompt is open")
            return
        }
        #expect(!typed.isEmpty)
        #expect(typed.unicodeScalars.count > 10)
    }

    @Test("a paste goes into the prompt whole, line breaks as spaces, and filters once")
    func paste() {
        var state = Fixtures.loadedState()
        Fixtures.press([.character("/")], &state)
        let text = String(repeating: "abcdefgh", count: 10)
        let effects = ConsoleUpdate.apply(.paste(text + "\n"), to: &state)
        #expect(state.prompt?.input.text == text + " ")
        #expect(effects.count == 1)
        Fixtures.press([.escape], &state)
        _ = ConsoleUpdate.apply(.paste("x"), to: &state)
        #expect(state.notice?.isError == true && state.prompt == nil)
    }

    @Test(
        "the cell buffer holds whole clusters with their widths",
        arguments: zip(
            ["प्रिया शर्मा", "🇪🇸🇯🇵", "👨\u{200D}👩\u{200D}👧", "👋🏽", "Zoe\u{308}", "สวัสดี"],
            [10, 4, 2, 4, 3, 4]))
    func clusters(text: String, width: Int) {
        #expect(TextWidth.of(text) == width)
        var buffer = CellBuffer(width: 20, height: 1)
        let used = buffer.put(text, x: 0, y: 0)
        #expect(used == width)
        #expect(buffer.line(0) == text)
        let characters = (0..<20).filter { !buffer[$0, 0].isContinuation }.map { buffer[$0, 0].character }
        #expect(String(characters).hasPrefix(text), "no cluster is cut to its first scalar")
    }

    @Test("overwriting part of a wide cluster blanks all of it")
    func overwriteWide() {
        var buffer = CellBuffer(width: 8, height: 1)
        buffer.put("a👋🏽b", x: 0, y: 0)
        buffer.put("x", x: 3, y: 0)
        #expect(buffer.line(0) == "a  x b")
        #expect((0..<8).allSatisfy { !buffer[$0, 0].isContinuation })
    }

    @Test("every size draws, below the minimum one line says so", arguments: [1, 2, 3, 4, 5])
    func tinyHeights(height: Int) {
        for opener: [Key] in [[], [.character("/")], [.character(":")], [.enter], [.character("p")], [.character("?")]]
        {
            for width in [1, 10, 19, 20, 80] {
                var state = Fixtures.loadedState(width: 80, height: 24)
                Fixtures.press(opener, &state)
                _ = ConsoleUpdate.apply(.resize(width: width, height: height), to: &state)
                let frame = ConsoleView.render(state)
                #expect(frame.height == height && frame.width == width)
                if width < ConsoleView.minimumWidth || height < ConsoleView.minimumHeight {
                    #expect(frame.lines[0] == TextWidth.truncate("terminal too small (need 20×4)", to: width))
                    let rest = frame.lines.dropFirst().filter { !$0.isEmpty }
                    #expect(rest.isEmpty)
                }
                Fixtures.press([.down, .up], &state)
            }
        }
    }

    /// A catalog of the fixtures in which customer `rowID` has `city`.
    static func catalog(editing rowID: Int64, city: String) -> CustomerCatalog {
        let customers = Fixtures.customers.map { customer -> Customer in
            guard customer.rowID == rowID else { return customer }
            var changed = customer
            changed.fields["city"] = FieldValue(type: .text, value: city)
            return changed
        }
        return CustomerCatalog(workingSet: WorkingSet(customers: customers, deviceCounts: [1: 1, 2: 1]))
    }

    @Test("an edit that takes the customer out of the filter stays on that customer; the next edit too")
    func wrongTarget() throws {
        var state = Fixtures.loadedState()
        let filterEffects = Fixtures.press([.character("/")] + Fixtures.typing("has email") + [.enter], &state)
        guard case .filter(let request)? = filterEffects.last else {
            Issue.record("no filter ran")
            return
        }
        _ = ConsoleUpdate.apply(
            .filterFinished(
                FilterResult(generation: request.generation, view: .customers, rows: [0, 1, 2, 4, 5], mode: .segment)),
            to: &state)
        Fixtures.press([.down, .down], &state)
        let third = try #require(state.selectedCustomerRow)
        let rowID = state.customers!.workingSet.rowIDs[third]
        Fixtures.press([.character(":")], &state)
        let hint = ConsoleView.render(state).lines.last ?? ""
        #expect(hint.contains(Format.short(state.customers!.workingSet.externalCodes[third], 13)), "\(hint)")
        var effects = Fixtures.press(Fixtures.typing("set city Paris") + [.enter], &state)
        guard case .editCustomer(let edited, _)? = effects.first else {
            Issue.record("no edit")
            return
        }
        #expect(edited == rowID)
        let detail = try FakeConsoleStore().edit(rowID: rowID, .setField(name: "city", value: "Paris"))
        effects = ConsoleUpdate.apply(.editFinished(rowID: rowID, .success(detail)), to: &state)
        #expect(state.notice?.text.contains("updated") == true)
        effects = ConsoleUpdate.apply(.workingSetLoaded(Self.catalog(editing: rowID, city: "Paris")), to: &state)
        guard case .filter(let rerun)? = effects.first else {
            Issue.record("the filter did not re-run")
            return
        }
        // The customer no longer matches: rows 0, 1, 4, 5 remain.
        effects = ConsoleUpdate.apply(
            .filterFinished(
                FilterResult(generation: rerun.generation, view: .customers, rows: [0, 1, 4, 5], mode: .segment)),
            to: &state)
        #expect(state.notice?.text.contains("no longer matches") == true)
        effects = Fixtures.press([.character(":")] + Fixtures.typing("consent email off") + [.enter], &state)
        guard case .editCustomer(let second, _)? = effects.first else {
            Issue.record("no second edit")
            return
        }
        #expect(second == rowID, "the second edit goes to the customer edited, not to whoever moved into row 3")
    }

    @Test("an edit that keeps the customer listed keeps the selection on it, wherever its row moves")
    func followAfterReload() throws {
        var state = Fixtures.loadedState()
        Fixtures.press([.down, .down, .down], &state)
        let rowID = state.customers!.workingSet.rowIDs[3]
        _ = ConsoleUpdate.apply(
            .editFinished(rowID: rowID, .success(try FakeConsoleStore().customerDetail(rowID: rowID))), to: &state)
        // The reloaded set has a new customer before it.
        let customers = [Fixtures.customer(9, name: "New")] + Fixtures.customers
        let catalog = CustomerCatalog(workingSet: WorkingSet(customers: customers, deviceCounts: [:]))
        _ = ConsoleUpdate.apply(.workingSetLoaded(catalog), to: &state)
        #expect(state.selectedCustomerRow.map { catalog.workingSet.rowIDs[$0] } == rowID)
    }

    @Test("a filter that looks like the language shows its error and position; plain text stays a search")
    func filterErrors() {
        for text in ["nmae ~ mar", "has fax", "name = ", "birthday = tomorrow", "(city = madrid"] {
            #expect(FilterRunner.looksLikeFilter(text), "\(text)")
        }
        for text in ["ana", "García López", "O'Brien", "+34 600"] {
            #expect(!FilterRunner.looksLikeFilter(text), "\(text)")
        }
        #expect(
            FilterRunner.invalid("invalid value: query:1:1: unknown field \"nmae\" (fields: city, name)")
                == .invalid(message: "unknown field \"nmae\" (fields: city, name)", column: 1))
        var state = Fixtures.loadedState()
        let effects = Fixtures.press([.character("/")] + Fixtures.typing("name ~ mar nope"), &state)
        guard case .filter(let request)? = effects.last else {
            Issue.record("no filter ran")
            return
        }
        let result = FilterRunner.run(request, store: FakeConsoleStore())
        #expect(result.rows.isEmpty)
        guard case .invalid = result.mode else {
            Issue.record("not shown as an error: \(result.mode)")
            return
        }
        _ = ConsoleUpdate.apply(
            .filterFinished(
                FilterResult(
                    generation: request.generation, view: .customers, rows: [],
                    mode: .invalid(message: "unexpected \"nope\"", column: 12))), to: &state)
        let frame = ConsoleView.render(state)
        let last = frame.lines[frame.height - 1]
        #expect(last == String(repeating: " ", count: 12) + "^ unexpected \"nope\"")
        #expect(frame.slots(frame.height - 1).hasPrefix("eeeeeeeeeeee"))
    }

    @Test("the four themes are built in, equal to themes/*.toml, and found with no folder at all")
    func embeddedThemes() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("themes")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".toml") }
        #expect(Set(files.map { String($0.dropLast(5)) }) == Set(ThemeParser.builtInTexts.keys))
        for (name, text) in ThemeParser.builtInTexts {
            let file = try String(contentsOf: folder.appendingPathComponent(name + ".toml"), encoding: .utf8)
            #expect(text + "\n" == file, "the built-in \(name) differs from themes/\(name).toml")
        }
        let empty = ThemeCatalog(directories: [])
        #expect(empty.names == ["default", "high-contrast", "light", "mono"])
        for name in ["light", "high-contrast", "mono"] {
            #expect(try empty.loadStrictly(name).name == name)
        }
    }

    @Test("a theme in the user's folder adds to the shipped ones")
    func userTheme() throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("roster-theme-\(UUID().uuidString)")
        let folder = home.appendingPathComponent("roster/themes")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: home) }
        try (ThemeParser.builtInMonoText.replacingOccurrences(of: "name = \"mono\"", with: "name = \"mine\"") + "\n")
            .write(to: folder.appendingPathComponent("mine.toml"), atomically: true, encoding: .utf8)
        let catalog = ThemeCatalog.standard(environment: ["XDG_CONFIG_HOME": home.path], executablePath: "/nowhere/x")
        #expect(catalog.names.contains("mine") && catalog.names.contains("light"))
        #expect(try catalog.loadStrictly("mine").name == "mine")
    }

    @Test("Ctrl-C quits with status 130 from anywhere; q with 0")
    func interrupt() {
        var state = Fixtures.loadedState()
        Fixtures.press([.character("/"), .control("c")], &state)
        #expect(state.quitting && state.exitStatus == 130)
        var other = Fixtures.loadedState()
        Fixtures.press([.character("q")], &other)
        #expect(other.quitting && other.exitStatus == 0)
    }

    @Test("Ctrl-Z suspends from a prompt and from the preview's template, typing nothing")
    func suspendFromPrompts() {
        for opener: Key in [.character("/"), .character(":"), .character("p")] {
            var state = Fixtures.loadedState()
            Fixtures.press([opener], &state)
            let effects = Fixtures.press([.control("z")], &state)
            #expect(effects.contains { if case .suspend = $0 { return true } else { return false } })
            #expect(state.prompt.map { $0.input.text.isEmpty } ?? true)
        }
    }

    @Test("Esc while refining a kept filter restores it; clearing keeps the selected customer in view")
    func refineAndClear() {
        var state = Fixtures.loadedState(width: 80, height: 6)
        var effects = Fixtures.press([.character("/")] + Fixtures.typing("has email") + [.enter], &state)
        guard case .filter(let first)? = effects.last else { return }
        _ = ConsoleUpdate.apply(
            .filterFinished(
                FilterResult(generation: first.generation, view: .customers, rows: [0, 1, 2, 4, 5], mode: .segment)),
            to: &state)
        Fixtures.press([.character("G")], &state)
        effects = Fixtures.press([.character("/")] + Fixtures.typing(" and x"), &state)
        Fixtures.press([.escape], &state)
        #expect(state.filters[.customers]?.text == "has email")
        let selected = state.selectedCustomerRow
        #expect(selected == 5)
        Fixtures.press([.escape], &state)
        #expect(state.filters[.customers] == nil)
        #expect(state.selectedCustomerRow == 5, "the customer stays selected after the filter is cleared")
        let position = state.position(.customers)
        #expect(position.top <= 5 && 5 < position.top + state.listHeight)
    }
}

@Suite("customer detail")
struct DetailLayoutTests {
    @Test("field names are padded by their width on screen: combining accents, wide characters, long names whole")
    func fieldNamesAligned() {
        let fields = ["ciuda\u{301}d": "Lugo", "名前": "山田", "a_field_name_longer_than_the_label": "x"]
        let customer = Fixtures.customer(1, name: nil, fields: fields)
        let lines = DetailView.lines(DetailScreen(rowID: 1, detail: CustomerDetail(customer: customer, devices: [])))
        for (name, value) in fields {
            guard let line = lines.first(where: { $0.spans.first?.text.hasPrefix(name) == true }) else {
                Issue.record("\(name) is listed")
                continue
            }
            let label = line.spans[0].text
            #expect(line.spans[1].text == value)
            #expect(TextWidth.of(label) == max(14, TextWidth.of(name) + 1), "\(name): \(label)")
        }
    }
}

@Suite("console commands")
struct ConsoleCommandTests {
    @Test(":import KIND ~/file.csv reads the file in the home folder")
    func tilde() {
        #expect(ConsoleRuntime.expandingHome("~/in/a.csv", home: "/home/ana") == "/home/ana/in/a.csv")
        #expect(ConsoleRuntime.expandingHome("~", home: "/home/ana") == "/home/ana")
        #expect(ConsoleRuntime.expandingHome("~bob/a.csv", home: "/home/ana") == "~bob/a.csv")
        #expect(ConsoleRuntime.expandingHome("a/~/b", home: "/home/ana") == "a/~/b")
    }
}

@Suite("themes on few colours")
struct LimitedThemeTests {
    @Test("on 8 and 16 colours the selection differs from the title bar and the status line has a background")
    func distinct() throws {
        let empty = ThemeCatalog(directories: [])
        for name in ["default", "light", "high-contrast"] {
            let theme = try empty.loadStrictly(name)
            for count in [8, 16] {
                let limited = theme.limited(to: count)
                #expect(limited.style(.selection) != limited.style(.header), "\(name) at \(count)")
                let status = limited.style(.status)
                #expect(status.reverse || (status.background != .terminalDefault && status.background != .indexed(0)))
            }
        }
        #expect(Theme.builtIn.limited(to: 256) == Theme.builtIn)
    }
}

@Suite("columns")
struct ColumnTests {
    @Test("masked phones are never cut: the column is as wide as the phones on screen")
    func phonesWhole() {
        var state = ConsoleState(width: 200, height: 10, storePath: Fixtures.storePath, region: "eu")
        let customers = [Fixtures.customer(1, name: "Lena", phone: "+4915112345678")]
        _ = ConsoleUpdate.apply(
            .workingSetLoaded(CustomerCatalog(workingSet: WorkingSet(customers: customers, deviceCounts: [:]))),
            to: &state)
        let masked = Mask.phone("+4915112345678")
        #expect(TextWidth.of(masked) > 16)
        #expect(ConsoleView.render(state).lines[2].contains(masked))
    }

    @Test("at 40 columns optional columns give way and names are shown whole; Push says externalCode")
    func narrow() {
        var state = Fixtures.loadedState(width: 40, height: 10)
        var lines = ConsoleView.render(state).lines
        #expect(lines[1].contains("name") && !lines[1].contains("dev"))
        #expect(lines[2].contains("José García"), "\(lines[2])")
        Fixtures.press([.backTab], &state)
        _ = ConsoleUpdate.apply(.devicesLoaded(DeviceCatalog(devices: Fixtures.devices)), to: &state)
        lines = ConsoleView.render(state).lines
        #expect(lines[1].contains("externalCode") && !lines[1].contains("externalId"))
    }
}

@Suite("imports from the console")
struct ConsoleImportTests {
    static func importing() -> ConsoleState {
        var state = Fixtures.loadedState()
        let effects = Fixtures.press(
            [.character(":")] + Fixtures.typing("import contacts ~/big.csv") + [.enter], &state)
        // The mapping step first: its preview arrives, then Enter imports.
        if case .previewImport(let generation, let draft)? = effects.first {
            let preview = Result { try FakeConsoleStore().previewImport(draft) }.failure
            _ = ConsoleUpdate.apply(.importPreviewed(generation: generation, preview), to: &state)
        }
        Fixtures.press([.enter], &state)
        return state
    }

    @Test("q during an import asks; y quits when it finishes and says what was committed; another key stays")
    func quitDuringImport() {
        var state = Self.importing()
        #expect(state.importRunning)
        _ = ConsoleUpdate.apply(
            .importProgress(ImportProgress(phase: "importing", rows: 70_000, bytesRead: 5, totalBytes: 10)), to: &state)
        Fixtures.press([.escape, .character("q")], &state)
        #expect(!state.quitting && state.confirmingQuit)
        #expect(state.notice?.text.contains("70,000 rows read") == true)
        Fixtures.press([.character("n")], &state)
        #expect(!state.quitting && !state.confirmingQuit && !state.quitAfterImport)
        Fixtures.press([.character(":")] + Fixtures.typing("q") + [.enter], &state)
        Fixtures.press([.character("y")], &state)
        #expect(!state.quitting && state.quitAfterImport)
        let report = ImportReport(
            read: 140_000, created: 139_000, updated: 0, unchanged: 1_000, rejected: 0, duplicatesInFile: 0, rejects: []
        )
        let effects = ConsoleUpdate.apply(.importFinished(.success(report)), to: &state)
        #expect(state.quitting && effects.contains { if case .quit = $0 { return true } else { return false } })
        #expect(state.exitMessage?.contains("140,000 read") == true)
        #expect(state.exitStatus == 0)
    }

    @Test("Ctrl-C during an import quits at once with 130 and says what stays in the store")
    func interruptDuringImport() {
        var state = Self.importing()
        Fixtures.press([.control("c")], &state)
        #expect(state.quitting && state.exitStatus == 130)
        #expect(state.exitMessage?.contains("committed") == true)
    }

    @Test("import progress only grows through its phases and names the phase")
    func monotonicProgress() {
        var state = Self.importing()
        var shown: [Double] = []
        let reports: [(String, Int)] = [
            ("scanning", 0), ("scanning", 71), ("scanning", 100), ("importing", 36), ("importing", 72),
            ("indexing", 0), ("preparing filters", 0),
        ]
        for (phase, percent) in reports {
            _ = ConsoleUpdate.apply(
                .importProgress(ImportProgress(phase: phase, rows: percent, bytesRead: percent, totalBytes: 100)),
                to: &state)
            shown.append(state.importShown)
        }
        #expect(shown == shown.sorted(), "\(shown)")
        #expect(shown.last! > 0.9)
        let frame = ConsoleView.render(state)
        #expect(frame.lines.contains { $0.contains("preparing filters · 0 rows read · 95%") })
        #expect(frame.lines.last?.contains("preparing filters · 0 rows read · 95%") == true)
    }
}

@Suite("preview templates")
struct PreviewTemplateTests {
    @Test("the template is remembered across customers, Enter keeps it in a history that Up walks")
    func remembered() {
        var state = Fixtures.loadedState()
        Fixtures.press([.character("p")] + Fixtures.typing("Hi $Name") + [.enter], &state)
        #expect(state.screens.isEmpty && state.templateHistory == ["Hi $Name"])
        Fixtures.press([.down, .character("p")], &state)
        guard case .preview(let preview) = state.screens.last else {
            Issue.record("no preview")
            return
        }
        #expect(preview.input.text == "Hi $Name", "the next customer's preview starts from the same template")
        #expect(preview.rowID == state.customers!.workingSet.rowIDs[1])
        Fixtures.press([.control("u")] + Fixtures.typing("Bye $Name") + [.enter], &state)
        Fixtures.press([.character("p"), .up, .up], &state)
        guard case .preview(let again) = state.screens.last else { return }
        #expect(again.input.text == "Hi $Name", "Up walks back to the older template")
        Fixtures.press([.down], &state)
        guard case .preview(let back) = state.screens.last else { return }
        #expect(back.input.text == "Bye $Name")
    }
}

@Suite("right-to-left names")
struct RightToLeftTests {
    @Test("a right-to-left value is isolated as a whole; left-to-right values are not")
    func isolated() {
        var buffer = CellBuffer(width: 30, height: 1)
        buffer.put("id ", x: 0, y: 0)
        buffer.put("שלום עליכם", x: 3, y: 0)
        buffer.put(" Ana", x: 13, y: 0)
        #expect(buffer[3, 0].isolateStart && !buffer[3, 0].isolateEnd)
        #expect(buffer[12, 0].isolateEnd && !buffer[12, 0].isolateStart)
        #expect((0..<30).filter { buffer[$0, 0].isolateStart || buffer[$0, 0].isolateEnd } == [3, 12])
        #expect(TextWidth.hasRightToLeft("مرحبا") && !TextWidth.hasRightToLeft("José 山田"))
    }
}

@Suite("less and vi keys")
struct PagerKeyTests {
    static func bigState(height: Int = 12) -> ConsoleState {
        var state = ConsoleState(width: 80, height: height, storePath: Fixtures.storePath, region: "eu")
        let customers = (1...100).map { Fixtures.customer(Int64($0), name: "Customer \($0)") }
        _ = ConsoleUpdate.apply(
            .workingSetLoaded(CustomerCatalog(workingSet: WorkingSet(customers: customers, deviceCounts: [:]))),
            to: &state)
        return state
    }

    @Test("counts repeat a move (5j, 2 PgDn) and go to a row with G; Ctrl-D, Ctrl-U and b page")
    func counts() {
        var state = Self.bigState()  // nine visible rows
        Fixtures.press(Fixtures.typing("5j"), &state)
        #expect(state.position(.customers).selected == 5)
        Fixtures.press(Fixtures.typing("12") + [.character("k")], &state)
        #expect(state.position(.customers).selected == 0)
        Fixtures.press(Fixtures.typing("40G"), &state)
        #expect(state.position(.customers).selected == 39)
        Fixtures.press([.control("d")], &state)
        #expect(state.position(.customers).selected == 43)
        Fixtures.press([.control("u"), .control("u")], &state)
        #expect(state.position(.customers).selected == 35)
        Fixtures.press([.character("b")], &state)
        #expect(state.position(.customers).selected == 26)
        Fixtures.press(Fixtures.typing("2") + [.pageDown], &state)
        #expect(state.position(.customers).selected == 44)
        Fixtures.press([.character("g")], &state)
        #expect(state.position(.customers).selected == 0 && state.count == nil)
    }

    @Test("the hint line says what the keys do in words")
    func hintsInWords() {
        var state = Self.bigState()
        state.width = 140
        let hint = StatusLineView.hints(state)
        #expect(hint.contains("p:preview") && hint.contains("d:deviceGet") && hint.contains("r:reveal"))
        #expect(!hint.contains("p d r i"))
    }
}
