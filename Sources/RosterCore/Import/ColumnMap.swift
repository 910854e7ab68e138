import Foundation

/// The roles of a file's columns, read from its header.
struct ColumnMap: Sendable {
    /// One role per header column, in file order.
    let roles: [ColumnRole]
    /// Identity columns in preference order (customerId, externalCode, externalId).
    let identityColumns: [Int]

    init(header: [String], kind: ImportKind) throws {
        var roles: [ColumnRole] = []
        var identity: [(rank: Int, column: Int)] = []
        for (index, raw) in header.enumerated() {
            let name = raw.trimmingCharacters(in: .whitespaces)
            let squashed = ColumnMap.squash(name)
            let role: ColumnRole
            switch squashed {
            case "customerid", "externalcode", "externalid", "crmid":
                role = .identity
                let rank = ["customerid": 0, "crmid": 1, "externalcode": 2, "externalid": 3][squashed]!
                identity.append((rank, index))
            case "email", "emailaddress": role = .email
            case "countrycode": role = .countryCode
            case "phone", "phonenumber", "mobile": role = .phone
            case "emailconsent": role = .consent(.email)
            case "smsconsent": role = .consent(.sms)
            case "pushconsent": role = .consent(.push)
            case "consent": role = kind.consentChannel.map { .consent($0) } ?? .field(name)
            case "enabled" where kind == .email || kind == .sms: role = .consent(kind.consentChannel!)
            case "deviceid": role = .deviceId
            case "fieldname" where kind == .fields: role = .fieldName
            case "fieldvalue" where kind == .fields: role = .fieldValue
            default:
                if let column = DeviceColumn.allCases.first(where: { $0.rawValue.lowercased() == squashed }) {
                    role = .device(column)
                } else if name.isEmpty {
                    throw RosterError.invalidValue("column \(index + 1) of the header has no name")
                } else {
                    role = .field(name)
                }
            }
            if roles.contains(role), role != .identity {
                throw RosterError.invalidValue("the header names the column \"\(name)\" twice")
            }
            roles.append(role)
        }
        let missing = kind.mandatoryColumns.filter { !roles.contains($0) }
        if !missing.isEmpty {
            let names = missing.map { $0 == .identity ? "customerId (or externalCode / externalId)" : $0.columnName }
            throw RosterError.invalidValue(
                "a \(kind.rawValue) file needs the column\(missing.count == 1 ? "" : "s") "
                    + names.joined(separator: ", ") + "; the header has: "
                    + header.map { "\"\($0)\"" }.joined(separator: ", ") + " (nothing was imported)")
        }
        self.roles = roles
        self.identityColumns = identity.sorted { $0.rank < $1.rank }.map(\.column)
    }

    func column(_ role: ColumnRole) -> Int? { roles.firstIndex(of: role) }

    /// Header names compared without case, spaces, `_` or `-` (`Country Code` = `countryCode`).
    static func squash(_ name: String) -> String {
        String(name.lowercased().unicodeScalars.filter { $0 != " " && $0 != "_" && $0 != "-" })
    }
}
