import RosterCore
import RosterModel
import Testing

@testable import RosterTUI

@Suite("update: keys, prompts and background results")
struct UpdateTests {
    @Test("update is pure: the state passed in is left as it was")
    func pure() {
        let state = Fixtures.loadedState()
        let (next, effects) = ConsoleUpdate.update(state, .key(.down))
        #expect(state.position(.customers).selected == 0)
        #expect(next.position(.customers).selected == 1)
        #expect(effects.isEmpty)
    }

    @Test("j/k, arrows, g/G, PgUp/PgDn, Home/End move within the list and scroll it")
    func movement() {
        var state = Fixtures.loadedState(width: 80, height: 6)  // three visible rows
        Fixtures.press([.character("j"), .down, .character("j")], &state)
        #expect(state.position(.customers) == .init(selected: 3, top: 1))
        Fixtures.press([.character("G")], &state)
        #expect(state.position(.customers) == .init(selected: 5, top: 3))
        Fixtures.press([.character("k"), .up, .home], &state)
        #expect(state.position(.customers) == .init(selected: 0, top: 0))
        Fixtures.press([.pageDown], &state)
        #expect(state.position(.customers).selected == 3)
        Fixtures.press([.end, .pageUp], &state)
        #expect(state.position(.customers).selected == 2)
        Fixtures.press([.character("g"), .up], &state)
        #expect(state.position(.customers).selected == 0)
    }

    @Test("Esc closes the prompt, then the open screen, then clears the filter, and does nothing at the top")
    func escape() {
        var state = Fixtures.loadedState()
        let top = Fixtures.press([.escape], &state)
        #expect(top.isEmpty && !state.quitting && state.screens.isEmpty)

        var effects = Fixtures.press([.character("/")] + Fixtures.typing("zo"), &state)
        #expect(state.prompt?.kind == .filter)
        #expect(effects.count == 2)
        effects = Fixtures.press([.enter], &state)
        #expect(state.prompt == nil && state.filters[.customers]?.text == "zo")
        Fixtures.press([.character("?")], &state)
        #expect(state.screens.count == 1)
        Fixtures.press([.escape], &state)
        #expect(state.screens.isEmpty && state.filters[.customers] != nil)
        Fixtures.press([.escape], &state)
        #expect(state.filters[.customers] == nil)

        Fixtures.press([.character("/")] + Fixtures.typing("x"), &state)
        Fixtures.press([.escape], &state)
        #expect(state.prompt == nil && state.filters[.customers] == nil, "Esc in the filter prompt clears the filter")
    }

    @Test("q quits at the top level, goes back elsewhere, and is text inside a prompt")
    func quit() {
        var state = Fixtures.loadedState()
        Fixtures.press([.enter], &state)
        #expect(state.screens.count == 1)
        #expect(Fixtures.press([.character("q")], &state).isEmpty)
        #expect(state.screens.isEmpty && !state.quitting)
        Fixtures.press([.character("/"), .character("q")], &state)
        #expect(state.prompt?.input.text == "q" && !state.quitting)
        Fixtures.press([.escape], &state)
        let effects = Fixtures.press([.character("q")], &state)
        #expect(state.quitting)
        #expect(effects.contains { if case .quit = $0 { return true } else { return false } })
    }

    @Test("typing a filter starts one run per change; a superseded result is dropped")
    func filterTyping() throws {
        var state = Fixtures.loadedState()
        let effects = Fixtures.press([.character("/")] + Fixtures.typing("ana"), &state)
        let requests = effects.compactMap { effect -> FilterRequest? in
            if case .filter(let request) = effect { return request } else { return nil }
        }
        #expect(requests.map(\.text) == ["a", "an", "ana"])
        #expect(requests.map(\.generation) == requests.map(\.generation).sorted())
        let stale = FilterResult(generation: requests[0].generation, view: .customers, rows: [0, 1], mode: .text)
        _ = ConsoleUpdate.apply(.filterFinished(stale), to: &state)
        #expect(state.filters[.customers]?.rows == nil && state.filters[.customers]?.pending == true)
        let result = FilterRunner.run(requests[2], store: FakeConsoleStore())
        #expect(result.rows == [3] && result.mode == .text)
        _ = ConsoleUpdate.apply(.filterFinished(result), to: &state)
        #expect(state.rows(.customers) == .indices([3]))
        Fixtures.press([.backspace, .backspace, .backspace], &state)
        #expect(state.filters[.customers] == nil, "an emptied filter shows every row again")
    }

    @Test("text that parses as a filter runs in the segments language, other text is a search")
    func filterModes() {
        let store = FakeConsoleStore()
        let request = FilterRequest(
            generation: 1, view: .email, text: "name ~ \"a\"", customers: Fixtures.catalog, devices: nil)
        let segment = FilterRunner.run(request, store: store)
        #expect(segment.mode == .segment)
        #expect(segment.rows == [0, 4], "José and Mallory have an a and an email; Ana has no email")
        let text = FilterRunner.run(
            FilterRequest(
                generation: 2, view: .customers, text: "example.org", customers: Fixtures.catalog, devices: nil),
            store: store)
        #expect(text.mode == .text && text.rows == [1])
    }

    @Test("the command line keeps a history that Up and Down walk, keeping the line being typed")
    func history() {
        var state = Fixtures.loadedState()
        Fixtures.press([.character(":")] + Fixtures.typing("sms") + [.enter], &state)
        #expect(state.view == .sms)
        Fixtures.press([.character(":")] + Fixtures.typing("customers") + [.enter], &state)
        #expect(state.history == ["sms", "customers"])
        Fixtures.press([.character(":")] + Fixtures.typing("dev"), &state)
        Fixtures.press([.up], &state)
        #expect(state.prompt?.input.text == "customers")
        Fixtures.press([.up, .up], &state)
        #expect(state.prompt?.input.text == "sms")
        Fixtures.press([.down], &state)
        #expect(state.prompt?.input.text == "customers")
        Fixtures.press([.down], &state)
        #expect(state.prompt?.input.text == "dev")
        Fixtures.press([.escape], &state)
        #expect(state.prompt == nil && state.history.count == 2)
    }

    @Test("r shows the values only once the reveal is recorded; one that cannot be recorded shows nothing")
    func revealAfterRecord() {
        var state = Fixtures.loadedState(width: 120, height: 24)
        let effects = ConsoleUpdate.apply(.key(.character("r")), to: &state)
        #expect(effects.contains { if case .recordReveal(rowID: 1) = $0 { return true } else { return false } })
        #expect(state.revealedRowID == nil, "not before the audit entry is written")
        #expect(!ConsoleView.render(state).lines.joined().contains("jose.garcia@example.com"))
        _ = ConsoleUpdate.apply(.revealRecorded(rowID: 1, .failure(ConsoleFailure("gone"))), to: &state)
        #expect(state.revealedRowID == nil && state.notice?.text == "not revealed: gone")
        // Recorded after the selection moved on: the customer now selected is not shown in clear.
        _ = ConsoleUpdate.apply(.key(.character("r")), to: &state)
        _ = ConsoleUpdate.apply(.key(.character("j")), to: &state)
        _ = ConsoleUpdate.apply(.revealRecorded(rowID: 1, .success(())), to: &state)
        #expect(state.revealedRowID == nil)
        _ = ConsoleUpdate.apply(.key(.character("k")), to: &state)
        _ = ConsoleUpdate.apply(.revealRecorded(rowID: 1, .success(())), to: &state)
        #expect(state.revealedRowID == 1)
        #expect(ConsoleView.render(state).lines[2].contains("jose.garcia@example.com"))
    }

    @Test("r reveals the selected customer (recorded) and a move masks again")
    func reveal() {
        var state = Fixtures.loadedState(width: 120, height: 24)
        let effects = Fixtures.press([.character("r")], &state)
        #expect(state.revealedRowID == 1)
        #expect(effects.contains { if case .recordReveal(rowID: 1) = $0 { return true } else { return false } })
        #expect(ConsoleView.render(state).lines[2].contains("jose.garcia@example.com"))
        Fixtures.press([.character("j")], &state)
        #expect(state.revealedRowID == nil)
        let lines = ConsoleView.render(state).lines
        #expect(!lines.joined().contains("jose.garcia@example.com"))
        #expect(lines[2].contains("j***@example.com"))
    }

    @Test("Tab cycles the views and loads the devices once; :push jumps")
    func views() {
        var state = Fixtures.loadedState()
        var effects = Fixtures.press([.tab], &state)
        #expect(state.view == .devices)
        #expect(effects.contains { if case .loadDevices = $0 { return true } else { return false } })
        _ = ConsoleUpdate.apply(.devicesLoaded(DeviceCatalog(devices: Fixtures.devices)), to: &state)
        effects = Fixtures.press([.tab, .tab, .tab, .tab], &state)
        #expect(state.view == .customers && effects.isEmpty)
        Fixtures.press([.backTab], &state)
        #expect(state.view == .push)
        #expect(state.rows(.push).count == 2)
        Fixtures.press([.character(":")] + Fixtures.typing("email") + [.enter], &state)
        #expect(state.view == .email && state.rows(.email).count == 5)
    }

    @Test("commands: deviceget, import, theme; unknown ones say so")
    func commands() {
        var state = Fixtures.loadedState()
        var effects = Fixtures.press([.character(":")] + Fixtures.typing("deviceget dev-1") + [.enter], &state)
        #expect(effects.contains { if case .deviceGet("dev-1") = $0 { return true } else { return false } })
        Fixtures.press([.escape], &state)
        effects = Fixtures.press([.character("i")] + Fixtures.typing("email /tmp/x.csv") + [.enter], &state)
        #expect(!state.importRunning, "the mapping step comes first")
        #expect(
            effects.contains {
                if case .previewImport(_, ImportDraft(kind: "email", path: "/tmp/x.csv")) = $0 {
                    return true
                } else {
                    return false
                }
            })
        Fixtures.press([.escape], &state)
        effects = Fixtures.press([.character(":")] + Fixtures.typing("theme mono") + [.enter], &state)
        #expect(effects.contains { if case .loadTheme("mono") = $0 { return true } else { return false } })
        Fixtures.press([.character(":")] + Fixtures.typing("frobnicate") + [.enter], &state)
        #expect(state.notice == .init(text: "unknown command :frobnicate (:help lists them)", isError: true))
        Fixtures.press([.character(":")] + Fixtures.typing("import xml a.xml") + [.enter], &state)
        #expect(state.notice?.text.hasPrefix("unknown import kind \"xml\"") == true)
    }

    @Test("p previews for the selected customer, with segment counts on a filtered list")
    func preview() {
        var state = Fixtures.loadedState()
        Fixtures.press([.character("/")] + Fixtures.typing("has email") + [.enter], &state)
        let generation = state.filters[.customers]!.generation
        _ = ConsoleUpdate.apply(
            .filterFinished(
                FilterResult(generation: generation, view: .customers, rows: [0, 1, 2, 4, 5], mode: .segment)),
            to: &state)
        let effects = Fixtures.press([.character("p")] + Fixtures.typing("Hi"), &state)
        guard case .preview(let preview) = state.screens.last else {
            Issue.record("no preview open")
            return
        }
        #expect(preview.segmentRows == [0, 1, 2, 4, 5] && preview.input.text == "Hi")
        #expect(effects.count == 4, "a customer preview and a segment preview per keystroke")
        Fixtures.press([.character("q")], &state)
        guard case .preview(let typed) = state.screens.last else { return }
        #expect(typed.input.text == "Hiq", "q is text while the template has the keyboard")
        Fixtures.press([.escape], &state)
        #expect(state.screens.isEmpty)
    }

    @Test("a resize keeps the selection visible")
    func resize() {
        var state = Fixtures.loadedState(width: 80, height: 24)
        Fixtures.press([.character("G")], &state)
        _ = ConsoleUpdate.apply(.resize(width: 40, height: 5), to: &state)
        let position = state.position(.customers)
        #expect(position.selected == 5 && position.top == 4)
    }

    @Test("the key table describes every action and help lists every binding")
    func keyTable() {
        let bound = Set(KeyTable.bindings.compactMap(\.action))
        #expect(bound == Set(ConsoleAction.allCases))
        let help = HelpView.lines().map { $0.spans.map(\.text).joined() }.joined(separator: "\n")
        for binding in KeyTable.bindings { #expect(help.contains(binding.summary)) }
    }
}
