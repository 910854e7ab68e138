import Foundation

/// JSON shapes of customers and devices, shared by `--json` output and exports.
extension Device {
    /// What the web SDK's `deviceGet` prints: exactly `enabled`, `locale`, `timeZone`, `timeOffset`, `deviceId`.
    ///
    /// The SDK omits `enabled` for a disabled device; Roster prints `false` explicitly.
    public var deviceGetJSON: JSONValue {
        .object([
            ("enabled", .bool(enabled)), ("locale", .optional(locale)), ("timeZone", .optional(timeZone)),
            ("timeOffset", timeOffset.map { .int(Int64($0)) } ?? .null), ("deviceId", .string(deviceId)),
        ])
    }

    /// The whole device record.
    public var fullJSON: JSONValue {
        .object([
            ("deviceId", .string(deviceId)), ("platform", .string(platform.rawValue)), ("enabled", .bool(enabled)),
            ("externalCode", .optional(externalCode)), ("pushToken", .optional(pushToken)),
            ("browserName", .optional(browserName)), ("browserVersion", .optional(browserVersion)),
            ("osName", .optional(osName)), ("osVersion", .optional(osVersion)), ("deviceType", .optional(deviceType)),
            ("locale", .optional(locale)), ("timeZone", .optional(timeZone)),
            ("timeOffset", timeOffset.map { .int(Int64($0)) } ?? .null),
            ("createdAt", .string(Timestamp.iso8601(createdAt))), ("updatedAt", .string(Timestamp.iso8601(updatedAt))),
        ])
    }
}

extension Customer {
    /// Everything held on the customer, with its devices.
    public func json(devices: [Device]) -> JSONValue {
        .object([
            ("externalCode", .string(externalCode)), ("crmId", .string(crmId)), ("origin", .string(origin.rawValue)),
            ("email", .optional(email)), ("phone", .optional(phone)),
            (
                "consent",
                .object([("email", .bool(consent.email)), ("sms", .bool(consent.sms)), ("push", .bool(consent.push))])
            ),
            (
                "fields",
                .object(
                    fields.sorted { $0.key < $1.key }.map {
                        (
                            $0.key,
                            .object([("type", .string($0.value.type.rawValue)), ("value", .string($0.value.value))])
                        )
                    })
            ),
            ("devices", .array(devices.map(\.fullJSON))),
            (
                "history",
                .array(
                    history.map {
                        .object([
                            ("mergedAt", .string(Timestamp.iso8601($0.at))), ("externalCode", .string($0.externalCode)),
                            ("origin", .string($0.origin.rawValue)),
                        ])
                    })
            ),
            ("createdAt", .string(Timestamp.iso8601(createdAt))), ("updatedAt", .string(Timestamp.iso8601(updatedAt))),
        ])
    }
}

/// UTC timestamps as ISO 8601 text.
public enum Timestamp {
    /// `2026-11-29T10:15:00Z`.
    public static func iso8601(_ seconds: Int64) -> String {
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
            Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec))
    }
}
