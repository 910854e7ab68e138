import RosterCore
import RosterModel
import Testing

@testable import RosterTUI

/// Every screen rendered at 80×24 and 120×40 and compared with `Snapshots/`: its text (`NAME.txt`) and the style of
/// every cell (`NAME.style.txt`).
@Suite("Screens at two sizes")
struct SnapshotTests {
    static let sizes = [(80, 24), (120, 40)]

    /// A console over the fake store whose background work runs inline, loaded.
    static func console(_ width: Int, _ height: Int) -> ConsoleApp {
        let runtime = ConsoleRuntime(
            store: FakeConsoleStore(), events: EventQueue(), themes: ThemeCatalog(directories: []), inline: true)
        let app = ConsoleApp(
            state: ConsoleState(width: width, height: height, storePath: Fixtures.storePath, region: "eu"),
            runtime: runtime)
        app.start()
        app.drain()
        return app
    }

    static func press(_ app: ConsoleApp, _ keys: [Key]) {
        for key in keys {
            app.send(.key(key))
            app.drain()
        }
    }

    static func check(_ name: String, _ keys: [Key], sourceLocation: SourceLocation = #_sourceLocation) {
        for (width, height) in sizes {
            let app = console(width, height)
            press(app, keys)
            Snapshot.checkStyled(
                app.frame(), "\(name)-\(width)x\(height)", theme: app.state.theme, sourceLocation: sourceLocation)
        }
    }

    @Test("loading: a progress bar while the working set loads")
    func loading() {
        for (width, height) in Self.sizes {
            var state = ConsoleState(width: width, height: height, storePath: Fixtures.storePath, region: "eu")
            _ = ConsoleUpdate.apply(.workingSetProgress(0.42), to: &state)
            Snapshot.checkStyled(ConsoleView.render(state), "loading-\(width)x\(height)", theme: state.theme)
        }
    }

    @Test("customers: masked channels, device counts, consent marks, aligned UTF-8 names, escaped control characters")
    func customers() { Self.check("customers", [.character("j")]) }

    @Test("customers filtered as you type, the prompt open")
    func filtered() { Self.check("filtered", [.character("/")] + Fixtures.typing("example")) }

    @Test("customers with the selected one revealed")
    func revealed() { Self.check("revealed", [.character("r")]) }

    @Test("devices") func devices() { Self.check("devices", [.tab]) }

    @Test("email") func email() { Self.check("email", [.tab, .tab]) }

    @Test("sms") func sms() { Self.check("sms", [.tab, .tab, .tab]) }

    @Test("push") func push() { Self.check("push", [.backTab]) }

    @Test("customer detail") func detail() { Self.check("detail", [.enter]) }

    @Test("preview on a filtered list: the rendering, missing fields and segment counts")
    func preview() {
        Self.check(
            "preview",
            [.character("/")] + Fixtures.typing("has email") + [.enter, .character("j"), .character("p")]
                + Fixtures.typing("Hi $Name, from $City"))
    }

    @Test("deviceGet of the selected customer's device, then the full record")
    func deviceGet() { Self.check("deviceget", [.character("d")]) }

    @Test("import summary") func importSummary() {
        Self.check("import", [.character("i")] + Fixtures.typing("email contacts.csv") + [.enter, .enter])
    }

    @Test("import mapping step: headers, mapping, formats and first rows")
    func importMapping() {
        Self.check("importmapping", [.character("i")] + Fixtures.typing("email contacts.csv") + [.enter])
    }

    @Test("fields with a retype waiting for its confirmation")
    func fields() {
        Self.check("fields", [.character(":")] + Fixtures.typing("field retype birthdate date") + [.enter])
    }

    @Test("help generated from the key table") func help() { Self.check("help", [.character("?")]) }

    @Test("customers in the mono theme: attributes only, which the style files' legend shows")
    func mono() { Self.check("mono", [.character(":")] + Fixtures.typing("theme mono") + [.enter]) }

    @Test("the command line with a notice of an unknown command")
    func command() { Self.check("command", [.character(":")] + Fixtures.typing("nope") + [.enter, .character(":")]) }
}
