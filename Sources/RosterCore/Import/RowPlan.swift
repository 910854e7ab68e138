import Foundation
import RosterModel

/// One validated, normalized row of an import file: what it says about one customer and/or device.
struct RowPlan: Sendable {
    var line: Int
    /// The CRM id (or externalCode, email, phone) from `customerId` / `externalCode` / `externalId`, trimmed.
    var identity: String?
    /// Normalized email.
    var email: String?
    /// E.164 phone.
    var phone: String?
    var consent: [(Channel, Bool)] = []
    var device: DevicePlan?
    var fields: [FieldAssignment] = []
    /// The field columns of a wide file this row sets, as bits by `RowPlanner.fieldKeys` (the bulk import
    /// registers only fields that some imported customer has). Zero in a file with more than 64 field keys and in
    /// other kinds: a non-zero mask has the bit of every field in `fields`.
    var fieldMask: UInt64 = 0
    /// How a customer this row creates came to exist (jsonl keeps channel-only customers channel-only).
    var origin: CustomerOrigin = .explicit
    /// More devices of the same customer (a jsonl export lists them all).
    var moreDevices: [DevicePlan] = []
    /// When the customer was created and last updated, kept by a jsonl import that creates it.
    var timestamps: (createdAt: Int64, updatedAt: Int64)?

    /// Empties the plan for the next row, keeping its arrays' storage.
    mutating func reset(line: Int, identity: String?) {
        self.line = line
        self.identity = identity
        email = nil
        phone = nil
        // Most rows leave these empty: not touched then (clearing an empty array still checks its storage).
        if !consent.isEmpty { consent.removeAll(keepingCapacity: true) }
        if device != nil { device = nil }
        if !fields.isEmpty { fields.removeAll(keepingCapacity: true) }
        fieldMask = 0
        origin = .explicit
        if !moreDevices.isEmpty { moreDevices.removeAll(keepingCapacity: true) }
        timestamps = nil
    }
}

/// What a row says about a push device.
struct DevicePlan: Sendable {
    var deviceId: String
    var platform: DevicePlatform?
    var enabled: Bool?
    /// Text attributes (pushToken, browserName, locale, timeZone, ...) in file order.
    var attributes: [(DeviceColumn, String)] = []
}
