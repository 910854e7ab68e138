/// A customer value a placeholder can name besides the customer's fields.
///
/// These names are reserved by the store, so no field can shadow them.
enum BuiltInField: Sendable {
    case email, phone, crmId, externalCode

    /// The built-in for a lower-cased placeholder name, if it is one.
    init?(key: String) {
        switch key {
        case "email": self = .email
        case "phone": self = .phone
        case "crmid": self = .crmId
        case "externalcode": self = .externalCode
        default: return nil
        }
    }

    func value(of customer: Customer) -> String? {
        switch self {
        case .email: return customer.email
        case .phone: return customer.phone
        case .crmId: return customer.crmId
        case .externalCode: return customer.externalCode
        }
    }
}

/// Where a template field's values live in a working set, resolved once so rows are read without name lookups.
enum PlaceholderSource: Sendable {
    case builtIn(BuiltInField)
    case column(Int)
    /// No column of that name: every customer misses it.
    case absent

    static func resolve(_ fieldNames: [String], in workingSet: WorkingSet) -> [PlaceholderSource] {
        fieldNames.map { name in
            if let builtIn = BuiltInField(key: name.lowercased()) { return .builtIn(builtIn) }
            if let column = workingSet.columnIndex(named: name) { return .column(column) }
            return .absent
        }
    }

    func value(row: Int, of workingSet: WorkingSet) -> String? {
        switch self {
        case .builtIn(.email): return workingSet.emails[row]
        case .builtIn(.phone): return workingSet.phones[row]
        case .builtIn(.crmId): return workingSet.crmIds[row]
        case .builtIn(.externalCode): return workingSet.externalCodes[row]
        case .column(let column): return workingSet.columns[column].values[row]
        case .absent: return nil
        }
    }
}
