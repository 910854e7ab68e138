import RosterModel

@testable import RosterCore
@testable import RosterTUI

/// Customers, devices and states the console tests share: names in several scripts, one with an escape
/// sequence, masked channels, devices on two customers.
enum Fixtures {
    static let storePath = "/stores/eu.roster"

    static func customer(
        _ rowID: Int64, name: String?, email: String? = nil, phone: String? = nil, consent: Consent = .allEnabled,
        fields: [String: String] = [:]
    ) -> Customer {
        var values: [String: FieldValue] = [:]
        if let name { values["name"] = FieldValue(type: .text, value: name) }
        for (key, value) in fields { values[key] = FieldValue(type: FieldType.infer(value), value: value) }
        let code = String(repeating: String(format: "%02x", rowID * 17 % 256), count: 32)
        return Customer(
            rowID: rowID, externalCode: code, crmId: "CRM-\(rowID)", origin: .explicit, email: email, phone: phone,
            consent: consent, fields: values, history: [], createdAt: 1_767_225_600, updatedAt: 1_767_225_600)
    }

    static let customers: [Customer] = [
        customer(
            1, name: "José García", email: "jose.garcia@example.com", phone: "+34600112233",
            fields: ["city": "Sevilla", "birthdate": "1990-03-12"]),
        customer(
            2, name: "Zoë Smith", email: "zoe@example.org", phone: "+447700900123",
            consent: Consent(email: true, sms: false, push: true)),
        customer(3, name: "山田太郎", email: "yamada@example.jp"),
        customer(4, name: "Ana 🎉 Party", phone: "+390669821234"),
        customer(5, name: "Mallory\u{1B}[2J\u{1B}]0;pwned\u{07}", email: "mallory@evil.test"),
        customer(6, name: nil, email: "noname@example.com", consent: Consent(email: false, sms: true, push: true)),
    ]

    static func device(
        _ rowID: Int64, id: String, platform: DevicePlatform = .webpush, enabled: Bool = true, customer: Int64? = nil
    ) -> Device {
        let owner = customer.flatMap { row in customers.first { $0.rowID == row } }
        return Device(
            rowID: rowID, deviceId: id, platform: platform, enabled: enabled, pushToken: "tok-\(rowID)-abcdef",
            browserName: platform == .webpush ? "Firefox" : nil, browserVersion: nil,
            osName: platform == .ios ? "iOS" : "Linux", osVersion: "1", deviceType: "desktop", locale: "es-ES",
            timeZone: "Europe/Madrid", timeOffset: 60, createdAt: 1_767_225_600, updatedAt: 1_767_225_600,
            customerRowID: owner?.rowID, externalCode: owner?.externalCode)
    }

    static let devices: [Device] = [
        device(1, id: "777ded1c-0000-4000-8000-000000000001", customer: 1),
        device(2, id: "a1b2c3d4-0000-4000-8000-000000000002", platform: .android, enabled: false, customer: 2),
        device(3, id: "ffffeeee-0000-4000-8000-000000000003", platform: .ios),
    ]

    static var workingSet: WorkingSet {
        WorkingSet(customers: customers, deviceCounts: [1: 1, 2: 1])
    }

    static var catalog: CustomerCatalog { CustomerCatalog(workingSet: workingSet) }

    /// A console with the fixtures loaded, at `width`×`height`.
    static func loadedState(width: Int = 80, height: Int = 24) -> ConsoleState {
        var state = ConsoleState(width: width, height: height, storePath: storePath, region: "eu")
        _ = ConsoleUpdate.apply(.workingSetLoaded(catalog), to: &state)
        return state
    }

    /// Sends keys one by one, collecting the effects.
    @discardableResult
    /// The keys applied in order; a reveal asked for is recorded at once, as a store that could record it would.
    static func press(_ keys: [Key], _ state: inout ConsoleState) -> [ConsoleEffect] {
        keys.flatMap { key in
            let effects = ConsoleUpdate.apply(.key(key), to: &state)
            for case .recordReveal(let rowID) in effects {
                _ = ConsoleUpdate.apply(.revealRecorded(rowID: rowID, .success(())), to: &state)
            }
            return effects
        }
    }

    /// The keys that type `text`.
    static func typing(_ text: String) -> [Key] { text.map { Key.character($0) } }
}
