import Hummingbird
import RosterCore
import RosterModel

extension SyncServer {
    /// The device endpoints the web SDK calls: `GET`, `POST` and `PUT /v1/device`.
    func addDeviceRoutes(_ router: Router<BasicRequestContext>, _ endpoints: Endpoints) {
        let executor = executor
        let limit = configuration.maxJSONBytes
        endpoints.addRead(router, "/v1/device", role: .read, unknownCode: 4602) { call, reader in
            let id = try call.requiredQuery("deviceId")
            // What the web SDK polls: the same device again and again, answered from the reader's cache until a
            // commit moves its stamp.
            return try reader.answer("device\u{0}" + id) {
                Reply(DeviceBody.json(try DeviceBody.device($0, id))).rendered
            }
        }
        endpoints.addWrite(router, .post, "/v1/device", bodyLimit: limit, unknownCode: 4602) { call in
            let body = try call.object(allowed: DeviceBody.registerKeys)
            let registration = try DeviceBody.registration(body)
            let result = try await executor.write(.registerDevice(registration), by: call.writer)
            guard case .device(let device, let created) = result else { throw APIError.stopping }
            return Reply(status: created ? .created : .ok, DeviceBody.json(device))
        }
        endpoints.addWrite(router, .put, "/v1/device", bodyLimit: limit, unknownCode: 4602) { call in
            let body = try call.object(allowed: DeviceBody.updateKeys)
            guard let id = try call.query("deviceId") ?? body.string("deviceId"), !id.isEmpty else {
                throw APIError.missing("deviceId (in the query or the body)")
            }
            let result = try await executor.write(
                .updateDevice(deviceId: id, try DeviceBody.update(body)), by: call.writer)
            guard case .device(let device, _) = result else { throw APIError.stopping }
            return Reply(DeviceBody.json(device))
        }
    }
}

/// The device bodies of the platform's API.
enum DeviceBody {
    static let describingKeys: Set<String> = [
        "platform", "pushToken", "browserName", "browserVersion", "osName", "osVersion", "deviceType", "locale",
        "timeZone", "timeZome", "timeOffset",
    ]
    static let registerKeys = describingKeys.union(["deviceId"])
    static let updateKeys = describingKeys.union(["deviceId", "enabled"])

    /// `deviceGet`'s five keys first (as the SDK prints them), then the rest of the record.
    static func json(_ device: Device) -> JSONValue {
        guard case .object(let short) = device.deviceGetJSON, case .object(let full) = device.fullJSON else {
            return device.fullJSON
        }
        let shown = Set(short.map(\.0))
        return .object(short + full.filter { !shown.contains($0.0) })
    }

    /// The device a `deviceId=` names: looked up as a deviceId first (one blind-index probe, where a bare ID is
    /// tried as every kind of ID), then as any ID the CLI accepts (a customer with one device).
    static func device(_ store: Store, _ id: String) throws -> Device {
        do {
            return try store.device(IDKind.deviceId.prefix + id)
        } catch RosterError.unknownID {
            return try store.device(id)
        }
    }

    static func registration(_ body: JSONFields) throws -> DeviceRegistration {
        guard let platformName = try body.string("platform") else { throw APIError.missing("\"platform\"") }
        var registration = DeviceRegistration(
            platform: try platform(platformName), deviceId: try body.string("deviceId"),
            locale: try body.string("locale"), timeZone: try timeZone(body))
        _ = try body.int("timeOffset")
        registration.pushToken = try body.string("pushToken")
        registration.browserName = try body.string("browserName")
        registration.browserVersion = try body.string("browserVersion")
        registration.osName = try body.string("osName")
        registration.osVersion = try body.string("osVersion")
        registration.deviceType = try body.string("deviceType")
        return registration
    }

    static func update(_ body: JSONFields) throws -> DeviceUpdate {
        var update = DeviceUpdate()
        update.enabled = try body.bool("enabled")
        update.platform = try body.string("platform").map(platform)
        update.timeZone = try timeZone(body)
        _ = try body.int("timeOffset")
        update.pushToken = try body.string("pushToken")
        update.browserName = try body.string("browserName")
        update.browserVersion = try body.string("browserVersion")
        update.osName = try body.string("osName")
        update.osVersion = try body.string("osVersion")
        update.deviceType = try body.string("deviceType")
        update.locale = try body.string("locale")
        return update
    }

    private static func platform(_ name: String) throws -> DevicePlatform {
        guard let platform = DevicePlatform(rawValue: name.lowercased()) else {
            throw APIError.invalid(
                "\"platform\" must be one of webpush, android, ios (got \"\(name)\"); nothing was changed")
        }
        return platform
    }

    /// `timeZone`, or `timeZome` as the web SDK spells it; both at once must agree. `timeOffset` is derived from
    /// the zone, so a sent one is checked for type and otherwise ignored.
    private static func timeZone(_ body: JSONFields) throws -> String? {
        let spelled = try body.string("timeZone")
        let misspelled = try body.string("timeZome")
        if let spelled, let misspelled, spelled != misspelled {
            throw APIError.invalid("\"timeZone\" and \"timeZome\" disagree; send one of them (nothing was changed)")
        }
        return spelled ?? misspelled
    }
}
