import Foundation
import RosterModel

/// The roles of a file's columns, read from its header and the import's mapping.
///
/// Columns `0..<fileColumnCount` are the file's; a template target (`name={First Name} {Last Name}`), or a second
/// target of one column, is a derived column after them, whose cell `expand(_:)` computes from the row.
struct ColumnMap: Sendable {
    /// One role per column, in file order, then the derived columns.
    let roles: [ColumnRole]
    /// Identity columns in preference order (mapped ones, then customerId, crmId, externalCode, externalId).
    let identityColumns: [Int]
    /// How many columns the file has.
    let fileColumnCount: Int
    /// The parts of each derived column, by `index - fileColumnCount`.
    let derived: [[DerivedPart]]
    /// Where each column's value comes from, for `--dry-run`: its header, or the template.
    let sources: [String]
    /// A type or day/month order the mapping gives a field, by field key.
    let declared: [String: Declared]

    enum DerivedPart: Sendable {
        case literal(String)
        case column(Int)
        /// The first of these columns whose cell looks like a phone, else the first that is not empty.
        case firstPhone([Int])
    }

    struct Declared: Sendable {
        var type: FieldType?
        var dateOrder: DateOrder?
    }

    init(header: [String], kind: ImportKind, mapping: ColumnMapping = ColumnMapping(), hasDefaultCountry: Bool = false)
        throws
    {
        var roles = [ColumnRole?](repeating: nil, count: header.count)
        let sources = header
        var derived: [[DerivedPart]] = []
        var derivedRoles: [ColumnRole] = []
        var derivedSources: [String] = []
        var consumed = Set<Int>()
        var mapped: [ColumnRole] = []
        var identity: [(rank: Int, column: Int)] = []
        var declared: [String: Declared] = [:]
        for entry in mapping.entries {
            let role = ColumnMap.role(named: entry.target, kind: kind)
            let column: Int
            let columns: [Int]
            let alternatives = entry.perRow ? ColumnMap.presentColumns(entry, in: header) : []
            if alternatives.count > 1 {
                columns = alternatives
                column = header.count + derived.count
                derived.append([.firstPhone(alternatives)])
                derivedRoles.append(role)
                derivedSources.append(alternatives.map { header[$0] }.joined(separator: " or "))
            } else {
                guard let resolved = try ColumnMap.resolve(entry, in: header) else { continue }
                let source = resolved.0
                columns = resolved.1
                if case .column = source, roles[columns[0]] == nil {
                    column = columns[0]
                    roles[column] = role
                } else {
                    column = header.count + derived.count
                    switch source {
                    case .column: derived.append([.column(columns[0])])
                    case .template(let parts):
                        var index = 0
                        derived.append(
                            parts.map { part -> DerivedPart in
                                switch part {
                                case .literal(let text): return .literal(text)
                                case .column:
                                    defer { index += 1 }
                                    return .column(columns[index])
                                }
                            })
                    }
                    derivedRoles.append(role)
                    derivedSources.append(source.description)
                }
            }
            consumed.formUnion(columns)
            if mapped.contains(role), role != .identity {
                throw RosterError.invalidValue(.mappedTwice(target: entry.target))
            }
            mapped.append(role)
            if role == .identity { identity.append((-1, column)) }
            if case .field(let name) = role, entry.type != nil || entry.dateOrder != nil {
                declared[name.trimmed.lowercased()] = Declared(type: entry.type, dateOrder: entry.dateOrder)
            }
        }
        for (index, raw) in header.enumerated() where roles[index] == nil {
            let name = raw.trimmingCharacters(in: .whitespaces)
            // A column a mapping reads is used there only; a preset imports only what it maps.
            if consumed.contains(index) || mapping.onlyMapped {
                roles[index] = .ignored
                continue
            }
            guard !name.isEmpty else {
                throw RosterError.invalidValue(.unnamedColumn(index + 1))
            }
            let role = ColumnMap.role(named: name, kind: kind)
            // A target mapped from another column replaces the column named like it.
            if role != .identity, mapped.contains(role) {
                roles[index] = .ignored
                continue
            }
            if role == .identity {
                let rank =
                    ["customerid": 0, "crmid": 1, "externalcode": 2, "externalid": 3][ColumnMap.squash(name)] ?? 4
                identity.append((rank, index))
            }
            roles[index] = role
        }
        let all = roles.map { $0 ?? .ignored } + derivedRoles
        var seen = Set<ColumnRole>()
        for (index, role) in all.enumerated() where role != .identity && role != .ignored {
            guard seen.insert(role).inserted else {
                let name = index < header.count ? header[index] : derivedSources[index - header.count]
                throw RosterError.invalidValue(.duplicateColumn(name))
            }
        }
        let missing = kind.mandatoryColumns.filter { role in
            !all.contains(role) && !(role == .countryCode && hasDefaultCountry)
        }
        if !missing.isEmpty {
            let unused = header.indices.filter { all[$0] == .ignored || ColumnMap.isField(all[$0]) }.map { header[$0] }
            throw MappingError.missingColumns(
                kind: kind, missing: missing.map(\.targetName), header: header,
                suggestions: missing.compactMap { role in
                    ColumnMap.guess(role, among: unused).map { "\(role.targetName)=\"\(TerminalText.escape($0))\"" }
                })
        }
        self.roles = all
        self.fileColumnCount = header.count
        self.derived = derived
        self.sources = sources + derivedSources
        self.declared = declared
        self.identityColumns = identity.sorted { $0.rank < $1.rank }.map(\.column)
    }

    func column(_ role: ColumnRole) -> Int? { roles.firstIndex(of: role) }

    /// The file's columns a column's cell is read from: itself, or a derived column's sources.
    func sourceColumns(ofDerived index: Int) -> [Int] {
        guard index >= fileColumnCount else { return [index] }
        return derived[index - fileColumnCount].flatMap { part -> [Int] in
            switch part {
            case .literal: return []
            case .column(let source): return [source]
            case .firstPhone(let sources): return sources
            }
        }
    }

    /// Whether a cell could be a phone number: six digits or more, and only digits, spaces and `+ ( ) - . /`.
    /// A row's other phone columns are tried when its first is empty or holds something else (`n/a`, `-`).
    static func looksLikePhone(_ value: String) -> Bool {
        var digits = 0
        for scalar in value.unicodeScalars {
            if ("0"..."9").contains(scalar) {
                digits += 1
            } else if !" +()-./".unicodeScalars.contains(scalar) {
                return false
            }
        }
        return digits >= 6
    }

    /// The row with its derived columns' cells appended (the row itself when there are none).
    func expand(_ fields: [String]) -> [String] {
        guard !derived.isEmpty else { return fields }
        var result = fields
        if result.count < fileColumnCount {
            result.append(contentsOf: repeatElement("", count: fileColumnCount - result.count))
        } else if result.count > fileColumnCount {
            result.removeLast(result.count - fileColumnCount)
        }
        for parts in derived { result.append(ColumnMap.fill(parts, from: fields)) }
        return result
    }

    /// A template's cell: the values of its columns with the text between them; the text next to an empty value is
    /// left out (`{First Name} {Last Name}` with no first name is the last name alone).
    static func fill(_ parts: [DerivedPart], from fields: [String]) -> String {
        var result = ""
        var pending = ""
        var started = false
        var sawColumn = false
        var lastWasValue = false
        for part in parts {
            switch part {
            case .literal(let text):
                if started {
                    pending = lastWasValue ? pending + text : text
                } else if !sawColumn {
                    pending += text  // text before the first column (`Dr. {Last Name}`)
                }
            case .firstPhone(let sources):
                let values = sources.map { $0 < fields.count ? fields[$0].trimmed : "" }
                return values.first(where: looksLikePhone) ?? values.first { !$0.isEmpty } ?? ""
            case .column(let index):
                sawColumn = true
                let value = index < fields.count ? fields[index].trimmed : ""
                if value.isEmpty {
                    pending = ""
                    lastWasValue = false
                    continue
                }
                result += pending + value
                pending = ""
                started = true
                lastWasValue = true
            }
        }
        if lastWasValue { result += pending }
        return result
    }

    /// The first source of an entry whose headers the file has, with their column indexes; nil for an optional entry
    /// (a preset's) that has none.
    private static func resolve(_ entry: ColumnMapping.Entry, in header: [String]) throws -> (
        ColumnMapping.Source, [Int]
    )? {
        for source in entry.sources {
            let columns = source.headers.map { index(of: $0, in: header) }
            if columns.allSatisfy({ $0 != nil }) { return (source, columns.map { $0! }) }
        }
        if entry.isOptional { return nil }
        let missing = entry.sources.first?.headers.first { index(of: $0, in: header) == nil } ?? entry.target
        throw MappingError.unknownHeader(target: entry.target, header: missing, fileHeaders: header)
    }

    /// The columns of every source of an entry that the file has, in the entry's order (single headers only).
    private static func presentColumns(_ entry: ColumnMapping.Entry, in header: [String]) -> [Int] {
        var columns: [Int] = []
        for case .column(let name) in entry.sources {
            if let column = index(of: name, in: header), !columns.contains(column) { columns.append(column) }
        }
        return columns
    }

    /// A header's column: the same name ignoring case, else ignoring case, spaces, `_` and `-`.
    static func index(of name: String, in header: [String]) -> Int? {
        let wanted = name.trimmed.lowercased()
        if let exact = header.firstIndex(where: { $0.trimmed.lowercased() == wanted }) { return exact }
        let squashed = squash(wanted)
        return header.firstIndex { squash($0.trimmed) == squashed }
    }

    /// What a column (or mapping target) named `name` is to a file of this kind.
    static func role(named name: String, kind: ImportKind) -> ColumnRole {
        let squashed = squash(name)
        switch squashed {
        case "customerid", "externalcode", "externalid", "crmid": return .identity
        case "email", "emailaddress": return .email
        case "countrycode": return .countryCode
        case "phone", "phonenumber", "mobile": return .phone
        case "emailconsent": return .consent(.email)
        case "smsconsent": return .consent(.sms)
        case "pushconsent": return .consent(.push)
        case "consent": return kind.consentChannel.map { .consent($0) } ?? .field(name)
        case "enabled" where kind == .email || kind == .sms: return .consent(kind.consentChannel!)
        case "deviceid": return .deviceId
        case "fieldname" where kind == .fields: return .fieldName
        case "fieldvalue" where kind == .fields: return .fieldValue
        default:
            if let column = DeviceColumn.allCases.first(where: { $0.rawValue.lowercased() == squashed }) {
                return .device(column)
            }
            return .field(name)
        }
    }

    private static func isField(_ role: ColumnRole) -> Bool {
        if case .field = role { return true }
        return false
    }

    /// A header that probably holds a missing role (`E-mail 1 - Value` for email), to suggest mapping it.
    private static func guess(_ role: ColumnRole, among headers: [String]) -> String? {
        let words: [String]
        switch role {
        case .identity: words = ["recordid", "contactid", "customer", "crm", "externalid", "id"]
        case .email: words = ["mail"]
        case .phone: words = ["mobile", "phone", "cell", "tel"]
        case .countryCode: words = ["countrycode", "country", "prefix"]
        case .deviceId: words = ["device"]
        case .fieldName: words = ["name", "field"]
        case .fieldValue: words = ["value"]
        default: return nil
        }
        for word in words {
            if let header = headers.first(where: { squash($0).contains(word) }) { return header }
        }
        return nil
    }

    /// Header names compared without case, spaces, `_` or `-` (`Country Code` = `countryCode`).
    static func squash(_ name: String) -> String {
        String(name.lowercased().unicodeScalars.filter { $0 != " " && $0 != "_" && $0 != "-" })
    }
}
