import RosterModel

/// A change to a field of the store, typed as `:field retype` or `:field rename`: what `roster field` does.
public enum FieldRequest: Equatable, Sendable {
    /// `drop`: remove the values that do not convert (`--drop-unconvertible`), at most `dropAtMost` of them (the
    /// number the operator was shown).
    case retype(name: String, type: FieldType, dateOrder: DateOrder?, drop: Bool, dropAtMost: Int? = nil)
    case rename(old: String, new: String)
}

/// What a field change would do, checked before the operator confirms it.
public enum FieldCheck: Sendable {
    case retype(RetypeReport)
    /// How many customers have the field.
    case rename(count: Int)
}

/// The store's fields (`:field`), and a change waiting for its confirmation.
public struct FieldsScreen: Sendable {
    public var fields: [FieldSummary]?
    public var error: String?
    /// The change typed, while it is checked and until it is confirmed or cancelled.
    public var pending: FieldRequest?
    public var check: FieldCheck?
    public var offset = 0
}

extension FieldRequest {
    /// The change as the confirmation names it.
    var summary: String {
        switch self {
        case .retype(let name, let type, let order, _, _):
            return "retype \(name) to \(type.rawValue)" + (order.map { " (\($0.rawValue))" } ?? "")
        case .rename(let old, let new): return "rename \(old) to \(new)"
        }
    }
}

extension ConsoleUpdate {
    /// `:field`, `:field retype …`, `:field rename …`: opens the field list (or brings it up) and checks a change.
    static func fieldCommand(_ change: FieldRequest?, _ state: inout ConsoleState) -> [ConsoleEffect] {
        var pane = FieldsScreen()
        if case .fields(let open) = state.screens.last {
            pane = open
            state.screens.removeLast()
        }
        pane.pending = change
        pane.check = nil
        pane.error = nil
        state.screens.append(.fields(pane))
        var effects: [ConsoleEffect] = pane.fields == nil ? [.loadFields] : []
        if let change { effects.append(.checkFieldChange(change)) }
        return effects
    }

    /// A key on the field list; nil when the key is not one of its own.
    static func fieldsKey(_ key: Key, _ state: inout ConsoleState) -> [ConsoleEffect]? {
        guard let last = state.screens.indices.last, case .fields(var pane) = state.screens[last] else { return nil }
        switch key {
        case .escape, .character("q"), .character("n"):
            if pane.pending != nil {
                pane.pending = nil
                pane.check = nil
                state.screens[last] = .fields(pane)
                state.notice = .init(text: "cancelled: nothing was changed", isError: false)
            } else if key != .character("n") {
                state.screens.removeLast()
            }
            return []
        case .character("y"), .character("d"):
            guard let change = pane.pending, let check = pane.check else { return key == .character("d") ? nil : [] }
            var confirmed = change
            if case .retype(let report) = check, case .retype(let name, let type, let order, let drop, _) = change {
                let dropping = drop || key == .character("d")
                guard report.unconvertible.isEmpty || dropping else {
                    state.notice = .init(
                        text: "\(report.unconvertible.count) value(s) do not convert: d drops them, Esc cancels",
                        isError: true)
                    return []
                }
                confirmed = .retype(
                    name: name, type: type, dateOrder: order, drop: dropping, dropAtMost: report.unconvertible.count)
            }
            pane.pending = nil
            pane.check = nil
            state.screens[last] = .fields(pane)
            state.notice = .init(text: "applying: \(change.summary)…", isError: false)
            return [.applyFieldChange(confirmed)]
        case .character("j"), .down:
            pane.offset = min(pane.offset + 1, 10_000)
        case .character("k"), .up:
            pane.offset = max(0, pane.offset - 1)
        case .pageDown, .character(" "):
            pane.offset = min(pane.offset + state.paneHeight, 10_000)
        case .pageUp, .character("b"):
            pane.offset = max(0, pane.offset - state.paneHeight)
        default:
            return nil
        }
        state.screens[last] = .fields(pane)
        return []
    }

    /// Results of field administration.
    static func fieldsEvent(_ event: ConsoleEvent, _ state: inout ConsoleState) -> [ConsoleEffect] {
        switch event {
        case .fieldsLoaded(let result):
            updateFields(&state) { pane in
                switch result {
                case .success(let fields): (pane.fields, pane.error) = (fields, nil)
                case .failure(let failure): pane.error = failure.message
                }
            }
            return []
        case .fieldChangeChecked(let change, let result):
            updateFields(&state) { pane in
                guard pane.pending == change else { return }
                switch result {
                case .success(let check): pane.check = check
                case .failure(let failure):
                    pane.pending = nil
                    pane.error = failure.message
                }
            }
            if case .failure(let failure) = result { state.notice = .init(text: failure.message, isError: true) }
            return []
        case .fieldChanged(let change, let result):
            switch result {
            case .success(let message):
                state.notice = .init(text: message + " (recorded in the audit log)", isError: false)
                updateFields(&state) { $0.error = nil }
                var effects: [ConsoleEffect] = [.loadWorkingSet]
                if state.screens.contains(where: { if case .fields = $0 { true } else { false } }) {
                    effects.insert(.loadFields, at: 0)
                }
                return effects
            case .failure(let failure):
                state.notice = .init(text: "\(change.summary): \(failure.message)", isError: true)
                return []
            }
        default:
            return []
        }
    }

    private static func updateFields(_ state: inout ConsoleState, _ change: (inout FieldsScreen) -> Void) {
        updateScreens(&state) { screen in
            guard case .fields(var pane) = screen else { return }
            change(&pane)
            screen = .fields(pane)
        }
    }
}

extension ColonCommand {
    /// The words of a command line, a word in double or single quotes kept whole (`"First Name"`): fields that an
    /// import named after a header have spaces.
    static func quotedWords(_ text: String, separators: Set<Character> = [" "]) -> [String] {
        var words: [String] = []
        var word = ""
        var quote: Character?
        var started = false
        for character in text {
            if let open = quote {
                if character == open { quote = nil } else { word.append(character) }
            } else if character == "\"" || character == "'" {
                quote = character
                started = true
            } else if separators.contains(character) {
                if started || !word.isEmpty { words.append(word) }
                word = ""
                started = false
            } else {
                word.append(character)
            }
        }
        if started || !word.isEmpty { words.append(word) }
        return words
    }

    /// `:field`, `:fields`, `:field list`, `:field retype NAME TYPE [dmy|mdy] [drop]`, `:field rename OLD NEW`.
    static func parseField(_ words: [String]) -> Result<ColonCommand, ConsoleFailure> {
        let usage =
            "usage: :field [list] · :field retype NAME date|number|boolean|text [dmy|mdy] [drop] · "
            + ":field rename OLD NEW"
        guard let verb = words.first?.lowercased(), verb != "list" else {
            return words.count <= 1 ? .success(.field(nil)) : .failure(ConsoleFailure(usage))
        }
        switch verb {
        case "retype":
            guard words.count >= 3, let type = FieldType(rawValue: words[2].lowercased()) else {
                return .failure(ConsoleFailure(usage))
            }
            var order: DateOrder?
            var drop = false
            for word in words.dropFirst(3) {
                if let given = DateOrder(rawValue: word.lowercased()), order == nil {
                    order = given
                } else if ["drop", "--drop-unconvertible"].contains(word.lowercased()), !drop {
                    drop = true
                } else {
                    return .failure(ConsoleFailure(usage))
                }
            }
            return .success(.field(.retype(name: words[1], type: type, dateOrder: order, drop: drop)))
        case "rename":
            guard words.count == 3 else { return .failure(ConsoleFailure(usage)) }
            return .success(.field(.rename(old: words[1], new: words[2])))
        default:
            return .failure(ConsoleFailure(usage))
        }
    }
}
