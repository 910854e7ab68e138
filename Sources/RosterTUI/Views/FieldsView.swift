import RosterModel

/// The store's fields with their types and counts, and a field change waiting for its confirmation.
enum FieldsView {
    static func lines(_ pane: FieldsScreen) -> [StyledLine] {
        var lines: [StyledLine] = []
        if let change = pane.pending {
            lines += confirmation(change, pane.check)
            lines.append(StyledLine())
        }
        if let error = pane.error { lines += [StyledLine(error, .error), StyledLine()] }
        guard let fields = pane.fields else {
            lines.append(StyledLine("Counting the values of each field…", .dim))
            return lines
        }
        if fields.isEmpty {
            lines.append(StyledLine("This store has no fields yet.", .dim))
            return lines
        }
        let width = min(30, max(4, fields.map { TextWidth.of($0.name) }.max() ?? 0) + 2)
        lines.append(
            StyledLine([Span(pad("name", width), .header), Span(pad("type", 9), .header), Span("customers", .header)]))
        for field in fields {
            lines.append(
                StyledLine([
                    Span(pad(field.name, width)), Span(pad(field.type.rawValue, 9), .dim),
                    Span(Format.count(field.count)),
                ]))
        }
        lines += [
            StyledLine(),
            StyledLine(":field retype NAME TYPE [dmy|mdy] [drop] · :field rename OLD NEW (both ask first)", .dim),
        ]
        return lines
    }

    private static func confirmation(_ change: FieldRequest, _ check: FieldCheck?) -> [StyledLine] {
        guard let check else { return [StyledLine("Checking: \(change.summary)…", .dim)] }
        switch check {
        case .rename(let count):
            guard case .rename(let old, let new) = change else { return [] }
            return [
                StyledLine(
                    "Rename field \(old) to \(new) on \(Format.count(count)) customer\(count == 1 ? "" : "s").", .accent
                ),
                StyledLine("y: rename · Esc: cancel", .accent),
            ]
        case .retype(let report):
            let read = report.format.map { " (read as \($0))" } ?? ""
            var lines = [
                StyledLine(
                    "Retype field \(report.field) from \(report.from.rawValue) to \(report.to.rawValue): "
                        + "\(Format.count(report.converted)) value\(report.converted == 1 ? " converts" : "s convert")\(read).",
                    .accent)
            ]
            let failing = report.unconvertible
            if failing.isEmpty {
                lines.append(StyledLine("y: retype · Esc: cancel", .accent))
                return lines
            }
            lines.append(
                StyledLine(
                    "\(Format.count(failing.count)) value\(failing.count == 1 ? " does" : "s do") not convert:", .error)
            )
            for item in failing.prefix(10) {
                lines.append(
                    StyledLine([
                        Span("  " + Format.short(item.externalCode, 13) + "  ", .dim), Span(item.reason, .error),
                    ]))
            }
            if failing.count > 10 { lines.append(StyledLine("  … and \(Format.count(failing.count - 10)) more", .dim)) }
            var dropping = false
            if case .retype(_, _, _, let drop, _) = change { dropping = drop }
            lines.append(
                StyledLine(
                    (dropping ? "y" : "d") + ": retype and drop the \(Format.count(failing.count)) value"
                        + "\(failing.count == 1 ? " that does" : "s that do") not convert · Esc: cancel (nothing changes)",
                    .accent))
            return lines
        }
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        text + String(repeating: " ", count: max(1, width - TextWidth.of(text)))
    }
}
