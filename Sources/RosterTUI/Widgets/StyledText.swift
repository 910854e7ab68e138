import RosterModel

/// A run of text in one style slot.
public struct Span: Equatable, Sendable {
    public var text: String
    public var slot: Slot

    public init(_ text: String, _ slot: Slot = .body) {
        self.text = text
        self.slot = slot
    }
}

/// A line of spans, the unit detail, help and preview panes are made of.
public struct StyledLine: Equatable, Sendable {
    public var spans: [Span]
    /// Cells of indent for the continuation lines when the line is wrapped.
    public var hangingIndent = 0

    public init(_ spans: [Span] = []) { self.spans = spans }

    public init(_ text: String, _ slot: Slot = .body) { spans = [Span(text, slot)] }

    /// Draws the line at row `y` of `rect`, clipped to its width.
    public func render(into buffer: inout CellBuffer, x: Int, y: Int, width: Int) {
        var column = x
        for span in spans where column < x + width {
            column += buffer.put(span.text, x: column, y: y, limit: x + width - column, slot: span.slot)
        }
    }

    /// The line cut into lines of at most `width` cells, so nothing is lost at the right edge.
    public func wrapped(to width: Int) -> [StyledLine] {
        guard width > 0 else { return [self] }
        var lines: [StyledLine] = [StyledLine()]
        var used = 0
        let indent = hangingIndent < width / 2 ? hangingIndent : 0
        for span in spans {
            var rest = TerminalText.escape(span.text)
            while !rest.isEmpty {
                if used == width {
                    lines.append(StyledLine(indent > 0 ? [Span(String(repeating: " ", count: indent))] : []))
                    used = indent
                    if rest.first == " " { rest.removeFirst() }
                }
                var piece = TextWidth.prefix(rest, fitting: width - used)
                if piece.isEmpty {
                    if used <= indent { piece = String(rest.prefix(1)) } else { used = width; continue }
                }
                // Break after a space when a word would be cut, unless the piece is one long word (JSON, ids).
                if piece.count < rest.count, let space = piece.lastIndex(of: " "), space > piece.startIndex {
                    piece = String(piece[...space])
                    lines[lines.count - 1].spans.append(Span(piece, span.slot))
                    rest.removeFirst(piece.count)
                    used = width
                    continue
                }
                lines[lines.count - 1].spans.append(Span(piece, span.slot))
                used += TextWidth.of(piece)
                rest.removeFirst(piece.count)
            }
        }
        return lines
    }
}

/// A scrollable column of styled lines, wrapped to the width.
public enum TextPane {
    /// Draws `lines` from `offset` into `rect`, long lines wrapped; returns the offset actually used (clamped).
    @discardableResult
    public static func render(_ lines: [StyledLine], offset: Int, into buffer: inout CellBuffer, rect: Rect) -> Int {
        let lines = lines.flatMap { $0.wrapped(to: rect.width) }
        let start = max(0, min(offset, lines.count - rect.height))
        for row in 0..<rect.height where start + row < lines.count {
            lines[start + row].render(into: &buffer, x: rect.x, y: rect.y + row, width: rect.width)
        }
        return start
    }
}
