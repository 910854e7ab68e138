import ArgumentParser
import Foundation
import RosterCore
import RosterModel
import RosterTUI

/// `roster console`: the ncurses console over a store.
struct ConsoleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "console",
        abstract: "Browse customers, devices and channels; filter, preview templates, simulate deviceGet.",
        discussion: """
            Needs a terminal; without one (or with an unknown TERM) it says so and exits with status 2. \
            Emails and phones are masked (a***@example.com, +34 6** *** *33) until `r` reveals them, which is \
            recorded in the audit log. `?` lists every key; `:help` every command.

            Themes are files NAME.toml in $ROSTER_THEMES, ~/.config/roster/themes or the themes folder of \
            Roster (default, light, high-contrast, mono); a path to a .toml file works too. A broken theme \
            falls back to the default and says which file and line is wrong. NO_COLOR turns colours off.
            """)

    @OptionGroup var storeOptions: StoreOptions

    @Option(
        help: ArgumentHelp(
            "The colour theme: default, light, high-contrast, mono, or a .toml file ($ROSTER_THEME).",
            valueName: "name"))
    var theme: String?

    func run() throws {
        let environment = ProcessInfo.processInfo.environment
        do {
            _ = try CursesTerminal.preflight()
        } catch let error as TerminalError {
            Output.error(error.description)
            throw ExitCode(2)
        }
        // Sorts and filters make and drop buffers of 4 bytes a row at each key: keep them for the next ones.
        FreedBuffers.keep()
        let store = try storeOptions.open()
        let consoleStore = makeConsoleStore(store, protecting: storeOptions.protectedFiles)
        let catalog = ThemeCatalog.standard(environment: environment)
        let themeName = theme ?? environment["ROSTER_THEME"].flatMap { $0.isEmpty ? nil : $0 } ?? "default"
        let (loadedTheme, themeError) = catalog.load(themeName)
        let noColour = !(environment["NO_COLOR"] ?? "").isEmpty

        let signals = TerminalSignals()
        let terminal: CursesTerminal
        do {
            terminal = try CursesTerminal.open(colour: noColour ? .none : .automatic)
        } catch let error as TerminalError {
            signals.restore()
            Output.error(error.description)
            throw ExitCode(2)
        }
        let size = terminal.size
        var state = ConsoleState(
            width: size.width, height: size.height, storePath: consoleStore.storePath, region: consoleStore.region,
            theme: loadedTheme)
        if let themeError {
            state.notice = .init(text: "\(themeError); using the default theme", isError: true)
        }
        let runtime = ConsoleRuntime(store: consoleStore, events: EventQueue(), themes: catalog)
        let app = ConsoleApp(state: state, runtime: runtime)
        let status = ConsoleLoop.run(app, on: terminal, stopSignal: { signals.pending })
        terminal.close()
        signals.restore()
        if let message = app.state.exitMessage { Output.note(message) }
        if status != 0 { Foundation.exit(status) }
    }
}
