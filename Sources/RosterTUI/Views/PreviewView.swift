/// Personalization preview: the template being typed, its rendering and the missing fields, and over a
/// filtered list the segment counts.
enum PreviewView {
    static func render(_ preview: PreviewScreen, into buffer: inout CellBuffer, rect: Rect) {
        guard rect.height > 0 else { return }
        preview.input.render(
            label: "template: ", into: &buffer, at: Rect(x: rect.x, y: rect.y, width: rect.width, height: 1))
        var lines: [StyledLine] = [
            StyledLine("$Name, ${Name}, ${Name|fallback}, $$ for $; fields match case-insensitively", .dim),
            StyledLine(),
        ]
        if preview.input.text.isEmpty {
            lines.append(StyledLine("Type a template, such as Hi $Name", .dim))
        } else if let error = preview.error {
            lines.append(StyledLine(error, .error))
        } else if let result = preview.result {
            lines.append(StyledLine("Rendered", .accent))
            lines += result.text.split(separator: "\n", omittingEmptySubsequences: false).map {
                StyledLine(String($0))
            }
            lines.append(
                result.missing.isEmpty
                    ? StyledLine("No missing fields.", .dim)
                    : StyledLine("Missing: " + result.missing.joined(separator: ", "), .error))
        } else {
            lines.append(StyledLine("Rendering…", .dim))
        }
        if let filter = preview.segmentFilter, !preview.input.text.isEmpty {
            lines += [StyledLine(), StyledLine("Segment /\(filter)", .accent)]
            if let error = preview.segmentError {
                lines.append(StyledLine(error, .error))
            } else if let segment = preview.segment {
                lines.append(
                    StyledLine(
                        "\(Format.count(segment.total, "customer")), \(Format.count(segment.complete)) complete, "
                            + "\(Format.count(segment.total - segment.complete)) with missing fields"))
                for missing in segment.missingByField {
                    lines.append(StyledLine("  missing \(missing.field): \(Format.count(missing.count))", .error))
                }
                for sample in segment.samples {
                    lines.append(
                        StyledLine([
                            Span("  " + Format.short(sample.externalCode, 10) + "  ", .dim),
                            Span(sample.rendering.text),
                        ]))
                }
            } else {
                lines.append(StyledLine("Counting…", .dim))
            }
        }
        TextPane.render(lines, offset: 0, into: &buffer, rect: rect.droppingTop(2))
    }
}
