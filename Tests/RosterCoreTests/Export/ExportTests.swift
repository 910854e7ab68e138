import Foundation
import Testing

@testable import RosterCore
@testable import RosterModel

@Suite("Export")
struct ExportTests {
    func exported(_ store: Store, _ export: CustomerExport) throws -> [UInt8] {
        var bytes: [UInt8] = []
        try export.write(from: store) { bytes += Array($0) }
        return bytes
    }

    @Test("--excel neutralizes cells that start with = + - @ and writes a BOM and semicolons; plain CSV keeps values")
    func formulaInjection() throws {
        let dir = try TemporaryDirectory()
        let store = try dir.makeStore()
        _ = try store.addCustomer(
            crmId: "=HYPERLINK(\"http://x\")", email: "a@example.com", fields: [("note", "@SUM(A1)"), ("city", "-2+3")])
        var excel = CustomerExport(format: .csv)
        excel.excel = true
        let bytes = try exported(store, excel)
        #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
        let sheet = String(decoding: bytes.dropFirst(3), as: UTF8.self)
        #expect(sheet.hasPrefix("externalCode;customerId;"))
        #expect(sheet.contains("\"'=HYPERLINK(\"\"http://x\"\")\""))
        #expect(sheet.contains("'@SUM(A1)"))
        #expect(sheet.contains("'-2+3"))
        #expect(!sheet.contains(";=") && !sheet.contains(";@") && !sheet.contains(";-2"))

        // Plain CSV is data for `import contacts`: values exactly as held, quoted where needed.
        let csv = String(decoding: try exported(store, CustomerExport(format: .csv)), as: UTF8.self)
        #expect(csv.hasPrefix("customerId,externalCode,email,"))
        #expect(csv.contains("\"=HYPERLINK(\"\"http://x\"\")\""))
        #expect(csv.contains(",@SUM(A1)") || csv.contains(",-2+3,@SUM(A1)"))
        #expect(!csv.contains("'"))
    }

    @Test("the jsonl export re-imports losslessly into another store of the same region and app key")
    func jsonlRoundTrip() throws {
        let source = try TemporaryDirectory()
        let store = try source.makeStore()
        _ = try store.addCustomer(
            crmId: "CRM-1", email: "ana@example.com", phone: try PhoneNumber.parseInternational("+447700900123"),
            fields: [("Name", "Ana"), ("birthdate", "1990-03-12"), ("vip", "true"), ("score", "12.5")])
        _ = try store.setConsent("CRM-1", channel: .email, enabled: false)
        _ = try store.customer(forEmail: "only.email@example.com")
        _ = try store.registerDevice(DeviceRegistration(platform: .android, deviceId: "d-1", locale: "en-GB"))
        _ = try store.login("d-1", crmId: "CRM-1")
        _ = try store.registerDevice(DeviceRegistration(platform: .webpush, deviceId: "d-anon", timeZone: "Asia/Tokyo"))
        let path = source.file("export.jsonl")
        try Data(try exported(store, CustomerExport(format: .jsonl))).write(to: URL(fileURLWithPath: path))

        let target = try TemporaryDirectory()
        let copy = try target.makeStore()
        let summary = try Importer(store: copy, options: ImportOptions(kind: .jsonl, path: path)).run()
        #expect(summary.created == 2)
        #expect(summary.rejected == 0)
        for id in ["CRM-1", "only.email@example.com"] {
            let original = try store.customer(id)
            let restored = try copy.customer(id)
            #expect(restored.externalCode == original.externalCode)
            #expect(restored.email == original.email)
            #expect(restored.phone == original.phone)
            #expect(restored.consent == original.consent)
            #expect(restored.fields == original.fields)
            #expect(restored.origin == original.origin)
            #expect(try copy.devices(of: restored).map(\.deviceId) == store.devices(of: original).map(\.deviceId))
        }
        #expect(copy.fields.map(\.name) == store.fields.map(\.name))
        #expect(try copy.device("d-anon").timeZone == "Asia/Tokyo")
        #expect(try copy.device("d-anon").customerRowID == nil)
        let again = try Importer(store: copy, options: ImportOptions(kind: .jsonl, path: path)).run()
        #expect(again.unchanged == 2)
    }

    @Test("a jsonl import with --strict writes nothing when a row is refused, even after many batches")
    func jsonlStrictIsAllOrNothing() throws {
        let source = try TemporaryDirectory()
        let store = try source.makeStore()
        for number in 1...5 { _ = try store.addCustomer(crmId: "CRM-\(number)", email: "c\(number)@example.com") }
        let path = source.file("export.jsonl")
        try Data(try exported(store, CustomerExport(format: .jsonl))).write(to: URL(fileURLWithPath: path))

        // The target already gives the last exported customer's email to someone else: that row is refused.
        let target = try TemporaryDirectory()
        let copy = try target.makeStore()
        _ = try copy.addCustomer(crmId: "OTHER", email: "c5@example.com")
        // And a line that is not JSON, at the end (before a new end line): both are listed (the one refused while
        // applied too).
        var exportedLines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
        exportedLines[exportedLines.count - 1] = "{not json"
        var trailer = JSONLTrailer()
        for line in exportedLines { trailer.add(line: Array(line.utf8)) }
        try Data((exportedLines.joined(separator: "\n") + "\n").utf8 + trailer.line).write(
            to: URL(fileURLWithPath: path))
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        let conflict = try #require(lines.firstIndex { $0.contains("c5@example.com") }) + 1
        var options = ImportOptions(kind: .jsonl, path: path)
        options.strict = true
        options.batchSize = 2
        var refused: ImportRefused?
        do { _ = try Importer(store: copy, options: options).run() } catch let error as ImportRefused {
            refused = error
        }
        #expect(try #require(refused).summary.rejects.map(\.line) == [conflict, lines.count - 1])
        #expect(try copy.customerCount() == 1)
        #expect(throws: RosterError.self) { try copy.customer("CRM-1") }
    }

    @Test("jsonl devices are checked like a push file's: a bad deviceId, platform or time zone rejects the line")
    func jsonlDevicesAreChecked() throws {
        let dir = try TemporaryDirectory()
        let store = try dir.makeStore()
        let lines = [
            #"{"roster":"export","region":"eu","fields":[]}"#,
            #"{"crmId":"CRM-1","devices":[{"deviceId":"d-1","platform":"ios","timeZone":"Europe/Madrid"}]}"#,
            #"{"crmId":"CRM-2","devices":[{"deviceId":"d-2","timeZone":"Mars/Olympus"}]}"#,
            #"{"crmId":"CRM-3","devices":[{"deviceId":"d-3","platform":"fax"}]}"#,
            #"{"crmId":"CRM-4","devices":[{"deviceId":"bad\u001bid"}]}"#,
            #"{"anonymousDevices":[{"platform":"ios"}]}"#,
        ]
        let path = dir.file("devices.jsonl")
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: path))
        let summary = try Importer(store: store, options: ImportOptions(kind: .jsonl, path: path)).run()
        #expect(summary.created == 1)
        #expect(summary.rejects.map(\.line) == [3, 4, 5, 6])
        #expect(summary.rejects.first?.reason.contains("Mars/Olympus") == true)
        #expect(try store.device("d-1").timeZone == "Europe/Madrid")
        #expect(throws: RosterError.self) { try store.customer("CRM-2") }
    }
}
