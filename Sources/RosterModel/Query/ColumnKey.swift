import Foundation

/// What a column of the console's customer list shows: one of the customer's identifiers or channels, or a field.
///
/// Field names match case-insensitively (`City` and `city` are one column). The built-in names win over a field that
/// happens to have the same name, as they do in filters: `email` is the customer's email, never a field `Email`.
public enum ColumnKey: Sendable, CustomStringConvertible {
    case externalCode
    case crmId
    case email
    case phone
    /// The number of devices logged in as the customer.
    case devices
    /// The consent of the three channels, as marks (`E s ·`).
    case consent
    /// A customer field, by its name (as the working set writes it, when resolved with `init(name:in:)`).
    case field(String)

    /// The built-in columns, in the order `:columns` lists them.
    public static let builtIns: [ColumnKey] = [.externalCode, .crmId, .email, .phone, .devices, .consent]

    /// The column a user-typed `name` means in `set`: a built-in name or a field, case-insensitively.
    public init(name: String, in set: WorkingSet) throws(ColumnKeyError) {
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        let key = trimmed.lowercased()
        if let builtIn = ColumnKey.builtIns.first(where: { $0.displayName.lowercased() == key }) {
            self = builtIn
        } else if let column = set.column(named: trimmed) {
            self = .field(column.name)
        } else {
            throw ColumnKeyError(name: trimmed, available: ColumnKey.all(in: set).map(\.displayName))
        }
    }

    /// Every column `set` can show: the built-ins, then its fields by name.
    public static func all(in set: WorkingSet) -> [ColumnKey] {
        let builtInNames = Set(builtIns.map { $0.displayName.lowercased() })
        return builtIns + set.columns.filter { !builtInNames.contains($0.key) }.map { .field($0.name) }
    }

    /// The column's name as headers and `:columns` write it.
    public var displayName: String {
        switch self {
        case .externalCode: return "externalCode"
        case .crmId: return "crmId"
        case .email: return "email"
        case .phone: return "phone"
        case .devices: return "devices"
        case .consent: return "consent"
        case .field(let name): return name
        }
    }

    public var description: String { displayName }

    /// The kind of value the column holds, which decides how it sorts and buckets. A field that `set` does not have
    /// reads as text.
    public func valueType(in set: WorkingSet) -> ColumnValueType {
        switch self {
        case .externalCode, .crmId, .email, .phone, .consent: return .text
        case .devices: return .count
        case .field(let name):
            switch set.column(named: name)?.type {
            case .date: return .date
            case .number: return .number
            case .boolean: return .boolean
            case .text, nil: return .text
            }
        }
    }
}

extension ColumnKey: Hashable {
    public static func == (left: ColumnKey, right: ColumnKey) -> Bool {
        switch (left, right) {
        case (.field(let a), .field(let b)): return a.lowercased() == b.lowercased()
        case (.externalCode, .externalCode), (.crmId, .crmId), (.email, .email), (.phone, .phone),
            (.devices, .devices), (.consent, .consent):
            return true
        default: return false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .field(let name): hasher.combine(name.lowercased())
        default: hasher.combine(displayName)
        }
    }
}

/// The kind of value a column holds.
public enum ColumnValueType: String, Sendable, Equatable {
    case text, number, date, boolean
    /// A whole number counted per customer (devices).
    case count
}

/// A column name that is neither a built-in column nor a field of the store.
public struct ColumnKeyError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The name as typed.
    public let name: String
    /// The columns that exist, as `:columns` lists them.
    public let available: [String]

    public var description: String {
        "unknown column \"\(name)\" (columns: \(available.joined(separator: ", ")))"
    }
}

extension WorkingSet {
    /// The text of column `key` at `row`, unmasked (a view masks emails and phones itself), or nil when the customer
    /// has no value: the full externalCode, the device count (`0` included), consent as marks (`E s ·`: the letter
    /// when the channel is there and consented, lower case when refused, `·` when the channel is absent).
    public func cellText(_ key: ColumnKey, at row: Int) -> String? {
        switch key {
        case .externalCode: return externalCodes[row]
        case .crmId: return crmIds[row]
        case .email: return emails[row]
        case .phone: return phones[row]
        case .devices: return String(deviceCounts[row])
        case .consent:
            let value = consent[row]
            func mark(_ letter: String, _ has: Bool, _ on: Bool) -> String {
                has ? (on ? letter : letter.lowercased()) : "·"
            }
            return [
                mark("E", emails.isPresent(row), value.email), mark("S", phones.isPresent(row), value.sms),
                mark("P", deviceCounts[row] > 0, value.push),
            ].joined(separator: " ")
        case .field(let name):
            guard let index = columnIndex(named: name) else { return nil }
            return columns[index].values[row]
        }
    }
}
