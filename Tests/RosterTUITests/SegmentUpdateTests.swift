import RosterCore
import RosterModel
import Testing

@testable import RosterTUI

@Suite("update: saved segments in the console")
struct SegmentUpdateTests {
    /// A loaded console whose customer list is filtered by `text`, the result in `mode`.
    private func filtered(_ text: String, mode: ConsoleState.Filter.Mode, rows: [Int32] = [0, 1]) -> ConsoleState {
        var state = Fixtures.loadedState()
        Fixtures.press([.character("/")] + Fixtures.typing(text) + [.enter], &state)
        let generation = state.filters[.customers]!.generation
        _ = ConsoleUpdate.apply(
            .filterFinished(FilterResult(generation: generation, view: .customers, rows: rows, mode: mode)), to: &state)
        return state
    }

    private func command(_ line: String, _ state: inout ConsoleState) -> [ConsoleEffect] {
        Fixtures.press([.character(":")] + Fixtures.typing(line) + [.enter], &state)
    }

    @Test(":segment save NAME saves the current filter; --replace is passed on; the result is a notice")
    func save() {
        var state = filtered("has email", mode: .segment)
        var effects = command("segment save mailable", &state)
        guard case .saveSegment("mailable", "has email", false, _)? = effects.first else {
            Issue.record("expected a save effect, got \(effects)")
            return
        }
        _ = ConsoleUpdate.apply(.segmentSaved(name: "mailable", .success(5)), to: &state)
        #expect(state.notice == .init(text: "saved @mailable: 5 customers (:segments lists them)", isError: false))
        effects = command("segment save mailable --replace", &state)
        guard case .saveSegment("mailable", "has email", true, _)? = effects.first else {
            Issue.record("expected a replacing save, got \(effects)")
            return
        }
        _ = ConsoleUpdate.apply(.segmentSaved(name: "x", .failure(ConsoleFailure("already saved"))), to: &state)
        #expect(state.notice == .init(text: "already saved", isError: true))
    }

    @Test(":segment save refuses no filter, a plain-text search and a usage error, and saves nothing")
    func saveRefusals() {
        var state = Fixtures.loadedState()
        #expect(command("segment save x", &state).isEmpty)
        #expect(state.notice?.text == "no filter to save: filter the list with / first")
        state = filtered("example.org", mode: .text)
        #expect(command("segment save x", &state).isEmpty)
        #expect(state.notice?.text.contains("it is a plain-text search") == true)
        #expect(command("segment save", &state).isEmpty)
        #expect(state.notice?.text.hasPrefix("usage: :segment save NAME [--replace]") == true)
        #expect(command("segment frob x", &state).isEmpty)
        #expect(state.notice?.isError == true)
    }

    @Test(":segments lists the segments with counts as they come; j/k select; Enter filters the list by @NAME")
    func listAndOpen() {
        var state = Fixtures.loadedState()
        Fixtures.press([.tab], &state)  // Devices: opening a segment comes back to the customers
        let effects = command("segments", &state)
        guard case .loadSegments(let customers)? = effects.first, customers != nil else {
            Issue.record("expected the list to load with the customers, got \(effects)")
            return
        }
        let segments = [
            SavedSegment(name: "mailable", expression: "has email"),
            SavedSegment(name: "Ana", expression: "name ~ \"ana\""),
        ]
        _ = ConsoleUpdate.apply(.segmentsLoaded(.success(segments)), to: &state)
        _ = ConsoleUpdate.apply(.segmentCounted(name: "Ana", .success(1)), to: &state)
        _ = ConsoleUpdate.apply(.segmentCounted(name: "mailable", .failure(ConsoleFailure("no field"))), to: &state)
        guard case .segments(let pane) = state.screens.last else {
            Issue.record("no segments pane")
            return
        }
        #expect(pane.segments == segments && pane.counts["Ana"] == .success(1))
        let text = SegmentsView.lines(pane).map { $0.spans.map(\.text).joined() }
        #expect(text[1].contains("@mailable") && text[1].contains("error") && text[1].contains("no field"))
        #expect(text[2].hasPrefix("@Ana ") && text[2].contains("name ~ \"ana\""))

        #expect(StatusLineView.hints(state) == "j/k:select Enter:apply Esc:back")
        Fixtures.press([.character("j"), .character("j")], &state)
        guard case .segments(let moved) = state.screens.last else { return }
        #expect(moved.selected == 1, "the selection stops at the last segment")
        let opened = Fixtures.press([.enter], &state)
        #expect(state.screens.isEmpty && state.view == .customers)
        #expect(state.filters[.customers]?.text == "@Ana")
        #expect(opened.contains { if case .filter(let request) = $0 { request.text == "@Ana" } else { false } })
        Fixtures.press([.character("/")], &state)
        #expect(state.prompt?.input.text == "@Ana", "the filter prompt shows the segment's name")
    }

    @Test(":segment delete NAME asks the store, and the pane reloads after it")
    func delete() {
        var state = Fixtures.loadedState()
        _ = command("segments", &state)
        var effects = command("segment delete @old", &state)
        guard case .deleteSegment("@old")? = effects.first else {
            Issue.record("expected a delete, got \(effects)")
            return
        }
        effects = ConsoleUpdate.apply(.segmentDeleted(name: "old", .success(true)), to: &state)
        #expect(state.notice == .init(text: "deleted @old", isError: false))
        #expect(effects.contains { if case .loadSegments = $0 { true } else { false } })
        _ = ConsoleUpdate.apply(
            .segmentDeleted(name: "x", .failure(ConsoleFailure("no segment is named @x (saved: @a)"))), to: &state)
        #expect(state.notice?.isError == true && state.notice?.text.contains("saved: @a") == true)
    }

    @Test("the runtime saves, lists with counts and deletes through the store; @NAME filters through it")
    func runtime() throws {
        let store = FakeConsoleStore()
        let events = EventQueue()
        let runtime = ConsoleRuntime(store: store, events: events, themes: ThemeCatalog(directories: []), inline: true)
        runtime.perform(
            .saveSegment(name: "@ana", expression: "name ~ \"ana\"", replacing: false, customers: Fixtures.catalog))
        runtime.perform(.loadSegments(Fixtures.catalog))
        let posted = events.drain()
        #expect(posted.count == 3)
        guard case .segmentSaved("ana", .success(let saved)) = posted[0],
            case .segmentsLoaded(.success(let listed)) = posted[1],
            case .segmentCounted("ana", .success(let counted)) = posted[2]
        else {
            Issue.record("unexpected events \(posted)")
            return
        }
        #expect(saved == counted && saved > 0 && listed.map(\.name) == ["ana"])

        let request = FilterRequest(
            generation: 1, view: .customers, text: "@ANA", customers: Fixtures.catalog, devices: nil)
        let result = FilterRunner.run(request, store: store)
        #expect(result.mode == .segment && result.rows.count == saved)
        let unknown = FilterRunner.run(
            FilterRequest(generation: 2, view: .customers, text: "@nope", customers: Fixtures.catalog, devices: nil),
            store: store)
        guard case .invalid = unknown.mode else {
            Issue.record("an unknown @NAME is an error, not a text search: \(unknown.mode)")
            return
        }
        runtime.perform(.deleteSegment("ana"))
        #expect(try store.savedSegments().isEmpty)
    }

    @Test("a plain-text search for an email is still a search, not a segment")
    func emailsStaySearches() {
        #expect(!FilterRunner.looksLikeFilter("ana@example.com"))
        #expect(FilterRunner.looksLikeFilter("@birthdays"))
        #expect(FilterRunner.looksLikeFilter("(@a)"))
    }
}
