import RosterModel

/// An import as the mapping step has it set: the file, its kind, and the mapping the operator chose (a preset,
/// `TARGET=SOURCE` entries, the date order and a default country), read as `roster import` reads its options.
public struct ImportDraft: Sendable, Equatable {
    public var kind: String
    public var path: String
    public var preset: String?
    /// `TARGET=SOURCE` entries, as `--map` takes them; a later entry of a target replaces an earlier one.
    public var maps: [String] = []
    public var dateOrder: DateOrder?
    public var defaultCountry: String?

    public init(kind: String, path: String) {
        self.kind = kind
        self.path = path
    }

    /// The draft with `entry` (`TARGET=SOURCE`) replacing the entry of the same target.
    func mapping(_ entry: String) -> ImportDraft {
        var next = self
        let target = Self.target(of: entry)
        next.maps.removeAll { Self.target(of: $0) == target }
        next.maps.append(entry)
        return next
    }

    private static func target(of entry: String) -> String {
        let left = entry.prefix { $0 != "=" }
        return String(left.prefix { $0 != ":" }).trimmingSpaces.lowercased()
    }
}

/// What the mapping step shows of a file: the mapping an import would use and its first rows as they would be
/// stored (the `--dry-run` preview), or why it cannot run as set.
public struct ImportMappingPreview: Sendable {
    public var preview: ImportPreview?
    /// Why the import cannot run with this mapping (a missing column, a header the mapping names that the file
    /// lacks, a date column whose order is open).
    public var problem: String?
    /// Whether the problem is a date column whose day/month order its values leave open: a choice, not a failure.
    public var needsDateOrder = false
    /// The presets that fit the file's header, the best first.
    public var presets: [String] = []
    /// The file's header, as written.
    public var headers: [String] = []

    public init(
        preview: ImportPreview?, problem: String? = nil, needsDateOrder: Bool = false, presets: [String] = [],
        headers: [String] = []
    ) {
        self.preview = preview
        self.problem = problem
        self.needsDateOrder = needsDateOrder
        self.presets = presets
        self.headers = headers
    }
}

/// The mapping step of a console import: shown before anything is written; Enter runs it, Esc cancels.
public struct ImportMappingScreen: Sendable {
    public var draft: ImportDraft
    /// The generation of the preview asked for last: an older result is dropped.
    public var generation = 0
    public var result: ImportMappingPreview?
    public var error: String?
    /// The mapped column selected (`m` edits its source).
    public var selected = 0
    public var offset = 0
}

/// A setting of the open import's mapping, typed on the `:` line (`m`, `p`, `c` open it filled in).
public enum ImportSetting: Equatable, Sendable {
    case map(String)
    case preset(String?)
    case dateOrder(DateOrder?)
    case defaultCountry(String?)
}

extension ConsoleUpdate {
    /// `:import KIND FILE`: a CSV file goes through the mapping step first; a jsonl export has Roster's own fields
    /// and runs at once.
    static func startImport(kind: String, path: String, _ state: inout ConsoleState) -> [ConsoleEffect] {
        guard !state.importRunning else {
            state.notice = .init(text: "an import is already running", isError: true)
            return []
        }
        if kind == "jsonl" {
            state.importRunning = true
            state.screens.append(.importing(ImportScreen(kind: kind, path: path)))
            return [.importFile(kind: kind, path: path)]
        }
        // One mapping step at a time: a second `:import` replaces the one being set up.
        if case .importMapping = state.screens.last { state.screens.removeLast() }
        state.screens.append(.importMapping(ImportMappingScreen(draft: ImportDraft(kind: kind, path: path))))
        return previewMapping(&state)
    }

    /// Asks for the preview of the top mapping screen's draft.
    static func previewMapping(_ state: inout ConsoleState) -> [ConsoleEffect] {
        guard let last = state.screens.indices.last, case .importMapping(var pane) = state.screens[last] else {
            return []
        }
        pane.generation = state.nextGeneration
        state.nextGeneration += 1
        pane.result = nil
        pane.error = nil
        state.screens[last] = .importMapping(pane)
        return [.previewImport(generation: pane.generation, pane.draft)]
    }

    /// A setting typed on the `:` line: changes the open import's mapping and previews it again.
    static func applySetting(_ setting: ImportSetting, _ state: inout ConsoleState) -> [ConsoleEffect] {
        guard let last = state.screens.indices.last, case .importMapping(var pane) = state.screens[last] else {
            state.notice = .init(
                text: "no import is being set up: start one with i or :import KIND FILE", isError: true)
            return []
        }
        switch setting {
        case .map(let entry): pane.draft = pane.draft.mapping(entry)
        case .preset(let name): pane.draft.preset = name
        case .dateOrder(let order): pane.draft.dateOrder = order
        case .defaultCountry(let code): pane.draft.defaultCountry = code
        }
        state.screens[last] = .importMapping(pane)
        return previewMapping(&state)
    }

    /// A key on the mapping step; nil when the key is not one of its own (then the key table has it).
    static func mappingKey(_ key: Key, _ state: inout ConsoleState) -> [ConsoleEffect]? {
        guard let last = state.screens.indices.last, case .importMapping(var pane) = state.screens[last] else {
            return nil
        }
        let columns = pane.result?.preview?.columns ?? []
        switch key {
        case .enter:
            guard let result = pane.result, result.preview != nil, result.problem == nil else {
                state.notice = .init(
                    text: pane.result == nil && pane.error == nil
                        ? "still reading the file…"
                        : "this mapping cannot import the file: change it first (? lists keys)",
                    isError: true)
                return []
            }
            guard !state.importRunning else {
                state.notice = .init(text: "an import is already running", isError: true)
                return []
            }
            state.importRunning = true
            state.screens[last] = .importing(ImportScreen(kind: pane.draft.kind, path: pane.draft.path))
            return [.importMapped(pane.draft)]
        case .escape, .character("q"):
            state.screens.removeLast()
            state.notice = .init(text: "import cancelled: nothing was written", isError: false)
            return []
        case .character("j"), .down:
            pane.selected = min(pane.selected + 1, max(0, columns.count - 1))
        case .character("k"), .up:
            pane.selected = max(0, pane.selected - 1)
        case .pageDown, .character(" "):
            pane.offset = min(pane.offset + state.paneHeight, 10_000)
        case .pageUp, .character("b"):
            pane.offset = max(0, pane.offset - state.paneHeight)
        case .character("m"):
            let entry = pane.selected < columns.count ? columns[pane.selected] : nil
            let filled = entry.map { "\($0.target)=\($0.source)" } ?? ""
            state.prompt = .init(kind: .command, input: TextInput("map " + filled))
            return []
        case .character("p"):
            state.prompt = .init(kind: .command, input: TextInput("preset " + (pane.result?.presets.first ?? "")))
            return []
        case .character("c"):
            state.prompt = .init(kind: .command, input: TextInput("country " + (pane.draft.defaultCountry ?? "")))
            return []
        case .character("o"):
            // None (decided by the values), then day/month, then month/day.
            switch pane.draft.dateOrder {
            case nil: pane.draft.dateOrder = .dmy
            case .dmy: pane.draft.dateOrder = .mdy
            case .mdy: pane.draft.dateOrder = nil
            }
            state.screens[last] = .importMapping(pane)
            return previewMapping(&state)
        default:
            return nil
        }
        state.screens[last] = .importMapping(pane)
        return []
    }

    /// The preview of a mapping arrived.
    static func mappingPreviewed(
        generation: Int, _ result: Result<ImportMappingPreview, ConsoleFailure>, _ state: inout ConsoleState
    ) {
        updateScreens(&state) { screen in
            guard case .importMapping(var pane) = screen, pane.generation == generation else { return }
            switch result {
            case .success(let preview):
                pane.result = preview
                pane.selected = min(pane.selected, max(0, (preview.preview?.columns.count ?? 1) - 1))
            case .failure(let failure): pane.error = failure.message
            }
            screen = .importMapping(pane)
        }
    }
}

extension ColonCommand {
    /// The mapping settings: `:map TARGET=SOURCE`, `:preset NAME|none`, `:date-order dmy|mdy|none`,
    /// `:country CODE|none`; nil when `name` is not one.
    static func parseSetting(_ name: String, _ rest: String) -> Result<ColonCommand, ConsoleFailure>? {
        let value = rest.trimmingSpaces
        let none = value.isEmpty || value.lowercased() == "none"
        switch name {
        case "map":
            guard value.contains("=") else {
                return .failure(ConsoleFailure("usage: :map TARGET=SOURCE (such as name={First Name} {Last Name})"))
            }
            do {
                _ = try ColumnMapping.entry(value)
            } catch {
                return .failure(ConsoleFailure(error.description))
            }
            return .success(.importSetting(.map(value)))
        case "preset":
            if none { return .success(.importSetting(.preset(nil))) }
            guard Preset(rawValue: value.lowercased()) != nil else {
                return .failure(ConsoleFailure(MappingError.unknownPreset(value).description + ", or none"))
            }
            return .success(.importSetting(.preset(value.lowercased())))
        case "date-order", "dateorder":
            if none { return .success(.importSetting(.dateOrder(nil))) }
            guard let order = DateOrder(rawValue: value.lowercased()) else {
                return .failure(ConsoleFailure("usage: :date-order dmy|mdy|none (dmy: 06/12 is 6 December)"))
            }
            return .success(.importSetting(.dateOrder(order)))
        case "country", "default-country":
            if none { return .success(.importSetting(.defaultCountry(nil))) }
            guard value.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "+") }) else {
                return .failure(ConsoleFailure("usage: :country CODE|none (a calling code, such as 34 for Spain)"))
            }
            return .success(.importSetting(.defaultCountry(value)))
        default:
            return nil
        }
    }
}

/// Stores that do not import or administer fields (the console bench's) need not say so one method at a time.
extension ConsoleStore {
    public func previewImport(_ draft: ImportDraft) throws -> ImportMappingPreview {
        throw ConsoleFailure("this console cannot import files")
    }

    public func importFile(_ draft: ImportDraft, progress: @escaping @Sendable (ImportProgress) -> Void) throws
        -> ImportReport
    { throw ConsoleFailure("this console cannot import files") }

    public func fieldSummaries() throws -> [FieldSummary] { throw ConsoleFailure("this console has no field list") }

    public func changeField(_ change: FieldRequest, apply: Bool) throws -> (check: FieldCheck, done: String?) {
        throw ConsoleFailure("this console cannot change fields")
    }
}
