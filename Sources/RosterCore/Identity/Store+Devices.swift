import Foundation
import GRDB
import RosterModel

/// What `device register` describes; everything but the platform has a browser-like default.
public struct DeviceRegistration: Sendable {
    public var platform: DevicePlatform
    public var deviceId: String?
    public var locale: String?
    public var timeZone: String?
    public var pushToken: String?
    public var browserName: String?
    public var browserVersion: String?
    public var osName: String?
    public var osVersion: String?
    public var deviceType: String?

    public init(platform: DevicePlatform, deviceId: String? = nil, locale: String? = nil, timeZone: String? = nil) {
        self.platform = platform
        self.deviceId = deviceId
        self.locale = locale
        self.timeZone = timeZone
    }
}

/// Device commands, as the platform's SDK performs them.
extension Store {
    func deviceContext(_ rowID: Int64) -> SealContext { SealContext(kind: "device", id: rowID, column: "record") }

    func loadDevice(_ db: Database, _ rowID: Int64) throws -> Device {
        guard
            let row = try Row.fetchOne(
                try db.cachedStatement(sql: "SELECT customerId, record FROM device WHERE id = ?"), arguments: [rowID])
        else { throw RosterError.integrity(what: "the index entry for device #\(rowID), which has no record,") }
        let plain = try Sealer.open(row["record"], key: keys.recordKey, context: deviceContext(rowID))
        var device: Device
        do {
            device = try RecordCodec.decodeDevice(plain, rowID: rowID, customerRowID: row["customerId"])
        } catch is RecordCodec.LinkMismatch {
            throw RosterError.integrity(what: "device #\(rowID) (the customer it is logged in as)")
        } catch {
            throw RosterError.integrity(what: "device #\(rowID) (record layout)")
        }
        if let owner = device.customerRowID {
            device.externalCode = try loadCustomer(db, owner).externalCode
        }
        return device
    }

    func saveDevice(_ db: Database, _ device: Device, isNew: Bool) throws {
        var stored = device
        stored.updatedAt = Store.now()
        let record = try Sealer.seal(
            RecordCodec.encode(stored), key: keys.recordKey, context: deviceContext(device.rowID))
        if isNew {
            try db.exec(
                "INSERT INTO device(id, customerId, record) VALUES (?, ?, ?)",
                arguments: [device.rowID, device.customerRowID, record])
            try db.exec(
                "INSERT INTO deviceIdIndex(blindIndex, deviceId) VALUES (?, ?)",
                arguments: [keys.blindIndex.index(.deviceId, device.deviceId), device.rowID])
        } else {
            try db.exec(
                "UPDATE device SET customerId = ?, record = ? WHERE id = ?",
                arguments: [device.customerRowID, record, device.rowID])
        }
    }

    /// Registers a device (a new UUID unless given), enabled, or refreshes one already registered.
    public func registerDevice(_ registration: DeviceRegistration, now: Date = Date()) throws -> Device {
        let deviceId = try identifier {
            try DeviceID.normalize(registration.deviceId ?? UUID().uuidString.lowercased())
        }
        let zoneName = registration.timeZone ?? TimeZone.current.identifier
        guard let zone = TimeZone(identifier: zoneName) else {
            throw RosterError.invalidValue(.unknownTimeZone(zoneName))
        }
        return try write { db in try registerDevice(db, registration, deviceId: deviceId, zone: zone, now: now) }
    }

    /// Registers or refreshes a device inside the caller's transaction (identifiers already normalized).
    func registerDevice(
        _ db: Database, _ registration: DeviceRegistration, deviceId: String, zone: TimeZone, now: Date
    ) throws -> Device {
        let existingID = try owner(db, .deviceId, deviceId)
        let stamp = Store.now()
        var device: Device
        if let existingID {
            device = try loadDevice(db, existingID)
        } else {
            let rowID =
                (try Int64.fetchOne(try db.cachedStatement(sql: "SELECT COALESCE(MAX(id), 0) + 1 FROM device")))
                ?? 1
            device = Device(
                rowID: rowID, deviceId: deviceId, platform: registration.platform, enabled: true, createdAt: stamp,
                updatedAt: stamp)
        }
        device.platform = registration.platform
        device.enabled = true
        device.locale = registration.locale ?? device.locale ?? Device.environmentLocale()
        device.timeZone = zone.identifier
        device.timeOffset = zone.secondsFromGMT(for: now) / 60
        for (path, value) in [
            (\Device.pushToken, registration.pushToken), (\Device.browserName, registration.browserName),
            (\Device.browserVersion, registration.browserVersion), (\Device.osName, registration.osName),
            (\Device.osVersion, registration.osVersion), (\Device.deviceType, registration.deviceType),
        ] where value != nil {
            device[keyPath: path] = value
        }
        try saveDevice(db, device, isNew: existingID == nil)
        return try loadDevice(db, device.rowID)
    }

    /// The device an ID names: a deviceId, or a customer with exactly one device.
    public func device(_ id: String) throws -> Device {
        try db.read { try device($0, id) }
    }

    func device(_ db: Database, _ id: String) throws -> Device {
        switch try resolve(db, id) {
        case .device(let device): return device
        case .customer(let customer):
            let ids = try Int64.fetchAll(
                try db.cachedStatement(sql: "SELECT id FROM device WHERE customerId = ? ORDER BY id"),
                arguments: [customer.rowID])
            guard ids.count == 1 else {
                let listed = try ids.map { try loadDevice(db, $0).deviceId }
                throw RosterError.invalidValue(.deviceNotChosen(externalCode: customer.externalCode, deviceIds: listed))
            }
            return try loadDevice(db, ids[0])
        }
    }

    /// Logs a device in as the customer with this CRM id, creating that customer if it is new (as the SDK's `logIn`).
    public func login(_ id: String, crmId rawCRMId: String) throws -> Device {
        let crmId = try identifier { try CRMID.normalize(rawCRMId) }
        return try write { db in
            var device = try device(db, id)
            let customer: Customer
            if let rowID = try owner(db, crmId: crmId) {
                customer = try loadCustomer(db, rowID)
            } else {
                customer = try insertCustomer(db, crmId: crmId, origin: .explicit) { _ in }
            }
            device.customerRowID = customer.rowID
            try saveDevice(db, device, isNew: false)
            return try loadDevice(db, device.rowID)
        }
    }

    /// Makes a device anonymous again.
    public func logout(_ id: String) throws -> Device {
        try updateDevice(id) { $0.customerRowID = nil }
    }

    /// Enables or disables push on one device.
    public func setDeviceEnabled(_ id: String, _ enabled: Bool) throws -> Device {
        try updateDevice(id) { $0.enabled = enabled }
    }

    private func updateDevice(_ id: String, _ change: (inout Device) -> Void) throws -> Device {
        try write { db in
            var device = try device(db, id)
            change(&device)
            try saveDevice(db, device, isNew: false)
            return try loadDevice(db, device.rowID)
        }
    }
}

extension Device {
    /// The environment's locale as a BCP 47 tag (`es_ES.UTF-8` → `es-ES`), like a browser reports it.
    public static func environmentLocale(_ environment: [String: String] = ProcessInfo.processInfo.environment)
        -> String
    {
        for name in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            guard let raw = environment[name], !raw.isEmpty else { continue }
            let base = raw.split(separator: ".").first.map(String.init) ?? raw
            if base == "C" || base == "POSIX" { continue }
            return base.replacingOccurrences(of: "_", with: "-")
        }
        return "en-US"
    }
}
