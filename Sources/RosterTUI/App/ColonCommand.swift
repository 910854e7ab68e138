import RosterModel

/// A command typed on the `:` line.
public enum ColonCommand: Equatable, Sendable {
    case show(ListKind)
    case deviceGet(String)
    case importFile(kind: String, path: String)
    case theme(String)
    case filter(String)
    case preview(String)
    case edit(CustomerEdit)
    /// A setting of the import being set up (`:map`, `:preset`, `:date-order`, `:country`).
    case importSetting(ImportSetting)
    /// `:field` (nil: the list), `:field retype`, `:field rename`.
    case field(FieldRequest?)
    /// `:segments`: the saved segments with live counts.
    case segments
    /// `:segment save NAME [--replace]`: the current filter, saved.
    case saveSegment(name: String, replacing: Bool)
    /// `:segment delete NAME`.
    case deleteSegment(String)
    case help
    case quit
    /// `:columns` (nil: list the available ones) or `:columns a,b,c`.
    case columns(String?)
    /// `:freq [COLUMN] [month|year]`: the frequency table of a column (nil: the current one).
    case frequency(column: String?, bucket: String?)
    /// `:export FILE [csv|jsonl]`.
    case export(path: String, format: String?)

    /// The import kinds `:import` takes.
    public static let importKinds = ["email", "sms", "push", "fields", "contacts", "jsonl"]

    /// Every command as help lists it: usage and what it does.
    public static let usage: [(usage: String, summary: String)] = [
        (":customers  :devices  :email  :sms  :push", "show that view"),
        (":deviceget ID", "what the SDK's deviceGet prints for a deviceId (or a customer with one device)"),
        (":import KIND FILE", "import a CSV (KIND: \(importKinds.joined(separator: ", "))) with progress"),
        (":filter EXPR", "filter the current view (as /)"),
        (":preview TEMPLATE", "preview a template for the selected customer"),
        (":set FIELD VALUE", "set a field (or email, phone) of the selected customer (audited)"),
        (":unset FIELD", "remove a field (or email, phone) of the selected customer (audited)"),
        (":consent email|sms|push on|off", "turn a channel of the selected customer on or off (audited)"),
        (":segments", "the saved segments with live counts; Enter applies one (its filter shows as @NAME)"),
        (":segment save NAME [--replace]", "save the current filter as a segment, used as @NAME in any filter"),
        (":segment delete NAME", "delete a saved segment"),
        (":theme NAME", "switch theme live (default, light, high-contrast, mono, or a file)"),
        (":field  :fields", "the store's fields: type and how many customers have a value"),
        (
            ":field retype NAME TYPE [dmy|mdy] [drop]",
            "convert every value of a field (asks first, says which do not convert; drop removes them; audited)"
        ),
        (":field rename OLD NEW", "rename a field on every customer (asks first; audited; quote a name with spaces)"),
        (":map TARGET=SOURCE", "import mapping step: take TARGET from a header or {A} {B} (m fills it in)"),
        (":preset NAME|none", "import mapping step: hubspot, salesforce, mailchimp, google, outlook (p)"),
        (":date-order dmy|mdy|none  :country CODE|none", "import mapping step: date order (o), default country (c)"),
        (":columns [NAME,NAME…]", "set the list's columns (any field; \"a name\" in quotes; alone: list them)"),
        (":freq [COLUMN] [month|year]", "frequency table of a column (dates by month or year); Enter filters"),
        (":export FILE [csv|jsonl]", "write the current view, filtered and sorted, to FILE (audited)"),
        (":help", "this help"),
        (":q  :quit", "quit"),
    ]

    /// Parses a command line (without the `:`); the error says what was wrong.
    public static func parse(_ line: String) -> Result<ColonCommand, ConsoleFailure> {
        let trimmed = line.trimmingSpaces
        let name = String(trimmed.prefix { $0 != " " })
        let rest = String(trimmed.dropFirst(name.count)).trimmingSpaces
        let words = rest.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        if let setting = parseSetting(name.lowercased(), rest) { return setting }
        switch name.lowercased() {
        case "field", "fields": return parseField(quotedWords(rest))
        case "customers", "c": return .success(.show(.customers))
        case "devices": return .success(.show(.devices))
        case "email": return .success(.show(.email))
        case "sms": return .success(.show(.sms))
        case "push": return .success(.show(.push))
        case "deviceget", "device":
            guard !rest.isEmpty else { return .failure(ConsoleFailure("usage: :deviceget ID")) }
            return .success(.deviceGet(unquote(rest)))
        case "import":
            guard words.count >= 2 else {
                return .failure(
                    ConsoleFailure("usage: :import KIND FILE (KIND: \(importKinds.joined(separator: ", ")))"))
            }
            let kind = words[0].lowercased()
            guard importKinds.contains(kind) else {
                return .failure(
                    ConsoleFailure(
                        "unknown import kind \"\(words[0])\" (kinds: \(importKinds.joined(separator: ", ")))"))
            }
            let path = unquote(String(rest.dropFirst(words[0].count)).trimmingSpaces)
            return .success(.importFile(kind: kind, path: path))
        case "theme":
            guard !rest.isEmpty else { return .failure(ConsoleFailure("usage: :theme NAME")) }
            return .success(.theme(unquote(rest)))
        case "filter": return .success(.filter(rest))
        case "preview": return .success(.preview(rest))
        case "set":
            guard words.count >= 2 else { return .failure(ConsoleFailure("usage: :set FIELD VALUE")) }
            let value = unquote(String(rest.dropFirst(words[0].count)).trimmingSpaces)
            return .success(.edit(.setField(name: words[0], value: value)))
        case "unset":
            guard words.count == 1 else { return .failure(ConsoleFailure("usage: :unset FIELD")) }
            return .success(.edit(.unsetField(name: words[0])))
        case "consent":
            guard words.count == 2, let channel = Channel(rawValue: words[0].lowercased()),
                ["on", "off"].contains(words[1].lowercased())
            else { return .failure(ConsoleFailure("usage: :consent email|sms|push on|off")) }
            return .success(.edit(.consent(channel, words[1].lowercased() == "on")))
        case "columns", "cols": return .success(.columns(rest.isEmpty ? nil : rest))
        case "freq", "frequency":
            let words = quotedWords(rest)
            guard words.count <= 2 else { return .failure(ConsoleFailure("usage: :freq [COLUMN] [month|year]")) }
            let buckets = ["month", "year", "day"]
            if words.count == 1, buckets.contains(words[0].lowercased()) {
                return .success(.frequency(column: nil, bucket: words[0].lowercased()))
            }
            if words.count == 2 && !buckets.contains(words[1].lowercased()) {
                return .failure(ConsoleFailure("unknown bucket \"\(words[1])\": use month or year"))
            }
            return .success(.frequency(column: words.first, bucket: words.count == 2 ? words[1].lowercased() : nil))
        case "export":
            guard !rest.isEmpty else { return .failure(ConsoleFailure("usage: :export FILE [csv|jsonl]")) }
            if let last = words.last?.lowercased(), words.count >= 2, ["csv", "jsonl"].contains(last) {
                let path = String(rest.dropLast(last.count)).trimmingSpaces
                return .success(.export(path: unquote(path), format: last))
            }
            return .success(.export(path: unquote(rest), format: nil))
        case "segments": return .success(.segments)
        case "segment": return parseSegment(words)
        case "help", "h", "?": return .success(.help)
        case "q", "quit", "exit": return .success(.quit)
        case "": return .failure(ConsoleFailure("type a command (:help lists them)"))
        default: return .failure(ConsoleFailure("unknown command :\(name) (:help lists them)"))
        }
    }

    /// `:segment save NAME [--replace]`, `:segment delete NAME`, `:segment list`.
    private static func parseSegment(_ words: [String]) -> Result<ColonCommand, ConsoleFailure> {
        let usage = ConsoleFailure("usage: :segment save NAME [--replace], :segment delete NAME, :segments")
        switch words.first?.lowercased() {
        case "save":
            let replacing = words.dropFirst().contains("--replace")
            let names = words.dropFirst().filter { $0 != "--replace" }
            guard names.count == 1 else { return .failure(usage) }
            return .success(.saveSegment(name: names[0], replacing: replacing))
        case "delete":
            guard words.count == 2 else { return .failure(usage) }
            return .success(.deleteSegment(words[1]))
        case "list", nil: return .success(.segments)
        default: return .failure(usage)
        }
    }

    private static func unquote(_ text: String) -> String {
        if text.count >= 2, let first = text.first, first == text.last, first == "\"" || first == "'" {
            return String(text.dropFirst().dropLast())
        }
        return text
    }
}
