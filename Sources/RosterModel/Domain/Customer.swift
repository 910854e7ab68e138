import Foundation

/// How a customer came to exist: from an explicit CRM id, or from a channel identifier alone.
public enum CustomerOrigin: String, Codable, Sendable {
    /// Created with a CRM id of its own (a command, a `customerId` column, a device login).
    case explicit
    /// Created from an email alone; its CRM id is that address.
    case email
    /// Created from a phone alone; its CRM id is that E.164 number.
    case sms

    /// A channel-only customer is merged into an explicit one when a later write links them.
    public var isChannelOnly: Bool { self != .explicit }
}

/// One customer field value with its type.
public struct FieldValue: Equatable, Codable, Sendable {
    public let type: FieldType
    public let value: String

    public init(type: FieldType, value: String) {
        self.type = type
        self.value = value
    }
}

/// A record of a channel-only customer merged into this one.
public struct MergeEntry: Equatable, Codable, Sendable {
    /// When the merge happened (seconds since 1970).
    public let at: Int64
    /// The externalCode the merged customer had.
    public let externalCode: String
    /// The channel that customer had been created from.
    public let origin: CustomerOrigin

    package init(at: Int64, externalCode: String, origin: CustomerOrigin) {
        self.at = at
        self.externalCode = externalCode
        self.origin = origin
    }
}

/// Everything Roster holds on one customer, decrypted.
public struct Customer: Equatable, Sendable {
    /// The row id inside this store (not an identifier to share).
    public let rowID: Int64
    public let externalCode: String
    public var crmId: String
    public var origin: CustomerOrigin
    public var email: String?
    public var phone: String?
    public var consent: Consent
    /// Field values by lower-cased field name.
    public var fields: [String: FieldValue]
    public var history: [MergeEntry]
    public var createdAt: Int64
    public var updatedAt: Int64

    package init(
        rowID: Int64, externalCode: String, crmId: String, origin: CustomerOrigin, email: String? = nil,
        phone: String? = nil,
        consent: Consent, fields: [String: FieldValue], history: [MergeEntry], createdAt: Int64, updatedAt: Int64
    ) {
        self.rowID = rowID
        self.externalCode = externalCode
        self.crmId = crmId
        self.origin = origin
        self.email = email
        self.phone = phone
        self.consent = consent
        self.fields = fields
        self.history = history
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}
