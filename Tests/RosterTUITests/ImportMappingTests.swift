import RosterCore
import RosterModel
import Testing

@testable import RosterTUI

/// The console's import mapping step and its `:field` administration, over the fake store.
@Suite("import mapping step and :field")
struct ImportMappingTests {
    /// A console over the fake store whose background work runs inline, loaded.
    static func console(width: Int = 100, height: Int = 30) -> ConsoleApp {
        SnapshotTests.console(width, height)
    }

    static func press(_ app: ConsoleApp, _ keys: [Key]) {
        SnapshotTests.press(app, keys)
    }

    static func screen(_ app: ConsoleApp) -> String { Snapshot.text(app.frame()) }

    static func mapping(_ state: ConsoleState) -> ImportMappingScreen? {
        if case .importMapping(let pane) = state.screens.last { return pane }
        return nil
    }

    @Test(":import of a CSV shows the mapping first and writes nothing; a preset changes it; Enter imports with it")
    func mappingThenImport() {
        var state = Fixtures.loadedState()
        var effects = Fixtures.press([.character("i")] + Fixtures.typing("email audience.csv") + [.enter], &state)
        #expect(!state.importRunning)
        #expect(effects.count == 1)
        guard case .previewImport(let generation, let draft) = effects.first else {
            Issue.record("no preview asked for: \(effects)")
            return
        }
        #expect(draft == ImportDraft(kind: "email", path: "audience.csv"))
        let store = FakeConsoleStore()
        _ = ConsoleUpdate.apply(
            .importPreviewed(generation: generation, Result { try store.previewImport(draft) }.failure), to: &state)
        // `p` offers the preset that fits best; Enter on the line applies it and previews again.
        effects = Fixtures.press([.character("p")], &state)
        #expect(effects.isEmpty && state.prompt?.input.text == "preset mailchimp")
        effects = Fixtures.press([.enter], &state)
        guard case .previewImport(let second, let withPreset) = effects.first else {
            Issue.record("no second preview: \(effects)")
            return
        }
        #expect(withPreset.preset == "mailchimp" && second > generation)
        // A late result of the first preview is dropped.
        _ = ConsoleUpdate.apply(
            .importPreviewed(generation: generation, Result { try store.previewImport(draft) }.failure), to: &state)
        #expect(Self.mapping(state)?.result == nil)
        _ = ConsoleUpdate.apply(
            .importPreviewed(generation: second, Result { try store.previewImport(withPreset) }.failure), to: &state)
        #expect(Self.mapping(state)?.result?.preview?.columns.contains { $0.target == "name" } == true)
        effects = Fixtures.press([.enter], &state)
        #expect(state.importRunning)
        guard case .importMapped(let run) = effects.first else {
            Issue.record("Enter did not import: \(effects)")
            return
        }
        #expect(run == withPreset)
        if case .importing = state.screens.last {} else { Issue.record("no import screen") }
    }

    @Test("the step shows headers, mapping, date formats and the first rows, emails masked; Esc cancels")
    func rendersAndCancels() {
        let app = Self.console()
        Self.press(app, [.character("i")] + Fixtures.typing("email audience.csv") + [.enter])
        var screen = Self.screen(app)
        for text in [
            "Email Address, First Name, Last Name, Birthday", "email", "← Email Address", "birthdate (date)",
            "MM/DD", "line 2:", "a***@example.com", "fits this file: mailchimp, hubspot",
        ] {
            #expect(screen.contains(text), "\(text) missing:\n\(screen)")
        }
        #expect(!screen.contains("ana@example.com"))
        Self.press(app, [.character("p")] + [.enter])
        screen = Self.screen(app)
        #expect(screen.contains("{First Name} {Last Name}") && screen.contains("name=Ana García"), "\(screen)")
        Self.press(app, [.escape])
        #expect(app.state.screens.isEmpty && !app.state.importRunning)
        #expect(Self.screen(app).contains("import cancelled: nothing was written"))
    }

    @Test("m fills in the selected target's source; :map replaces that target and previews again")
    func editTarget() {
        let app = Self.console()
        Self.press(app, [.character("i")] + Fixtures.typing("email audience.csv") + [.enter, .character("j")])
        Self.press(app, [.character("m")])
        #expect(app.state.prompt?.input.text == "map First Name=First Name")
        Self.press(app, [.control("u")] + Fixtures.typing("map name={First Name} {Last Name}") + [.enter])
        #expect(Self.mapping(app.state)?.draft.maps == ["name={First Name} {Last Name}"])
        Self.press(app, [.character(":")] + Fixtures.typing("map name=First Name") + [.enter])
        #expect(Self.mapping(app.state)?.draft.maps == ["name=First Name"])
        Self.press(app, [.character(":")] + Fixtures.typing("map nonsense") + [.enter])
        #expect(app.state.notice?.isError == true)
    }

    @Test("an ambiguous date column shows the choice instead of failing; o chooses and Enter then imports")
    func ambiguousDates() {
        let app = Self.console()
        Self.press(app, [.character("i")] + Fixtures.typing("contacts ambiguous.csv") + [.enter])
        let screen = Self.screen(app)
        #expect(screen.contains("o chooses it"), "\(screen)")
        Self.press(app, [.enter])
        #expect(!app.state.importRunning && Self.mapping(app.state) != nil)
        Self.press(app, [.character("o")])
        #expect(Self.mapping(app.state)?.draft.dateOrder == .dmy)
        #expect(Self.screen(app).contains("dmy (06/12 is 6 December)"))
        Self.press(app, [.enter])
        #expect(app.state.notice?.text.hasPrefix("import finished") == true)
    }

    @Test("a file that cannot be read says so and Enter does nothing; jsonl imports without a mapping step")
    func unreadableAndJSONL() {
        var state = Fixtures.loadedState()
        var effects = Fixtures.press([.character(":")] + Fixtures.typing("import sms missing.csv") + [.enter], &state)
        guard case .previewImport(let generation, _) = effects.first else { return }
        _ = ConsoleUpdate.apply(
            .importPreviewed(generation: generation, .failure(ConsoleFailure("cannot open missing.csv"))), to: &state)
        #expect(ConsoleView.render(state).lines.contains { $0.contains("Cannot read the file: cannot open") })
        #expect(Fixtures.press([.enter], &state).isEmpty)
        Fixtures.press([.escape], &state)
        effects = Fixtures.press([.character(":")] + Fixtures.typing("import jsonl all.jsonl") + [.enter], &state)
        #expect(state.importRunning)
        #expect(effects.contains { if case .importFile("jsonl", "all.jsonl") = $0 { true } else { false } })
    }

    @Test(":field lists fields with types and counts; retype asks, names what does not convert, d drops, audited")
    func fieldRetype() {
        let app = Self.console()
        Self.press(app, [.character(":")] + Fixtures.typing("fields") + [.enter])
        var screen = Self.screen(app)
        #expect(screen.contains("birthdate") && screen.contains("text") && screen.contains("customers"), "\(screen)")
        Self.press(app, [.character(":")] + Fixtures.typing("field retype birthdate date dmy") + [.enter])
        screen = Self.screen(app)
        #expect(screen.contains("1 value converts (read as DD/MM/YYYY)"), "\(screen)")
        #expect(screen.contains("1 value does not convert") && screen.contains("\"soon\" is not a date"))
        #expect(screen.contains("d: retype and drop the 1 value"))
        Self.press(app, [.character("y")])
        #expect(app.state.notice?.text.contains("d drops them") == true)
        Self.press(app, [.character("d")])
        #expect(app.state.notice?.text.contains("field birthdate is now date") == true)
        #expect(app.state.notice?.text.contains("audit log") == true)
        screen = Self.screen(app)
        #expect(screen.contains("date") && !screen.contains("does not convert"), "\(screen)")
    }

    @Test(":field commands parse as the CLI's arguments, and bad ones give the usage")
    func parsing() {
        #expect(ColonCommand.parse("field") == .success(.field(nil)))
        #expect(ColonCommand.parse("fields") == .success(.field(nil)))
        #expect(
            ColonCommand.parse("field retype birthdate date mdy drop")
                == .success(.field(.retype(name: "birthdate", type: .date, dateOrder: .mdy, drop: true))))
        #expect(ColonCommand.parse("field rename city town") == .success(.field(.rename(old: "city", new: "town"))))
        #expect(
            ColonCommand.parse("field rename \"First Name\" 'given  name'")
                == .success(.field(.rename(old: "First Name", new: "given  name"))))
        for bad in ["field retype birthdate", "field retype a colour", "field rename a", "field frob", "field list x"] {
            guard case .failure(let failure) = ColonCommand.parse(bad) else {
                Issue.record("\(bad) parsed")
                continue
            }
            #expect(failure.message.hasPrefix("usage: :field"))
        }
        #expect(ColonCommand.parse("preset none") == .success(.importSetting(.preset(nil))))
        #expect(ColonCommand.parse("date-order mdy") == .success(.importSetting(.dateOrder(.mdy))))
        #expect(ColonCommand.parse("country 34") == .success(.importSetting(.defaultCountry("34"))))
        if case .success = ColonCommand.parse("preset frob") { Issue.record("unknown preset parsed") }
    }

    @Test("a mapping setting with no import being set up says how to start one")
    func settingWithoutImport() {
        var state = Fixtures.loadedState()
        let effects = Fixtures.press([.character(":")] + Fixtures.typing("preset hubspot") + [.enter], &state)
        #expect(effects.isEmpty && state.notice?.text.contains("start one with i") == true)
    }
    @Test("the mapping step and the field list draw at every size down to one cell, and a held o reads once")
    func sizesAndHeldKey() {
        for (width, height) in [(1, 1), (20, 4), (21, 5), (40, 6), (80, 2), (30, 40)] {
            let app = Self.console(width: width, height: height)
            Self.press(app, [.character("i")] + Fixtures.typing("email audience.csv") + [.enter, .character("j")])
            #expect(Snapshot.text(app.frame()).split(separator: "\n").count == height)
            Self.press(app, [.escape, .character(":")] + Fixtures.typing("field retype birthdate date") + [.enter])
            #expect(Snapshot.text(app.frame()).split(separator: "\n").count == height)
        }
        var state = Fixtures.loadedState()
        Fixtures.press([.character("i")] + Fixtures.typing("email audience.csv") + [.enter], &state)
        let effects = Fixtures.press(Array(repeating: .character("o"), count: 30), &state)
        let generations = effects.compactMap { effect -> Int? in
            if case .previewImport(let generation, _) = effect { return generation } else { return nil }
        }
        #expect(generations.count == 30 && generations == generations.sorted())
        let events = EventQueue()
        let runtime = ConsoleRuntime(
            store: FakeConsoleStore(), events: events, themes: ThemeCatalog(directories: []), inline: false)
        for effect in effects { runtime.perform(effect) }
        // A preview still queued when a later one is asked for is skipped: only the last is current.
        #expect(runtime.generations.isCurrent("importPreview", generations.last!))
        #expect(!runtime.generations.isCurrent("importPreview", generations.first!))
        #expect(state.screens.count == 1)
    }
}
