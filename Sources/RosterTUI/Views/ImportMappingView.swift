import RosterModel

/// The mapping step of an import: the file's headers, the mapping (editable), the date formats found and the first
/// rows as they will be stored, or why the mapping cannot import the file.
enum ImportMappingView {
    static func lines(_ pane: ImportMappingScreen) -> [StyledLine] {
        let draft = pane.draft
        var lines: [StyledLine] = [
            StyledLine("Check the mapping: Enter imports with it, Esc cancels (nothing is written before Enter).", .dim)
        ]
        let presets = pane.result?.presets ?? []
        var preset = [Span(pad("preset"), .dim), Span(draft.preset ?? "none")]
        if draft.preset == nil, !presets.isEmpty {
            preset.append(Span("  (fits this file: \(presets.joined(separator: ", ")); p chooses)", .accent))
        } else {
            preset.append(Span("  (p)", .dim))
        }
        lines.append(StyledLine(preset))
        lines.append(
            StyledLine([
                Span(pad("date order"), .dim),
                Span(
                    draft.dateOrder.map { $0 == .dmy ? "dmy (06/12 is 6 December)" : "mdy (06/12 is 12 June)" }
                        ?? "from the values"),
                Span("  (o)", .dim),
            ]))
        lines.append(
            StyledLine([
                Span(pad("default country"), .dim), Span(draft.defaultCountry.map { "+" + $0 } ?? "none"),
                Span("  (c)", .dim),
            ]))
        if !draft.maps.isEmpty {
            lines.append(StyledLine([Span(pad("your mapping"), .dim), Span(draft.maps.joined(separator: "  "))]))
        }
        lines.append(StyledLine())
        if let error = pane.error {
            lines.append(StyledLine("Cannot read the file: \(error)", .error))
            return lines
        }
        guard let result = pane.result else {
            lines.append(StyledLine("Reading the file…", .dim))
            return lines
        }
        if !result.headers.isEmpty {
            var line = StyledLine([Span(pad("headers"), .dim), Span(result.headers.joined(separator: ", "))])
            line.hangingIndent = 17
            lines += [line, StyledLine()]
        }
        if let problem = result.problem {
            if result.needsDateOrder {
                lines.append(StyledLine("A date column needs its day/month order: \(problem)", .error))
                lines.append(
                    StyledLine("o chooses it: dmy reads 06/12/1990 as 6 December, mdy as 12 June.", .accent))
            } else {
                lines.append(StyledLine("This mapping cannot import the file: \(problem)", .error))
                lines.append(StyledLine("m maps a column (:map TARGET=SOURCE), p picks a preset.", .accent))
            }
        }
        guard let preview = result.preview else { return lines }
        if result.problem != nil { lines.append(StyledLine()) }
        lines.append(StyledLine("Mapping (j/k select, m changes the selected target's source)", .accent))
        let width = min(28, (preview.columns.map { TextWidth.of(label($0)) }.max() ?? 0) + 2)
        for (index, column) in preview.columns.enumerated() {
            let marker = index == pane.selected ? "› " : "  "
            lines.append(
                StyledLine([
                    Span(marker, .accent), Span(pad(label(column), width), index == pane.selected ? .accent : .body),
                    Span("← " + column.source, .dim),
                ]))
        }
        if !preview.unused.isEmpty {
            var line = StyledLine([Span("  not imported: ", .dim), Span(preview.unused.joined(separator: ", "), .dim)])
            line.hangingIndent = 4
            lines.append(line)
        }
        if !preview.formats.isEmpty {
            lines += [StyledLine(), StyledLine("Formats found", .accent)]
            for format in preview.formats {
                lines.append(StyledLine([Span("  " + pad(format.field, width), .body), Span(format.format, .dim)]))
            }
        }
        lines += [StyledLine(), StyledLine("First rows as they will be stored", .accent)]
        if preview.rows.isEmpty { lines.append(StyledLine("  the file has no rows", .dim)) }
        for row in preview.rows {
            if let rejection = row.rejection {
                lines.append(StyledLine("  line \(row.line): rejected: \(rejection)", .error))
                continue
            }
            var line = StyledLine([Span("  line \(row.line): ", .dim)])
            for (index, value) in row.values.enumerated() {
                if index > 0 { line.spans.append(Span(", ", .dim)) }
                line.spans.append(Span(value.name + "=", .dim))
                let masked = maskedValue(value.name, value.value)
                line.spans.append(Span(masked, masked == value.value ? .body : .masked))
            }
            line.hangingIndent = 4
            lines.append(line)
        }
        return lines
    }

    /// Emails and phones are masked as in the lists: the preview is on screen, not in the operator's file.
    private static func maskedValue(_ name: String, _ value: String) -> String {
        switch name {
        case "email": return Mask.email(value)
        case "phone": return Mask.phone(value)
        default: return value
        }
    }

    private static func label(_ column: ImportPreview.Column) -> String {
        column.target + (column.type.map { " (\($0.rawValue))" } ?? "")
    }

    private static func pad(_ text: String, _ width: Int = 17) -> String {
        text + String(repeating: " ", count: max(1, width - TextWidth.of(text)))
    }
}
