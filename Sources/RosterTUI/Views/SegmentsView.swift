import RosterModel

/// `:segments`: one line per saved segment (name, live count, filter), the selected one highlighted.
enum SegmentsView {
    static func render(_ pane: SegmentsScreen, into buffer: inout CellBuffer, rect: Rect) {
        guard rect.height > 0, rect.width > 0 else { return }
        let lines = self.lines(pane)
        guard pane.loaded, pane.error == nil, !pane.segments.isEmpty else {
            TextPane.render(lines, offset: 0, into: &buffer, rect: rect)
            return
        }
        // The first line is the column titles; the rest scroll to keep the selection in view.
        lines[0].render(into: &buffer, x: rect.x, y: rect.y, width: rect.width)
        let height = rect.height - 1
        guard height > 0 else { return }
        let top = max(0, min(pane.selected - height + 1, pane.segments.count - height))
        for row in 0..<height where top + row < pane.segments.count {
            let index = top + row
            let y = rect.y + 1 + row
            if index == pane.selected {
                buffer.fill(Rect(x: rect.x, y: y, width: rect.width, height: 1), slot: .selection)
                var line = lines[index + 1]
                line.spans = line.spans.map { Span($0.text, .selection) }
                line.render(into: &buffer, x: rect.x, y: y, width: rect.width)
            } else {
                lines[index + 1].render(into: &buffer, x: rect.x, y: y, width: rect.width)
            }
        }
    }

    /// The pane's lines: the titles, then one per segment (or a message while loading, on error, when empty).
    static func lines(_ pane: SegmentsScreen) -> [StyledLine] {
        if let error = pane.error { return [StyledLine("could not read the saved segments: \(error)", .error)] }
        guard pane.loaded else { return [StyledLine("Reading the saved segments…", .dim)] }
        guard !pane.segments.isEmpty else {
            return [
                StyledLine("No segment is saved yet.", .dim),
                StyledLine("Filter the list with /, then :segment save NAME keeps that filter as @NAME.", .dim),
            ]
        }
        let names = pane.segments.map { "@" + $0.name }
        let nameWidth = min(30, max(4, names.map { TextWidth.of($0) }.max() ?? 0))
        let counts = pane.segments.map { segment -> String in
            switch pane.counts[segment.name] {
            case .success(let count)?: return Format.count(count)
            case .failure?: return "error"
            case nil: return "…"
            }
        }
        let countWidth = max(9, counts.map { TextWidth.of($0) }.max() ?? 0)
        var lines = [
            StyledLine([
                Span(pad("name", nameWidth), .accent), Span("  " + padLeft("customers", countWidth), .accent),
                Span("  filter (Enter applies it)", .accent),
            ])
        ]
        for (index, segment) in pane.segments.enumerated() {
            var spans = [
                Span(pad(TextWidth.truncate(names[index], to: nameWidth), nameWidth), .header),
                Span("  " + padLeft(counts[index], countWidth)),
                Span("  " + segment.expression),
            ]
            if case .failure(let failure)? = pane.counts[segment.name] {
                spans.append(Span("  " + failure.message, .error))
            }
            lines.append(StyledLine(spans))
        }
        return lines
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        text + String(repeating: " ", count: max(0, width - TextWidth.of(text)))
    }

    private static func padLeft(_ text: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - TextWidth.of(text))) + text
    }
}
