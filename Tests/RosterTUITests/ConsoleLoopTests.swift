import RosterModel
import Testing

@testable import RosterTUI

/// The console's real loop (read everything waiting → update → effects → draw) on `TestTerminal`, over the fake
/// store with its background work run inline.
@Suite("the console loop on a test terminal")
struct ConsoleLoopTests {
    /// Runs the loop over `store` on a terminal with `script`; returns the terminal, the app and the exit status.
    static func run(
        _ script: [[TerminalInput]], store: FakeConsoleStore = FakeConsoleStore(), width: Int = 80, height: Int = 24,
        stopSignal: @escaping () -> Int32? = { nil }
    ) -> (TestTerminal, ConsoleApp, Int32) {
        let runtime = ConsoleRuntime(
            store: store, events: EventQueue(), themes: ThemeCatalog(directories: []), inline: true)
        let app = ConsoleApp(
            state: ConsoleState(width: width, height: height, storePath: Fixtures.storePath, region: "eu"),
            runtime: runtime)
        let terminal = TestTerminal(width: width, height: height, script: script)
        let status = ConsoleLoop.run(app, on: terminal, stopSignal: stopSignal, clock: { 0 })
        return (terminal, app, status)
    }

    static func keys(_ text: String) -> [TerminalInput] { text.map { .key(.character($0)) } }

    /// The status line of a frame.
    static func status(_ frame: CellBuffer?) -> String { frame.map { $0.line($0.height - 1) } ?? "" }

    /// `count` customers named `Customer 1`, `Customer 2`….
    static func manyCustomers(_ count: Int) -> [Customer] {
        (1...count).map { Fixtures.customer(Int64($0), name: "Customer \($0)") }
    }

    @Test("the first frame shows the list once the load is drained; keys are applied in the order they came")
    func keysInOrder() {
        // An empty batch first: a read that timed out, so the load's result is drained before the keys.
        let (terminal, app, status) = Self.run([[], [.key(.character("/"))] + Self.keys("Zoë") + [.key(.enter)]])
        #expect(terminal.ranOut && status == 130, "the script ran out and ended the console as Ctrl-C would")
        #expect(app.state.filters[.customers]?.text == "Zoë")
        #expect(app.state.prompt == nil)
        let last = terminal.lastFrame
        #expect(last?.lines.joined(separator: "\n").contains("Zoë Smith") == true)
        #expect(Self.status(last).contains("1/1 │ /Zoë (text)"), "\(Self.status(last))")
        #expect(terminal.frames.first?.buffer.lines.joined().contains("loading") == true)
    }

    @Test("a burst of 500 j is applied whole before one frame is drawn, which shows row 501")
    func burst() {
        let store = FakeConsoleStore(customers: Self.manyCustomers(1_000))
        let burst = [TerminalInput](repeating: .key(.character("j")), count: 500)
        let (terminal, app, status) = Self.run([[], burst, [.key(.character("q"))]], store: store)
        #expect(status == 0 && !terminal.ranOut)
        #expect(app.state.position(.customers).selected == 500)
        let afterBurst = terminal.frames.filter { $0.afterBatch == 2 }
        #expect(afterBurst.count == 1, "one frame for the whole burst")
        let frame = afterBurst.first?.buffer
        #expect(Self.status(frame).hasPrefix(" 501/1,000"), "\(Self.status(frame))")
        // The selected row is drawn in the selection style and is customer 501.
        let selectedRows = frame.map { buffer in (2..<buffer.height - 1).filter { buffer[0, $0].slot == .selection } }
        #expect(selectedRows?.count == 1)
        if let frame, let row = selectedRows?.first { #expect(frame.line(row).contains("Customer 501")) }
        #expect(terminal.frames.last?.afterBatch == 2, "q quits without drawing another frame")
    }

    @Test("a paste goes into the open prompt whole, as one filter; outside a prompt it only says so")
    func paste() {
        let (terminal, app, _) = Self.run([
            [], [.paste("José")], [.key(.character("/")), .paste("Jos\u{1B}é\n")],
        ])
        #expect(app.state.filters[.customers]?.text == "José ", "the escape is dropped and the line break a space")
        #expect(app.state.filters[.customers]?.generation == 1, "one filter for the whole paste")
        let afterOutside = terminal.frames.first { $0.afterBatch == 2 }?.buffer
        #expect(Self.status(afterOutside).contains("a paste goes into a prompt"))
        #expect(terminal.lastFrame?.lines.joined(separator: "\n").contains("José García") == true)
    }

    @Test("a resize redraws at the new size, down to a terminal too small to use and back")
    func resize() {
        let (terminal, app, _) = Self.run([
            [], [.resize(width: 120, height: 40)], [.resize(width: 12, height: 3)], [.resize(width: 80, height: 1)],
            [.resize(width: 100, height: 30)],
        ])
        let sizes = terminal.frames.map { "\($0.buffer.width)x\($0.buffer.height)" }
        #expect(sizes.suffix(4) == ["120x40", "12x3", "80x1", "100x30"], "\(sizes)")
        let small = terminal.frames.first { $0.afterBatch == 3 }?.buffer
        #expect(small?.lines.first?.hasPrefix("terminal") == true, "\(small?.lines ?? [])")
        #expect(app.state.width == 100 && app.state.height == 30)
        #expect(terminal.lastFrame?.lines.joined().contains("José García") == true)
    }

    @Test("q quits with status 0, Ctrl-C with 130, a signal with 128 + N; keys after q are not applied")
    func quitting() {
        let quit = Self.run([[], [.key(.character("q")), .key(.character("j"))]])
        #expect(quit.2 == 0 && !quit.0.ranOut)
        #expect(quit.1.state.position(.customers).selected == 0)
        let interrupted = Self.run([[], [.key(.control("c"))]])
        #expect(interrupted.2 == 130 && !interrupted.0.ranOut)
        var reads = 0
        let signalled = Self.run([[], [], []]) {
            reads += 1
            return reads > 2 ? 15 : nil
        }
        #expect(signalled.2 == 143 && !signalled.0.ranOut)
        let command = Self.run([[], [.key(.character(":"))] + Self.keys("q") + [.key(.enter)]])
        #expect(command.2 == 0 && !command.0.ranOut)
    }

    @Test("the terminal's effects reach the backend: Ctrl-L repaints, Ctrl-Z suspends, y copies")
    func terminalEffects() {
        let (terminal, _, _) = Self.run([
            [], [.key(.control("l"))], [.key(.control("z"))], [.key(.character("y"))], [.key(.character("q"))],
        ])
        #expect(terminal.invalidations == 1)
        #expect(terminal.suspensions == 1)
        #expect(terminal.copied == [Fixtures.customers[0].externalCode])
    }
}
