/// Help, generated from the key table and the command table: every key and command is described.
enum HelpView {
    /// Help for a pane `width` cells wide (the "where" column only when there is room for it).
    static func lines(width: Int = 120) -> [StyledLine] {
        let wide = width >= 100
        var heading = StyledLine([Span(pad("Keys", 20), .accent), Span(" what", .accent)])
        if wide { heading.spans.insert(Span(" " + pad("where", 22), .accent), at: 1) }
        var lines = [heading]
        for binding in KeyTable.bindings {
            var line = StyledLine([Span(pad(binding.label, 20), .header), Span(" " + binding.summary)])
            if wide { line.spans.insert(Span(" " + pad(places(binding.scopes), 22), .dim), at: 1) }
            line.hangingIndent = wide ? 44 : 21
            lines.append(line)
        }
        lines += [StyledLine(), StyledLine("Commands", .accent)]
        for command in ColonCommand.usage {
            var line = StyledLine([Span(pad(command.usage, 42), .header), Span(" " + command.summary)])
            line.hangingIndent = 43
            lines.append(line)
        }
        lines += [
            StyledLine(), StyledLine("Marks", .accent),
            StyledLine("consent  E S P: email, SMS, push consented; e s p: refused; ·: no such channel"),
            StyledLine("masked   a***@example.com, +34 6** *** *33 until r reveals them (audited)"),
            StyledLine("filter   the segments language (name ~ \"ana\", has email, birthday = today, and/or/not)"),
            StyledLine("         or plain text matched against names and identifiers; an error is shown under /"),
            StyledLine("         @NAME stands for a saved segment's filter (:segments lists them)"),
            StyledLine("paste    goes into the open prompt or template whole (line breaks become spaces)"),
            StyledLine("edits    :set, :unset, :consent go to the customer the : line names, by identity"),
            StyledLine("sort     ▲ ▼ after a column title: the list is sorted by it, ascending or descending"),
            StyledLine("columns  ‹ › at the ends of the titles: more columns that way (h l scroll to them)"),
            StyledLine("live     other processes' changes appear within a second; the status line says when"),
        ]
        return lines
    }

    /// Where a binding applies, in words.
    static func places(_ scopes: Set<KeyScope>) -> String {
        if scopes.count == KeyScope.allCases.count { return "everywhere" }
        let names: [KeyScope: String] = [.list: "lists", .detail: "detail", .pane: "panes", .input: "prompts"]
        return KeyScope.allCases.filter(scopes.contains).compactMap { names[$0] }.joined(separator: ", ")
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        text + String(repeating: " ", count: max(0, width - TextWidth.of(text)))
    }
}
