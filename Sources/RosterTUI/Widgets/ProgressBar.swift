/// A horizontal bar for a fraction from 0 to 1: `████████░░░░  67%`.
public enum ProgressBar {
    /// Draws the bar and its percentage into `width` cells of row `y`.
    public static func render(_ fraction: Double, into buffer: inout CellBuffer, x: Int, y: Int, width: Int) {
        let clamped = min(1, max(0, fraction.isFinite ? fraction : 0))
        let label = " \(Int((clamped * 100).rounded(.down)))%"
        let barWidth = max(0, width - 5)
        let filled = Int((Double(barWidth) * clamped).rounded(.down))
        buffer.put(String(repeating: "█", count: filled), x: x, y: y, limit: filled, slot: .accent)
        buffer.put(String(repeating: "░", count: barWidth - filled), x: x + filled, y: y, slot: .dim)
        buffer.put(label, x: x + barWidth, y: y, limit: width - barWidth, slot: .body)
    }

    /// A spinner frame for work of unknown length, from a counter.
    public static func spinner(_ tick: Int) -> String {
        let frames = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"]
        return frames[((tick % frames.count) + frames.count) % frames.count]
    }
}
