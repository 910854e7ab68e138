import ArgumentParser
import Foundation
import RosterCore
import RosterModel

struct DeviceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "device",
        abstract: "Simulate the platform's SDK on push devices: register, log in and out, deviceGet.",
        subcommands: [Register.self, Login.self, Logout.self, Enable.self, Disable.self, Get.self])

    struct Register: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Register a push device (anonymous until `device login`).",
            discussion: """
                Defaults are what a browser would report: a new UUID, the environment's locale ($LANG) and time \
                zone; timeOffset is the zone's offset now, in minutes east of UTC. Registering a deviceId that \
                exists refreshes it and enables it again.
                """)

        @OptionGroup var storeOptions: StoreOptions
        @OptionGroup var output: OutputOptions

        @Option(help: "webpush, android or ios.")
        var platform: DevicePlatform

        @Option(name: .customLong("device-id"), help: "The deviceId (default: a new UUID).")
        var deviceId: String?

        @Option(help: "The device locale, such as es-ES.")
        var locale: String?

        @Option(name: .customLong("time-zone"), help: "The device time zone, such as Europe/Madrid.")
        var timeZone: String?

        @Option(name: .customLong("push-token"), help: "The push token the platform gave the device.")
        var pushToken: String?

        func run() throws {
            let store = try storeOptions.open()
            var registration = DeviceRegistration(
                platform: platform, deviceId: deviceId, locale: locale, timeZone: timeZone)
            registration.pushToken = pushToken
            let device = try store.registerDevice(registration)
            if output.json {
                Output.json(device.fullJSON)
            } else {
                Output.note("Registered \(device.platform.rawValue) device:")
                Output.line(Output.safe(device.deviceId))
            }
        }
    }

    struct Login: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Log a device in as a customer (the SDK's logIn), creating the customer if new.")

        @OptionGroup var storeOptions: StoreOptions
        @OptionGroup var output: OutputOptions

        @Argument(help: "The deviceId.")
        var id: String

        @Argument(help: "The CRM id to log in as.")
        var crmId: String

        func run() throws {
            let store = try storeOptions.open()
            let device = try store.login(id, crmId: crmId)
            printDevice(device, json: output.json, message: "Logged in as customer \(device.externalCode ?? "?").")
        }
    }

    struct Logout: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Log a device out: it becomes anonymous (the SDK's code calls it `logout`).")

        @OptionGroup var storeOptions: StoreOptions
        @OptionGroup var output: OutputOptions

        @Argument(help: "The deviceId.")
        var id: String

        func run() throws {
            let device = try storeOptions.open().logout(id)
            printDevice(device, json: output.json, message: "Logged out; the device is anonymous.")
        }
    }

    struct Enable: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Enable push on a device.")

        @OptionGroup var storeOptions: StoreOptions
        @OptionGroup var output: OutputOptions

        @Argument(help: "The deviceId.")
        var id: String

        func run() throws {
            let device = try storeOptions.open().setDeviceEnabled(id, true)
            printDevice(device, json: output.json, message: "Enabled.")
        }
    }

    struct Disable: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Disable push on a device.")

        @OptionGroup var storeOptions: StoreOptions
        @OptionGroup var output: OutputOptions

        @Argument(help: "The deviceId.")
        var id: String

        func run() throws {
            let device = try storeOptions.open().setDeviceEnabled(id, false)
            printDevice(device, json: output.json, message: "Disabled.")
        }
    }

    struct Get: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print what the web SDK's deviceGet prints for a device.",
            discussion: """
                The object has exactly the keys enabled, locale, timeZone, timeOffset and deviceId. Known SDK \
                quirks: the documented `indigitall.deviceGet(console.log)` throws in SDK 4.3 and 4.5 (the working \
                call is `indigitall.Push.deviceGet`), and for a disabled device the SDK's object has no `enabled` \
                key at all; Roster prints "enabled": false explicitly so a tester sees the state. The ID may also \
                name a customer with exactly one device. --full prints the whole device record.
                """)

        @OptionGroup var storeOptions: StoreOptions
        @OptionGroup var output: OutputOptions

        @Argument(help: "A deviceId, or an ID of a customer with one device.")
        var id: String

        @Flag(help: "Print the whole device record.")
        var full = false

        func run() throws {
            let device = try storeOptions.open().device(id)
            if full {
                Output.json(device.fullJSON)
            } else {
                Output.json(device.deviceGetJSON, pretty: false)
            }
        }
    }
}

private func printDevice(_ device: Device, json: Bool, message: String) {
    if json {
        Output.json(device.fullJSON)
    } else {
        Output.note(message)
        Output.json(device.deviceGetJSON, pretty: false)
    }
}
