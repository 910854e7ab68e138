import Foundation
import RosterModel

/// One write the sync server asks of the store; a batch of them commits in one transaction.
public enum StoreChange: Sendable {
    /// Registers a device, or refreshes one already registered (the SDK's register).
    case registerDevice(DeviceRegistration)
    /// Changes a registered device: consent, token, locale, time zone and the rest.
    case updateDevice(deviceId: String, DeviceUpdate)
    /// Sets fields of the customer an ID names; an unknown ID creates a customer with that CRM id.
    case setFields(id: String, fields: [FieldChange])
    /// Removes fields from the customer an ID names.
    case unsetFields(id: String, names: [String])
    /// Gives a customer a channel identifier: an email, a phone, or a device logged in as it.
    case link(id: String, ChannelLink)
    /// Takes a channel identifier away from a customer (a device becomes anonymous).
    case unlink(id: String, ChannelLink)
    /// Turns one channel of a customer on or off.
    case consent(id: String, channel: Channel, enabled: Bool)
    /// Creates or updates a customer by CRM id, with channels, fields and consent.
    case upsert(CustomerUpsert)
}

/// One field name and value, as typed.
public struct FieldChange: Sendable, Equatable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// What a `PUT /v1/device` changes; nil leaves a value as it is.
public struct DeviceUpdate: Sendable, Equatable {
    public var enabled: Bool?
    public var platform: DevicePlatform?
    public var pushToken: String?
    public var browserName: String?
    public var browserVersion: String?
    public var osName: String?
    public var osVersion: String?
    public var deviceType: String?
    public var locale: String?
    public var timeZone: String?

    public init() {}
}

/// A channel identifier named in a link or unlink.
public enum ChannelLink: Sendable, Equatable {
    case email(String)
    /// A phone as typed: international, or national with its country calling code.
    case phone(countryCode: String?, number: String)
    case device(String)
}

/// A customer in a batch upsert.
public struct CustomerUpsert: Sendable, Equatable {
    public var crmId: String
    public var email: String?
    public var phone: ChannelLink?
    public var fields: [FieldChange]
    public var consent: [Channel: Bool]

    public init(
        crmId: String, email: String? = nil, phone: ChannelLink? = nil, fields: [FieldChange] = [],
        consent: [Channel: Bool] = [:]
    ) {
        self.crmId = crmId
        self.email = email
        self.phone = phone
        self.fields = fields
        self.consent = consent
    }
}

/// What one change left in the store.
public enum StoreChangeResult: Sendable {
    case customer(Customer, created: Bool)
    case device(Device, created: Bool)
}
