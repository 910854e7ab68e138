import Foundation

/// The kinds of device push notifications reach.
public enum DevicePlatform: String, CaseIterable, Codable, Sendable {
    case webpush, android, ios
}

/// A push device as the platform's SDK registers it.
public struct Device: Equatable, Sendable {
    /// The row id inside this store.
    public let rowID: Int64
    public var deviceId: String
    public var platform: DevicePlatform
    public var enabled: Bool
    public var pushToken: String?
    public var browserName: String?
    public var browserVersion: String?
    public var osName: String?
    public var osVersion: String?
    public var deviceType: String?
    public var locale: String?
    public var timeZone: String?
    /// Minutes east of UTC.
    public var timeOffset: Int?
    public var createdAt: Int64
    public var updatedAt: Int64
    /// The row id of the customer logged in on it, nil for an anonymous device.
    public var customerRowID: Int64?
    /// The externalCode of that customer, when known.
    public var externalCode: String?

    package init(
        rowID: Int64, deviceId: String, platform: DevicePlatform, enabled: Bool, pushToken: String? = nil,
        browserName: String? = nil, browserVersion: String? = nil, osName: String? = nil, osVersion: String? = nil,
        deviceType: String? = nil,
        locale: String? = nil, timeZone: String? = nil, timeOffset: Int? = nil, createdAt: Int64, updatedAt: Int64,
        customerRowID: Int64? = nil, externalCode: String? = nil
    ) {
        self.rowID = rowID
        self.deviceId = deviceId
        self.platform = platform
        self.enabled = enabled
        self.pushToken = pushToken
        self.browserName = browserName
        self.browserVersion = browserVersion
        self.osName = osName
        self.osVersion = osVersion
        self.deviceType = deviceType
        self.locale = locale
        self.timeZone = timeZone
        self.timeOffset = timeOffset
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.customerRowID = customerRowID
        self.externalCode = externalCode
    }
}

/// Device identifiers are UUIDs in practice; Roster keeps any non-empty trimmed value.
public enum DeviceID {
    /// The deviceId as Roster keeps it.
    public static func normalize(_ raw: String) throws(IdentifierError) -> String {
        let trimmed = raw.trimmed
        guard !trimmed.isEmpty else { throw IdentifierError(kind: .deviceId, value: raw, reason: "is empty") }
        guard !trimmed.hasControlCharacters else {
            throw IdentifierError(kind: .deviceId, value: raw, reason: "contains control characters")
        }
        return trimmed
    }
}
