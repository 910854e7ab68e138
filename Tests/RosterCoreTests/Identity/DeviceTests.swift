import Foundation
import Testing

@testable import RosterCore
@testable import RosterModel

@Suite("Devices and deviceGet")
struct DeviceTests {
    @Test("deviceGet prints exactly enabled, locale, timeZone, timeOffset, deviceId, in that order")
    func deviceGetKeys() throws {
        let dir = try TemporaryDirectory()
        let store = try dir.makeStore()
        let winter = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01, Madrid is UTC+1
        let device = try store.registerDevice(
            DeviceRegistration(
                platform: .webpush, deviceId: "777ded1c-aaaa", locale: "es-ES", timeZone: "Europe/Madrid"),
            now: winter)
        #expect(
            device.deviceGetJSON.rendered()
                == #"{"enabled":true,"locale":"es-ES","timeZone":"Europe/Madrid","timeOffset":60,"deviceId":"777ded1c-aaaa"}"#
        )
        let disabled = try store.setDeviceEnabled("777ded1c-aaaa", false)
        guard case .object(let members) = disabled.deviceGetJSON else {
            Issue.record("deviceGet is not an object")
            return
        }
        #expect(members.map(\.0) == ["enabled", "locale", "timeZone", "timeOffset", "deviceId"])
        #expect(members[0].1 == .bool(false), "a disabled device says enabled: false explicitly")
    }

    @Test("register defaults to a new UUID and the environment's locale; login, logout, re-register")
    func lifecycle() throws {
        let dir = try TemporaryDirectory()
        let store = try dir.makeStore()
        let device = try store.registerDevice(DeviceRegistration(platform: .android, timeZone: "America/New_York"))
        #expect(UUID(uuidString: device.deviceId) != nil)
        #expect(device.enabled)
        #expect(device.customerRowID == nil)
        let loggedIn = try store.login(device.deviceId, crmId: "CRM-NEW")
        #expect(loggedIn.externalCode == store.externalCode(for: "CRM-NEW"))
        #expect(try store.customer("CRM-NEW").origin == .explicit)
        #expect(try store.device("CRM-NEW").deviceId == device.deviceId)
        #expect(try store.logout(device.deviceId).customerRowID == nil)
        _ = try store.setDeviceEnabled(device.deviceId, false)
        let again = try store.registerDevice(DeviceRegistration(platform: .android, deviceId: device.deviceId))
        #expect(again.rowID == device.rowID)
        #expect(again.enabled)
    }

    @Test("the environment locale reads like a browser's")
    func environmentLocale() {
        #expect(Device.environmentLocale(["LANG": "es_ES.UTF-8"]) == "es-ES")
        #expect(Device.environmentLocale(["LANG": "C.UTF-8"]) == "en-US")
        #expect(Device.environmentLocale(["LC_ALL": "fr_FR", "LANG": "es_ES"]) == "fr-FR")
    }

    @Test("a customer with several devices asks for a deviceId")
    func ambiguousCustomer() throws {
        let dir = try TemporaryDirectory()
        let store = try dir.makeStore()
        for id in ["d1", "d2"] {
            _ = try store.registerDevice(DeviceRegistration(platform: .ios, deviceId: id))
            _ = try store.login(id, crmId: "CRM-1")
        }
        #expect(throws: RosterError.self) { try store.device("CRM-1") }
        #expect(try store.device("d2").deviceId == "d2")
    }
}
