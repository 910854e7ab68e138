/// The files Roster imports: the platform's four CSV kinds, the wide contacts file, and its own jsonl export.
public enum ImportKind: String, CaseIterable, Sendable {
    case email, sms, push, fields, contacts, jsonl

    /// Columns that must be present (names matched case-insensitively, ignoring spaces, `_` and `-`).
    package var mandatoryColumns: [ColumnRole] {
        switch self {
        case .email: return [.email]
        case .sms: return [.countryCode, .phone]
        case .push: return [.deviceId]
        case .fields: return [.identity, .fieldName, .fieldValue]
        case .contacts: return [.identity]
        case .jsonl: return []
        }
    }

    /// The channel a `consent` (or, except for push, `enabled`) column speaks of.
    package var consentChannel: Channel? {
        switch self {
        case .email: return .email
        case .sms: return .sms
        case .push: return .push
        default: return nil
        }
    }
}

/// What a CSV column means to the importer.
package enum ColumnRole: Equatable, Hashable, Sendable {
    /// `customerId`, `externalCode` or `externalId`: the CRM id in clear.
    case identity
    case email
    case countryCode
    case phone
    /// `consent` / `enabled` (email and sms kinds) or `emailConsent`, `smsConsent`, `pushConsent`.
    case consent(Channel)
    case deviceId
    case device(DeviceColumn)
    case fieldName
    case fieldValue
    /// Any other column: a customer field of that name.
    case field(String)
    /// A column the mapping leaves out (read by a template, or not mapped by a preset).
    case ignored

    /// The name a person would write for this column (for error messages).
    package var columnName: String {
        switch self {
        case .identity: return "customerId"
        case .email: return "email"
        case .countryCode: return "countryCode"
        case .phone: return "phone"
        case .consent(let channel): return "\(channel.rawValue)Consent"
        case .deviceId: return "deviceId"
        case .device(let column): return column.rawValue
        case .fieldName: return "fieldName"
        case .fieldValue: return "fieldValue"
        case .field(let name): return name
        case .ignored: return "(not imported)"
        }
    }

    /// The name a mapping gives this role as its target (`--map customerId=…`).
    package var targetName: String {
        switch self {
        case .identity: return "customerId"
        default: return columnName
        }
    }
}

/// The device columns of a push file.
package enum DeviceColumn: String, CaseIterable, Sendable {
    case platform, pushToken, browserName, browserVersion, osName, osVersion, deviceType, locale, timeZone, enabled
}
