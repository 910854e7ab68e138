import RosterModel

/// A column of a list: a customer identifier or field, or a device attribute.
public enum ListColumn: Hashable, Sendable {
    case externalCode, crmId, email, phone, devices, consent
    /// A customer field, by its lower-cased key (`name`, `city`, `birthdate`).
    case field(String)
    case deviceId, platform, push, locale, timeZone, system, pushToken

    /// The customer identifiers every store has, as `:columns` names them.
    public static let customerIdentifiers: [ListColumn] = [.externalCode, .crmId, .email, .phone, .devices, .consent]
    /// Every column of a device list.
    public static let deviceColumns: [ListColumn] = [
        .deviceId, .platform, .push, .locale, .timeZone, .externalCode, .system, .pushToken,
    ]

    /// The name `:columns` takes and lists.
    public var name: String {
        // A customer column is named as RosterCore's column key names it: one spelling for both.
        if let key = columnKey { return key.displayName }
        switch self {
        case .externalCode, .crmId, .email, .phone, .devices, .consent, .field: preconditionFailure("has a column key")
        case .deviceId: return "deviceId"
        case .platform: return "platform"
        case .push: return "push"
        case .locale: return "locale"
        case .timeZone: return "timeZone"
        case .system: return "system"
        case .pushToken: return "pushToken"
        }
    }

    /// The columns a list shows until the operator chooses others.
    public static func defaults(_ kind: ListKind) -> [ListColumn] {
        switch kind {
        case .customers: return [.externalCode, .field("name"), .email, .phone, .devices, .consent]
        case .email: return [.externalCode, .field("name"), .email, .consent]
        case .sms: return [.externalCode, .field("name"), .phone, .consent]
        case .devices: return [.deviceId, .platform, .push, .locale, .timeZone, .externalCode, .system]
        case .push: return [.externalCode, .deviceId, .platform, .push, .pushToken]
        }
    }

    /// The columns `kind` can show: identifiers and every field of the store, or the device attributes.
    public static func available(_ kind: ListKind, in workingSet: WorkingSet?) -> [ListColumn] {
        guard kind.showsCustomers else { return deviceColumns }
        return customerIdentifiers + (workingSet?.columns.map { .field($0.key) } ?? [])
    }

    /// Parses the names of `:columns a,b,c` against what `kind` can show (case-insensitively; spaces or commas
    /// between names, a name holding either in quotes); the error names the unknown one and lists the others.
    public static func parse(_ text: String, for kind: ListKind, in workingSet: WorkingSet?) -> Result<
        [ListColumn], ConsoleFailure
    > {
        let available = available(kind, in: workingSet)
        var chosen: [ListColumn] = []
        // A field named with a comma or a space is quoted: `:columns name,"a b,c"`.
        let names = ColonCommand.quotedWords(text, separators: [",", " "]).filter { !$0.isEmpty }
        guard !names.isEmpty else {
            return .failure(ConsoleFailure("usage: :columns NAME,NAME… (:columns lists them)"))
        }
        for name in names {
            switch named(name, in: available, kind) {
            case .failure(let failure): return .failure(failure)
            case .success(let column): if !chosen.contains(column) { chosen.append(column) }
            }
        }
        return .success(chosen)
    }

    /// The one column `name` names (`:freq NAME`), case-insensitively.
    public static func named(_ name: String, for kind: ListKind, in workingSet: WorkingSet?) -> Result<
        ListColumn, ConsoleFailure
    > {
        named(name, in: available(kind, in: workingSet), kind)
    }

    private static func named(_ name: String, in available: [ListColumn], _ kind: ListKind) -> Result<
        ListColumn, ConsoleFailure
    > {
        guard let column = available.first(where: { $0.name.lowercased() == name.lowercased() }) else {
            let shown = TextWidth.truncate(TerminalText.escape(name), to: 40)
            return .failure(ConsoleFailure("no column \"\(shown)\" in \(kind.title) (:columns lists them)"))
        }
        return .success(column)
    }

    /// The name as `:columns` takes it: in quotes when it holds a comma or a space.
    public var typedName: String {
        name.contains(where: { $0 == "," || $0 == " " }) ? "\"" + name + "\"" : name
    }

    /// A remembered column name: an identifier or device attribute, else a field (one the store no longer has
    /// shows empty); nil for a name a list of `kind` cannot show.
    public static func remembered(_ name: String, for kind: ListKind) -> ListColumn? {
        guard !name.isEmpty else { return nil }
        if kind.showsCustomers {
            return customerIdentifiers.first { $0.name == name } ?? .field(name.lowercased())
        }
        return deviceColumns.first { $0.name == name }
    }

    /// The column as RosterCore sorts and counts it (nil for device attributes).
    public var columnKey: ColumnKey? {
        switch self {
        case .externalCode: return .externalCode
        case .crmId: return .crmId
        case .email: return .email
        case .phone: return .phone
        case .devices: return .devices
        case .consent: return .consent
        case .field(let key): return .field(key)
        default: return nil
        }
    }

    /// How a header writes the column: the field's name as the store spells it.
    public func title(in workingSet: WorkingSet?) -> String {
        switch self {
        case .devices: return "dev"
        case .field(let key): return workingSet?.column(named: key)?.name ?? key
        default: return name
        }
    }
}
