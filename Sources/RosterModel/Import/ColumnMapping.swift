/// Where an import takes each target from: a header of the file, or a template of headers
/// (`{First Name} {Last Name}`). A target is an identifier role (`customerId`, `email`, `countryCode`, `phone`,
/// `deviceId`, `consent`, …) or a field name, optionally with a type (`birthdate:date`).
public struct ColumnMapping: Sendable, Equatable {
    /// One target and where its value comes from.
    public struct Entry: Sendable, Equatable {
        public var target: String
        /// A type the target's field is given when the store does not know it yet (`--map birthdate:date=DOB`).
        public var type: FieldType?
        /// The day/month order of the target's dates, when its source says (Mailchimp writes `MM/DD`).
        public var dateOrder: DateOrder?
        /// Candidate sources: the first whose headers are all in the file is used (presets list several spellings).
        public var sources: [Source]
        /// Whether a file without any of the sources is fine (a preset's entries); else it is refused.
        public var isOptional = false
        /// Whether every source the file has is tried on each row, in order, the first that holds a phone winning
        /// (a preset's phone columns: a row with no mobile number falls back to its other phone); else the first
        /// source the file has is the column for every row.
        public var perRow = false

        public init(target: String, type: FieldType? = nil, dateOrder: DateOrder? = nil, sources: [Source]) {
            self.target = target
            self.type = type
            self.dateOrder = dateOrder
            self.sources = sources
        }
    }

    /// A header, or a template whose `{Header}` parts are replaced by the row's cells.
    public enum Source: Sendable, Equatable, CustomStringConvertible {
        case column(String)
        case template([TemplatePart])

        /// Parses `Header` or `{First Name} {Last Name}`.
        public static func parse(_ text: String) throws(MappingError) -> Source {
            guard text.contains("{") || text.contains("}") else { return .column(text.trimmed) }
            var parts: [TemplatePart] = []
            var literal = ""
            var header: String?
            for character in text {
                switch character {
                case "{":
                    guard header == nil else { throw .badTemplate(text) }
                    if !literal.isEmpty { parts.append(.literal(literal)) }
                    literal = ""
                    header = ""
                case "}":
                    guard let name = header, !name.trimmed.isEmpty else { throw .badTemplate(text) }
                    parts.append(.column(name.trimmed))
                    header = nil
                default:
                    if header != nil { header!.append(character) } else { literal.append(character) }
                }
            }
            guard header == nil, parts.contains(where: { if case .column = $0 { true } else { false } }) else {
                throw .badTemplate(text)
            }
            if !literal.isEmpty { parts.append(.literal(literal)) }
            return .template(parts)
        }

        /// The headers the source reads.
        public var headers: [String] {
            switch self {
            case .column(let name): return [name]
            case .template(let parts):
                return parts.compactMap { if case .column(let name) = $0 { name } else { nil } }
            }
        }

        public var description: String {
            switch self {
            case .column(let name): return name
            case .template(let parts):
                return parts.map {
                    switch $0 {
                    case .literal(let text): text
                    case .column(let name): "{\(name)}"
                    }
                }.joined()
            }
        }
    }

    public enum TemplatePart: Sendable, Equatable {
        case literal(String)
        case column(String)
    }

    public var entries: [Entry]
    /// The day/month order for columns whose values leave it open (a mapping file's `date-order`).
    public var dateOrder: DateOrder?
    /// The calling code for phones without one (a mapping file's `default-country`).
    public var defaultCountry: String?
    /// Whether the file's other columns are left out (presets) instead of imported as fields named by their header.
    public var onlyMapped = false

    public init(entries: [Entry] = [], dateOrder: DateOrder? = nil, defaultCountry: String? = nil) {
        self.entries = entries
        self.dateOrder = dateOrder
        self.defaultCountry = defaultCountry
    }

    public var isEmpty: Bool { entries.isEmpty }

    /// Parses one `TARGET=SOURCE` (`name={First Name} {Last Name}`, `birthdate:date=DOB`).
    public static func entry(_ text: String) throws(MappingError) -> Entry {
        guard let equals = text.firstIndex(of: "=") else { throw .badEntry(text) }
        let left = String(text[..<equals]).trimmed
        let source = String(text[text.index(after: equals)...]).trimmed
        guard !left.isEmpty, !source.isEmpty else { throw .badEntry(text) }
        var target = left
        var type: FieldType?
        if let colon = left.lastIndex(of: ":") {
            let typeName = String(left[left.index(after: colon)...]).trimmed.lowercased()
            guard let declared = FieldType(rawValue: typeName) else { throw .badType(left) }
            type = declared
            target = String(left[..<colon]).trimmed
        }
        guard !target.isEmpty, !target.hasControlCharacters else { throw .badEntry(text) }
        return Entry(target: target, type: type, sources: [try Source.parse(source)])
    }

    /// This mapping with `other`'s entries replacing those of the same target, and its settings where it has them.
    public func overridden(by other: ColumnMapping) -> ColumnMapping {
        var result = self
        for entry in other.entries {
            result.entries.removeAll { $0.target.lowercased() == entry.target.lowercased() }
            result.entries.append(entry)
        }
        result.dateOrder = other.dateOrder ?? dateOrder
        result.defaultCountry = other.defaultCountry ?? defaultCountry
        result.onlyMapped = onlyMapped || other.onlyMapped
        return result
    }
}

/// A `--map`, `--mapping` or `--preset` that cannot be used; nothing was imported.
public enum MappingError: Error, Equatable, Sendable, CustomStringConvertible {
    case badEntry(String)
    case badType(String)
    case badTemplate(String)
    case unknownPreset(String)
    case badFile(path: String, line: Int, detail: String)
    /// A source names a header the file does not have.
    case unknownHeader(target: String, header: String, fileHeaders: [String])
    /// The file (after mapping) lacks a column its kind needs; `suggestions` are `TARGET="Header"` mappings that
    /// would probably give it.
    case missingColumns(kind: ImportKind, missing: [String], header: [String], suggestions: [String])
    /// Every value of a date column reads both as day/month and as month/day.
    case ambiguousDateOrder(field: String, column: String)
    /// Some values of a date column are day/month and others month/day.
    case conflictingDateOrder(field: String, column: String)
    case badDefaultCountry(String)

    public var description: String {
        switch self {
        case .badEntry(let text):
            return "\"\(text)\" is not a mapping: write TARGET=SOURCE, such as email=\"E-mail Address\" or "
                + "name=\"{First Name} {Last Name}\""
        case .badType(let text):
            return "\"\(text)\" names an unknown type: use date, number, boolean or text after the colon"
        case .badTemplate(let text):
            return "\"\(text)\" is not a template of headers: write each header in braces, such as "
                + "\"{First Name} {Last Name}\""
        case .unknownPreset(let name):
            return "no preset named \"\(name)\": use " + Preset.allCases.map(\.rawValue).joined(separator: ", ")
        case .badFile(let path, let line, let detail):
            return "\(path), line \(line): \(detail)"
        case .unknownHeader(let target, let header, let fileHeaders):
            return "the mapping of \(target) names the column \"\(header)\", which the file does not have; its "
                + "header has: " + fileHeaders.map { "\"\(TerminalText.escape($0))\"" }.joined(separator: ", ")
                + " (nothing was imported)"
        case .missingColumns(let kind, let missing, let header, let suggestions):
            let names = missing.map { $0 == "customerId" ? "customerId (or externalCode / externalId)" : $0 }
            return "a \(kind.rawValue) file needs the column\(missing.count == 1 ? "" : "s") "
                + names.joined(separator: ", ") + "; the header has: "
                + header.map { "\"\(TerminalText.escape($0))\"" }.joined(separator: ", ") + " (nothing was imported)"
                + (suggestions.isEmpty
                    ? "" : "; to use a column of another name, map it: " + suggestions.joined(separator: " "))
        case .ambiguousDateOrder(let field, let column):
            return
                "the dates of field \(field) (column \"\(TerminalText.escape(column))\") could all be day/month or month/day: none has "
                + "a part above 12. Give the order, dmy or mdy (nothing was imported)"
        case .conflictingDateOrder(let field, let column):
            return
                "the dates of field \(field) (column \"\(TerminalText.escape(column))\") are written both day/month and month/day. "
                + "Give the order, dmy or mdy, to keep the rows written that way (nothing was imported)"
        case .badDefaultCountry(let code):
            return "\"\(code)\" is not a country calling code (such as 34 for Spain or 1 for the US)"
        }
    }
}
