import Foundation
import RosterCore

/// `roster demo`: a store of synthetic customers, made once, with devices and birthdays today.
public enum DemoStore {
    /// The default place of the demo store: beside the real one, never the real one.
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let base = (Store.defaultPath(environment: environment) as NSString).deletingLastPathComponent
        return base + "/demo.roster"
    }

    /// The key file of a demo store: beside it, mode 0600.
    public static func keyFilePath(for storePath: String) -> String { storePath + ".key" }

    /// Creates the demo store with exactly `contacts` customers unless it already exists; returns whether it made one.
    @discardableResult
    public static func ensure(
        at path: String, contacts: Int, timeZone: String? = nil, progress: (@Sendable (String) -> Void)? = nil
    ) throws -> Bool {
        if FileManager.default.fileExists(atPath: path) { return false }
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        let keyFile = keyFilePath(for: path)
        if !FileManager.default.fileExists(atPath: keyFile) { try KeyFile.create(at: keyFile) }
        let store = try Store.create(
            at: path, region: "eu", appKey: "demo-app-key", timeZone: timeZone, key: .keyFile(path: keyFile))
        do {
            try fill(store, contacts: contacts, progress: progress)
            try store.close()
        } catch {
            try? store.close()
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
            throw error
        }
        return true
    }

    private static func fill(_ store: Store, contacts: Int, progress: (@Sendable (String) -> Void)?) throws {
        let zone = TimeZone(identifier: store.timeZone) ?? .current
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let today = calendar.dateComponents([.month, .day], from: Date())
        var generator = ContactGenerator(contacts: contacts * 11 / 10 + 20, seed: 2026)
        generator.invalidEvery = 0
        generator.duplicateEvery = 0
        generator.birthdayToday = (today.month ?? 1, today.day ?? 1)
        let csv = NSTemporaryDirectory() + "roster-demo-\(UUID().uuidString).csv"
        defer { try? FileManager.default.removeItem(atPath: csv) }
        // Exactly `contacts` valid rows: the generator's rows are valid when invalidEvery is 0,
        // but keep only as many as asked in case a phone or email still fails normalization.
        var lines = [ContactGenerator.header]
        var kept = 0
        generator.rowsText { line in
            guard kept < contacts else { return }
            lines.append(line)
            kept += 1
        }
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: csv))
        progress?("importing \(contacts) demo customers")
        var summary = try Importer(store: store, options: ImportOptions(kind: .contacts, path: csv)).run()
        var extra = contacts + 1
        while try store.customerCount() < contacts {
            // Top up if a generated row was rejected, so the demo has exactly N customers.
            _ = try store.addCustomer(crmId: "CRM-DEMO-\(extra)", fields: [("name", "Demo Customer \(extra)")])
            extra += 1
            summary.created += 1
        }
        progress?("registering demo devices")
        var random = SplitMix64(seed: 7)
        let locales = ["es-ES", "en-GB", "de-DE", "fr-FR", "it-IT", "ja-JP"]
        let zones = ["Europe/Madrid", "Europe/London", "Europe/Berlin", "Europe/Paris", "Europe/Rome", "Asia/Tokyo"]
        let step = max(1, contacts / min(contacts, 400))
        for index in stride(from: 0, to: contacts, by: step) {
            let choice = random.next(below: locales.count)
            var registration = DeviceRegistration(
                platform: [.webpush, .android, .ios][random.next(below: 3)],
                deviceId: UUID(uuidString: String(format: "00000000-0000-4000-8000-%012d", index))!.uuidString
                    .lowercased(),
                locale: locales[choice], timeZone: zones[choice])
            registration.pushToken = "demo-token-\(index)"
            registration.browserName = registration.platform == .webpush ? "Firefox" : nil
            let device = try store.registerDevice(registration)
            let crmId = String(format: "CRM-%07d", index)
            if random.next(below: 5) != 0, (try? store.customer(crmId)) != nil {
                _ = try store.login(device.deviceId, crmId: crmId)
            }
            if random.next(below: 10) == 0 { _ = try store.setDeviceEnabled(device.deviceId, false) }
        }
    }
}
