import RosterModel

/// A frequency table: each value, its count, its share and a bar, most frequent first.
enum FrequencyView {
    static func title(_ pane: FrequencyScreen) -> String {
        var title = "Frequency · " + pane.title
        if let bucket = pane.bucket, bucket != .day { title += " by " + bucket.rawValue }
        if let table = pane.table {
            title += " (\(Format.count(table.entries.count, "value")), \(Format.count(table.total, "row")))"
        }
        return title
    }

    /// The first entry shown so that the selected one is on screen.
    static func top(_ pane: FrequencyScreen, height: Int) -> Int {
        let selected = pane.selected
        return max(0, min(selected, max(0, selected - height + 1)))
    }

    static func render(_ pane: FrequencyScreen, _ state: ConsoleState, into buffer: inout CellBuffer, rect: Rect) {
        guard rect.height > 0, rect.width > 0 else { return }
        buffer.fill(Rect(x: rect.x, y: rect.y, width: rect.width, height: 1), slot: .header)
        if let error = pane.error {
            buffer.put(" " + error, x: rect.x, y: rect.y + 1, slot: .error)
            return
        }
        guard let table = pane.table else {
            buffer.put(" " + pane.title, x: rect.x, y: rect.y, slot: .header)
            buffer.put(" counting…", x: rect.x, y: rect.y + 1, slot: .dim)
            return
        }
        let inner = max(0, rect.width - 2)
        let height = rect.height - 1
        let top = top(pane, height: height)
        let shown = table.entries[min(top, table.entries.count)..<min(table.entries.count, top + max(0, height))]
        // Columns: the value (as wide as the widest shown, up to half the width), the count, the share, the bar.
        let countWidth = max(5, Format.count(table.entries.first?.count ?? 0).count)
        let shareWidth = 6
        let widest = shown.reduce(TextWidth.of(pane.title)) { max($0, TextWidth.of(TerminalText.escape($1.value))) }
        let valueWidth = max(1, min(widest, max(inner / 2, inner - countWidth - shareWidth - 3 - 10)))
        let barX = valueWidth + 1 + countWidth + 1 + shareWidth + 1
        let barWidth = max(0, inner - barX)
        let most = max(1, table.entries.first?.count ?? 1)
        let x0 = rect.x + 1
        func cells(_ value: String, _ count: String, _ share: String, y: Int, slot: Slot) {
            buffer.put(
                TextWidth.truncate(value, to: valueWidth), x: x0, y: y, limit: min(valueWidth, inner), slot: slot)
            let countX = valueWidth + 1 + countWidth - TextWidth.of(count)
            if countX < inner { buffer.put(count, x: x0 + countX, y: y, limit: inner - countX, slot: slot) }
            let shareX = valueWidth + 1 + countWidth + 1 + shareWidth - TextWidth.of(share)
            if shareX < inner { buffer.put(share, x: x0 + shareX, y: y, limit: inner - shareX, slot: slot) }
        }
        cells(pane.title, "count", "%", y: rect.y, slot: .header)
        if table.entries.isEmpty {
            buffer.put(" no rows to count", x: rect.x, y: rect.y + 1, slot: .dim)
            return
        }
        for (line, entry) in shown.enumerated() {
            let y = rect.y + 1 + line
            let index = top + line
            let selected = index == pane.selected
            buffer.fill(Rect(x: rect.x, y: y, width: rect.width, height: 1), slot: selected ? .selection : .body)
            let share = percentage(entry.count, of: table.total)
            cells(
                TerminalText.escape(entry.value), Format.count(entry.count), share, y: y,
                slot: selected ? .selection : entry.filter == nil ? .dim : .body)
            if barWidth > 0 {
                let length = max(1, Int((Double(entry.count) / Double(most) * Double(barWidth)).rounded()))
                let bar = String(repeating: "█", count: min(barWidth, length))
                buffer.put(bar, x: x0 + barX, y: y, slot: selected ? .selection : .accent)
            }
        }
    }

    /// `12.3%`, one decimal.
    static func percentage(_ count: Int, of total: Int) -> String {
        guard total > 0 else { return "0%" }
        let tenths = (count * 1000 + total / 2) / total
        return "\(tenths / 10).\(tenths % 10)%"
    }
}
