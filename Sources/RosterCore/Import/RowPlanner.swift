import Foundation
import RosterModel

/// Turns CSV records into row plans: keys for "last row wins", field types, and validation with reasons.
struct RowPlanner: Sendable {
    let kind: ImportKind
    let map: ColumnMap
    /// Field types by key: the store's registry, then the first value seen in this file.
    private(set) var fieldTypes: [String: (name: String, type: FieldType)]

    /// The checked name of each field column, by column index (nil for other columns).
    private let fieldNames: [FieldName?]
    /// `map.roles` without the field columns' names: what `plan` walks per row (a role holding a name was retained
    /// and released at every column of every row).
    private let slots: [Slot]
    /// Field columns of a wide file whose type is not known yet: the only ones `learnTypes` looks at.
    private var untypedColumns: [(index: Int, name: FieldName)]
    /// Whether a wide file's field columns come in key order (then a plan's fields need no sorting).
    private let fieldColumnsInKeyOrder: Bool
    /// The type of each field column whose field has one yet, by column index: a wide file's rows look their
    /// columns' types up here, not by key in `fieldTypes` (a string hashed per value).
    private var columnTypes: [(name: String, type: FieldType)?]
    /// A wide file's field keys, sorted and without repeats; `RowPlan.fieldMask` has bit `i` for `fieldKeys[i]`
    /// (when there are 64 at most).
    let fieldKeys: [String]
    /// Each column's bit in `RowPlan.fieldMask` (0 for other columns, and for all past 64 keys).
    private let columnBits: [UInt64]
    /// The store's externalCode derivation, to check that a row's identity columns agree (`IdentityAgreement`).
    var externalCodes: ExternalCodeDeriver?

    /// How each field's cells are read (their type, date forms and order, decimal separator), by key: what the
    /// import's sample found (`ImportLayout`). A field without one is read in its type's plain form.
    private let readings: [String: FieldReading]
    /// The calling code of phones written without one and without a countryCode cell (`--default-country`).
    let defaultCountry: String?

    init(
        kind: ImportKind, map: ColumnMap, storeFieldTypes: [String: (name: String, type: FieldType)],
        readings: [String: FieldReading] = [:], defaultCountry: String? = nil
    ) {
        self.kind = kind
        self.map = map
        self.readings = readings
        self.defaultCountry = defaultCountry
        var storeFieldTypes = storeFieldTypes
        for case .field(let rawName) in map.roles {
            let name = rawName.trimmed
            let key = name.lowercased()
            if storeFieldTypes[key] == nil, let reading = readings[key] { storeFieldTypes[key] = (name, reading.type) }
        }
        if kind == .fields {
            for (key, reading) in readings where storeFieldTypes[key] == nil {
                storeFieldTypes[key] = (reading.name ?? key, reading.type)
            }
        }
        self.fieldTypes = storeFieldTypes
        let fieldNames = map.roles.map { role -> FieldName? in
            if case .field(let name) = role { return FieldName(name) }
            return nil
        }
        self.fieldNames = fieldNames
        self.slots = map.roles.map(Slot.init)
        let keys = fieldNames.compactMap { $0?.key }
        self.fieldColumnsInKeyOrder = zip(keys, keys.dropFirst()).allSatisfy { $0 <= $1 }
        self.columnTypes = fieldNames.map { name in name.flatMap { storeFieldTypes[$0.key] } }
        let fieldKeys = Array(Set(keys)).sorted()
        // Past 64 keys no column has a bit: a plan's non-zero mask then always covers all its fields.
        let bits =
            fieldKeys.count > 64
            ? [:] : Dictionary(uniqueKeysWithValues: fieldKeys.enumerated().map { ($1, UInt64(1) << $0) })
        self.fieldKeys = fieldKeys
        self.columnBits = fieldNames.map { name in name.flatMap { bits[$0.key] } ?? 0 }
        self.untypedColumns = fieldNames.enumerated().compactMap { index, name in
            guard let name, name.problem == nil, !name.name.isEmpty, storeFieldTypes[name.key] == nil else {
                return nil
            }
            return (index, name)
        }
    }

    // MARK: Pass 1

    /// The row's key within the file, or the reason it has none (then the row is rejected).
    func key(of row: [String]) -> Result<String, RowRejection> {
        let fields = map.expand(row)
        func cell(_ role: ColumnRole) -> String {
            map.column(role).flatMap { $0 < fields.count ? fields[$0] : nil } ?? ""
        }
        switch kind {
        case .email:
            return normalized { try EmailAddress.normalize(cell(.email)) }
        case .sms:
            // An sms row names its country: in its countryCode cell, or through a default country.
            return normalized {
                let countryCode = cell(.countryCode)
                guard defaultCountry != nil, countryCode.trimmed.isEmpty else {
                    return try PhoneNumber.normalize(countryCode: countryCode, phone: cell(.phone)).e164
                }
                return try phone(cell(.phone), countryCode: nil).e164
            }
        case .push:
            return normalized { try DeviceID.normalize(cell(.deviceId)) }
        case .fields:
            guard let identity = identity(in: fields) else { return .failure(RowRejection("it has no customerId")) }
            let name = cell(.fieldName).trimmed
            guard !name.isEmpty else { return .failure(RowRejection("it has no fieldName")) }
            return .success(identity + "\u{0}" + name.lowercased())
        case .contacts, .jsonl:
            guard let identity = identity(in: fields) else { return .failure(RowRejection("it has no customerId")) }
            return .success(identity)
        }
    }

    /// The columns `key(of:)` and `learnTypes(from:)` read, by column index: what pass 1 needs decoded of a row
    /// it does not plan. Changes only when `learnTypes` learns a type (compare `untypedColumnCount`).
    var keyAndUntypedColumns: [Bool] {
        var columns = [Bool](repeating: false, count: map.fileColumnCount)
        // A derived column is read from its template's columns.
        func mark(_ index: Int?) {
            guard let index else { return }
            if index < map.fileColumnCount {
                columns[index] = true
                return
            }
            for source in map.sourceColumns(ofDerived: index) { columns[source] = true }
        }
        switch kind {
        case .email: mark(map.column(.email))
        case .sms:
            mark(map.column(.countryCode))
            mark(map.column(.phone))
        case .push: mark(map.column(.deviceId))
        case .fields:
            map.identityColumns.forEach(mark)
            mark(map.column(.fieldName))
            mark(map.column(.fieldValue))
        case .contacts, .jsonl: map.identityColumns.forEach(mark)
        }
        for column in untypedColumns { mark(column.index) }
        return columns
    }

    /// How many field columns of a wide file have no type yet.
    var untypedColumnCount: Int { untypedColumns.count }

    /// Fixes the type of fields the store does not know yet from their first non-empty value in the file.
    mutating func learnTypes(from row: [String]) {
        let fields = map.expand(row)
        if kind == .fields {
            guard let nameColumn = map.column(.fieldName), let valueColumn = map.column(.fieldValue),
                nameColumn < fields.count, valueColumn < fields.count
            else { return }
            learn(name: fields[nameColumn], value: fields[valueColumn])
            return
        }
        // A wide file's columns are known once: only those without a type yet are looked at, in column order (of
        // two columns named alike but for case, the first with a value sets the type). The learned ones leave the
        // list after the scan: removing them during it skipped the column after a case twin.
        var learned = false
        for column in untypedColumns where column.index < fields.count && fieldTypes[column.name.key] == nil {
            let value = fields[column.index].trimmed
            guard !value.isEmpty else { continue }
            let key = column.name.key
            fieldTypes[key] = (column.name.name, .infer(value))
            for index in fieldNames.indices where fieldNames[index]?.key == key {
                columnTypes[index] = fieldTypes[key]
            }
            learned = true
        }
        if learned { untypedColumns.removeAll { fieldTypes[$0.name.key] != nil } }
    }

    private mutating func learn(name rawName: String, value rawValue: String) {
        let name = rawName.trimmed
        let key = name.lowercased()
        guard fieldTypes[key] == nil, !Store.reservedFieldNames.contains(key) else { return }
        let value = rawValue.trimmed
        guard !value.isEmpty, !name.isEmpty else { return }
        fieldTypes[key] = (name, FieldType.infer(value))
    }

    // MARK: Pass 2

    /// Validates and normalizes a row, or says why it is rejected.
    func plan(_ fields: [String], line: Int) -> Result<RowPlan, RowRejection> {
        var plan = RowPlan(line: line)
        if let problem = self.plan(fields, line: line, into: &plan) { return .failure(problem) }
        return .success(plan)
    }

    /// `plan(_:line:)` into a plan the caller reuses from row to row (the bulk import: its arrays keep their
    /// storage, and nothing is copied out of a `Result`). Returns why the row is rejected, or nil when `plan` holds
    /// it. The fields of a wide file come out in key order, as records store them.
    func plan(_ row: [String], line: Int, into plan: inout RowPlan) -> RowRejection? {
        if row.count > map.fileColumnCount, row[map.fileColumnCount...].contains(where: { !$0.isEmpty }) {
            return RowRejection("it has \(row.count) values but the header has \(map.fileColumnCount) columns")
        }
        let fields = map.expand(row)
        plan.reset(line: line, identity: identity(in: fields))
        if map.identityColumns.count > 1, let disagreement = identityDisagreement(in: fields) { return disagreement }
        if let identity = plan.identity, identity.hasControlCharacters {
            return RowRejection("the customerId \"\(TerminalText.escape(identity))\" contains control characters")
        }
        var deviceId: String?
        var device = DevicePlan(deviceId: "")
        var countryCode: String?
        var phone: String?
        var fieldName: String?
        var fieldValue: String?
        do {
            for (index, slot) in slots.enumerated() where index < fields.count {
                let raw = fields[index]
                let value = raw.trimmed
                if value.isEmpty { continue }
                switch slot {
                case .identity, .ignored: break
                case .email: plan.email = try EmailAddress.normalize(raw)
                case .countryCode: countryCode = value
                case .phone: phone = raw
                case .consent(let channel):
                    guard let flag = Bool(flag: value) else {
                        return RowRejection("\"\(value)\" in column \(map.roles[index].columnName) is not yes or no")
                    }
                    plan.consent.append((channel, flag))
                case .deviceId: deviceId = try DeviceID.normalize(raw)
                case .device(let column):
                    if let problem = apply(column, value, to: &device) { return problem }
                case .fieldName: fieldName = value
                case .fieldValue: fieldValue = value
                case .field:
                    switch assignment(column: index, value: value) {
                    case .success(let assignment?):
                        plan.fields.append(assignment)
                        plan.fieldMask |= columnBits[index]
                    case .success(nil): continue
                    case .failure(let problem): return problem
                    }
                }
            }
            if let phone { plan.phone = try self.phone(phone, countryCode: countryCode).e164 }
        } catch {
            return RowRejection(error.description)
        }
        if let deviceId {
            device.deviceId = deviceId
            plan.device = device
        }
        switch kind {
        case .email where plan.email == nil: return RowRejection("it has no email")
        case .sms where plan.phone == nil: return RowRejection("it has no phone")
        case .push where plan.device == nil: return RowRejection("it has no deviceId")
        case .contacts, .fields:
            if plan.identity == nil { return RowRejection("it has no customerId") }
        default: break
        }
        if kind == .fields {
            guard let fieldName else { return RowRejection("it has no fieldName") }
            guard let fieldValue else {
                return RowRejection(
                    "it has no fieldValue for \(fieldName) (remove a field with `roster customer unset`)")
            }
            switch assignment(name: fieldName, value: fieldValue) {
            case .success(let assignment?): plan.fields.append(assignment)
            case .success(nil): return RowRejection("it has no fieldValue for \(fieldName)")
            case .failure(let problem): return problem
            }
        } else if !fieldColumnsInKeyOrder {
            Self.sortByKey(&plan.fields)
        }
        return nil
    }

    /// A column's role as `plan` needs it: a field column's name stays in `fieldNames`.
    private enum Slot {
        case identity, email, countryCode, phone, consent(Channel), deviceId, device(DeviceColumn), fieldName
        case fieldValue, field, ignored

        init(_ role: ColumnRole) {
            switch role {
            case .identity: self = .identity
            case .email: self = .email
            case .countryCode: self = .countryCode
            case .phone: self = .phone
            case .consent(let channel): self = .consent(channel)
            case .deviceId: self = .deviceId
            case .device(let column): self = .device(column)
            case .fieldName: self = .fieldName
            case .fieldValue: self = .fieldValue
            case .field: self = .field
            case .ignored: self = .ignored
            }
        }
    }

    /// Sorts a few fields by key in place, keeping the columns' order for a repeated key (insertion sort: a row
    /// has a handful, and `sort` would move them through a copy).
    static func sortByKey(_ fields: inout [FieldAssignment]) {
        guard fields.count > 1 else { return }
        for index in 1..<fields.count {
            var position = index
            while position > 0, fields[position - 1].key > fields[position].key {
                fields.swapAt(position - 1, position)
                position -= 1
            }
        }
    }

    /// A field name checked once: its key, or why it cannot be a field.
    struct FieldName: Sendable {
        let name: String
        let key: String
        let problem: RowRejection?

        init(_ rawName: String) {
            name = rawName.trimmed
            key = name.lowercased()
            if Store.reservedFieldNames.contains(key) {
                problem = RowRejection("\"\(name)\" is a channel or device column, not a customer field")
            } else if name.hasControlCharacters {
                problem = RowRejection("the field name \"\(TerminalText.escape(name))\" has control characters")
            } else {
                problem = nil
            }
        }
    }

    private func assignment(name rawName: String, value: String) -> Result<FieldAssignment?, RowRejection> {
        assignment(column: FieldName(rawName), value: value, known: nil)
    }

    // Wide files check each column's name once (in `init`), not once per row.
    private func assignment(column index: Int, value: String) -> Result<FieldAssignment?, RowRejection> {
        guard let column = fieldNames[index] else {
            return .failure(RowRejection("internal: a field column without a name"))
        }
        return assignment(column: column, value: value, known: columnTypes[index])
    }

    /// The value in its field's stored form (nil for a cell that means none), or why the row is refused.
    private func assignment(
        column: FieldName, value: String, known: (name: String, type: FieldType)?
    ) -> Result<FieldAssignment?, RowRejection> {
        if let problem = column.problem { return .failure(problem) }
        let name = column.name
        let key = column.key
        let known = known ?? fieldTypes[key] ?? (name, FieldType.infer(value))
        let reading = readings[key].flatMap { $0.type == known.type ? $0 : nil } ?? FieldReading(type: known.type)
        switch reading.read(value, field: known.name) {
        case .failure(let problem): return .failure(problem)
        case .success(nil): return .success(nil)
        case .success(let stored?):
            return .success(FieldAssignment(key: key, name: known.name, type: known.type, value: stored))
        }
    }

    /// A phone in E.164: with the row's country code when it has one, else as written internationally (`+`, `00`),
    /// else with the default country.
    private func phone(_ raw: String, countryCode: String?) throws(IdentifierError) -> PhoneNumber {
        if let countryCode { return try PhoneNumber.normalize(countryCode: countryCode, phone: raw) }
        if let defaultCountry, !PhoneNumber.isWrittenInternationally(raw) {
            return try PhoneNumber.normalize(countryCode: defaultCountry, phone: raw)
        }
        return try PhoneNumber.parseInternational(raw)
    }

    private func apply(_ column: DeviceColumn, _ value: String, to device: inout DevicePlan) -> RowRejection? {
        switch column {
        case .platform:
            switch value.lowercased().replacingOccurrences(of: " ", with: "") {
            case "webpush", "web": device.platform = .webpush
            case "android": device.platform = .android
            case "ios": device.platform = .ios
            default: return RowRejection("\"\(value)\" is not a platform (webpush, android or ios)")
            }
        case .enabled:
            guard let flag = Bool(flag: value) else {
                return RowRejection("\"\(value)\" in column enabled is not yes or no")
            }
            device.enabled = flag
        case .timeZone:
            guard TimeZone(identifier: value) != nil else {
                return RowRejection("\"\(value)\" is not a time zone (use an IANA name such as Europe/Madrid)")
            }
            device.attributes.append((column, value))
        default:
            device.attributes.append((column, value))
        }
        return nil
    }

    private func identity(in fields: [String]) -> String? {
        for column in map.identityColumns where column < fields.count {
            let value = CRMID.trim(fields[column])
            if !value.isEmpty { return value }
        }
        return nil
    }

    private func normalized(_ body: () throws -> String) -> Result<String, RowRejection> {
        do {
            return .success(try body())
        } catch let error as IdentifierError {
            return .failure(RowRejection(error.description))
        } catch {
            return .failure(RowRejection("\(error)"))
        }
    }
}
