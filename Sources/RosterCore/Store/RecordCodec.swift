import Foundation
import RosterModel

/// Packs customers and devices into the bytes that get sealed, and back.
enum RecordCodec {
    static let customerVersion: UInt8 = 1
    /// Version 2 seals the device's customer link too (version 1, without it, is still read).
    static let deviceVersion: UInt8 = 2

    /// A device whose sealed customer link is not the one in its row: the row was edited.
    struct LinkMismatch: Error {}

    static func encode(_ customer: Customer) -> [UInt8] {
        var writer = RecordWriter(version: customerVersion)
        writer.write(customer.crmId)
        writer.write(customer.externalCode)
        writer.write(customer.origin.rawValue)
        writer.write(customer.email)
        writer.write(customer.phone)
        writer.write(customer.consent.email)
        writer.write(customer.consent.sms)
        writer.write(customer.consent.push)
        writer.write(UInt64(customer.fields.count))
        for (key, field) in customer.fields.sorted(by: { $0.key < $1.key }) {
            writer.write(key)
            writer.write(field.type.rawValue)
            writer.write(field.value)
        }
        writer.write(UInt64(customer.history.count))
        for entry in customer.history {
            writer.write(entry.at)
            writer.write(entry.externalCode)
            writer.write(entry.origin.rawValue)
        }
        writer.write(customer.createdAt)
        writer.write(customer.updatedAt)
        return writer.bytes
    }

    /// The same bytes as `encode(_: Customer)` for a new customer, without building the customer
    /// (the bulk import encodes a million of them into one reused writer). `code` is the raw
    /// externalCode; `fields` must be sorted by key, keys unique.
    static func encodeNew(
        into writer: inout RecordWriter, crmId: String, code: RawCode, origin: CustomerOrigin,
        email: String?, phone: String?, consent: Consent, sortedFields fields: [FieldAssignment], at now: Int64
    ) {
        writer.reset(version: customerVersion)
        writer.write(crmId)
        writer.writeHex(code)
        writer.write(origin.rawValue)
        writer.write(email)
        writer.write(phone)
        writer.write(consent.email)
        writer.write(consent.sms)
        writer.write(consent.push)
        writer.write(UInt64(fields.count))
        for field in fields {
            writer.write(field.key)
            writer.write(field.type.rawValue)
            writer.write(field.value)
        }
        writer.write(UInt64(0))
        writer.write(now)
        writer.write(now)
    }

    static func decodeCustomer(_ bytes: [UInt8], rowID: Int64) throws -> Customer {
        var reader = try RecordReader(bytes)
        guard reader.version == customerVersion else { throw RecordReader.Malformed() }
        let crmId = try reader.readString()
        let externalCode = try reader.readString()
        guard let origin = CustomerOrigin(rawValue: try reader.readString()) else { throw RecordReader.Malformed() }
        let email = try reader.readOptionalString()
        let phone = try reader.readOptionalString()
        let consent = Consent(email: try reader.readBool(), sms: try reader.readBool(), push: try reader.readBool())
        var fields: [String: FieldValue] = [:]
        for _ in 0..<(try reader.readUInt()) {
            let key = try reader.readString()
            guard let type = FieldType(rawValue: try reader.readString()) else { throw RecordReader.Malformed() }
            fields[key] = FieldValue(type: type, value: try reader.readString())
        }
        var history: [MergeEntry] = []
        for _ in 0..<(try reader.readUInt()) {
            let at = try reader.readInt()
            let code = try reader.readString()
            guard let origin = CustomerOrigin(rawValue: try reader.readString()) else { throw RecordReader.Malformed() }
            history.append(MergeEntry(at: at, externalCode: code, origin: origin))
        }
        let createdAt = try reader.readInt()
        let updatedAt = try reader.readInt()
        guard reader.isAtEnd else { throw RecordReader.Malformed() }
        return Customer(
            rowID: rowID, externalCode: externalCode, crmId: crmId, origin: origin, email: email, phone: phone,
            consent: consent, fields: fields, history: history, createdAt: createdAt, updatedAt: updatedAt)
    }

    static func encode(_ device: Device) -> [UInt8] {
        var writer = RecordWriter(version: deviceVersion)
        writer.write(device.deviceId)
        writer.write(device.platform.rawValue)
        writer.write(device.enabled)
        for value in [
            device.pushToken, device.browserName, device.browserVersion, device.osName, device.osVersion,
            device.deviceType, device.locale, device.timeZone,
        ] {
            writer.write(value)
        }
        writer.write(device.timeOffset != nil)
        writer.write(Int64(device.timeOffset ?? 0))
        writer.write(device.createdAt)
        writer.write(device.updatedAt)
        writer.write(device.customerRowID != nil)
        writer.write(device.customerRowID ?? 0)
        return writer.bytes
    }

    /// Decodes a device; `customerRowID` is its row's link, which a version 2 record must seal too.
    static func decodeDevice(_ bytes: [UInt8], rowID: Int64, customerRowID: Int64?) throws -> Device {
        var reader = try RecordReader(bytes)
        guard reader.version == 1 || reader.version == deviceVersion else { throw RecordReader.Malformed() }
        let deviceId = try reader.readString()
        guard let platform = DevicePlatform(rawValue: try reader.readString()) else { throw RecordReader.Malformed() }
        let enabled = try reader.readBool()
        var optionals: [String?] = []
        for _ in 0..<8 { optionals.append(try reader.readOptionalString()) }
        let hasOffset = try reader.readBool()
        let offset = try reader.readInt()
        let createdAt = try reader.readInt()
        let updatedAt = try reader.readInt()
        if reader.version >= 2 {
            let linked = try reader.readBool()
            let link = try reader.readInt()
            guard (linked ? link : nil) == customerRowID else { throw LinkMismatch() }
        }
        guard reader.isAtEnd else { throw RecordReader.Malformed() }
        return Device(
            rowID: rowID, deviceId: deviceId, platform: platform, enabled: enabled, pushToken: optionals[0],
            browserName: optionals[1], browserVersion: optionals[2], osName: optionals[3], osVersion: optionals[4],
            deviceType: optionals[5], locale: optionals[6], timeZone: optionals[7],
            timeOffset: hasOffset ? Int(offset) : nil, createdAt: createdAt, updatedAt: updatedAt,
            customerRowID: customerRowID, externalCode: nil)
    }
}
