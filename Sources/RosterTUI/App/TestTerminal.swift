/// A terminal for tests and benches: scripted input in, every frame recorded (each cell's cluster and style slot).
///
/// Each read returns the next batch of the script, as a real terminal returns everything that is waiting; a
/// script that runs out ends the console as Ctrl-C would (and says so in `ranOut`), so a test never hangs.
public final class TestTerminal: TerminalBackend {
    /// One frame as drawn, with the theme it was drawn in.
    public struct Frame: Sendable {
        public let buffer: CellBuffer
        public let theme: Theme
        /// How many batches of input had been read when it was drawn.
        public let afterBatch: Int
    }

    public private(set) var size: (width: Int, height: Int)
    public let clipboardSupport: (supported: Bool, reason: String)
    public private(set) var frames: [Frame] = []
    /// Texts sent to the clipboard, in order.
    public private(set) var copied: [String] = []
    public private(set) var invalidations = 0
    public private(set) var suspensions = 0
    /// Whether the console asked for more input than the script had.
    public private(set) var ranOut = false
    private var script: [[TerminalInput]]
    private var batchesRead = 0

    /// A terminal of `width`×`height` that gives `script`'s batches one read at a time (an empty batch is a read
    /// that timed out: the loop drains background results and draws).
    public init(
        width: Int, height: Int, script: [[TerminalInput]], clipboard: (supported: Bool, reason: String) = (true, "")
    ) {
        size = (width, height)
        self.script = script
        clipboardSupport = clipboard
    }

    /// The last frame drawn.
    public var lastFrame: CellBuffer? { frames.last?.buffer }

    public func readPending() -> [TerminalInput] {
        guard !script.isEmpty else {
            ranOut = true
            return [.key(.control("c"))]
        }
        let batch = script.removeFirst()
        batchesRead += 1
        for case .resize(let width, let height) in batch { size = (width, height) }
        return batch
    }

    public func draw(_ buffer: CellBuffer, theme: Theme) {
        frames.append(Frame(buffer: buffer, theme: theme, afterBatch: batchesRead))
    }

    public func invalidate() { invalidations += 1 }

    public func suspend() { suspensions += 1 }

    public func copy(_ text: String) { copied.append(text) }
}
