/// An import: its progress bar while it runs, the summary at the end.
enum ImportView {
    static func render(_ pane: ImportScreen, shown: Double, into buffer: inout CellBuffer, rect: Rect) {
        guard rect.height > 0 else { return }
        var lines: [StyledLine] = [StyledLine("Importing \(pane.kind) from \(pane.path)", .accent), StyledLine()]
        if let error = pane.error {
            lines += [StyledLine("Import failed: \(error)", .error), StyledLine("Nothing was written.", .dim)]
        } else if let report = pane.report {
            lines.append(StyledLine("Done.", .accent))
            let counts: [(String, Int)] = [
                ("read", report.read), ("created", report.created), ("updated", report.updated),
                ("unchanged", report.unchanged), ("rejected", report.rejected),
                ("duplicatesInFile", report.duplicatesInFile),
            ]
            for (label, value) in counts {
                lines.append(
                    StyledLine([
                        Span(label.padding(toLength: 18, withPad: " ", startingAt: 0), .dim), Span(Format.count(value)),
                    ]))
            }
            if !report.rejects.isEmpty {
                lines += [StyledLine(), StyledLine("Rejected rows", .accent)]
                lines += report.rejects.map { StyledLine($0, .error) }
            }
        } else {
            let rows = pane.progress.map { $0.describe(overall: shown) } ?? "starting…"
            lines.append(StyledLine(rows, .dim))
        }
        let start = TextPane.render(lines, offset: pane.offset, into: &buffer, rect: rect)
        if pane.report == nil && pane.error == nil && start == 0 && rect.height > 3 {
            ProgressBar.render(
                shown, into: &buffer, x: rect.x, y: rect.y + 3, width: min(50, rect.width))
        }
    }
}
