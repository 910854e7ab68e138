import Foundation
import GRDB
import Testing

@testable import RosterCore
@testable import RosterModel

#if canImport(Glibc)
    import Glibc
#endif

/// The ways rows reach the import session: each turns its input into rows and nothing else.
enum ImportFrontEnd: String, CaseIterable, CustomTestStringConvertible, Sendable {
    /// A CSV file into an empty store: one pass, written to a copy of the store.
    case csvBulk
    /// A CSV file into a store with customers: two passes, row by row and in lanes.
    case csvIncremental
    /// A jsonl export of another store of the region.
    case jsonl
    /// A CSV file received by the sync server, read from a sealed spill.
    case upload

    var testDescription: String { rawValue }

    /// Whether the front end takes a `--rejects` file (jsonl and the upload list their rejected rows only).
    var writesRejectsFile: Bool { self == .csvBulk || self == .csvIncremental }
}

@Suite("The import engine: strict mode, dry run, rejects, audit and failures alike for every front end")
struct ImportEngineTests {
    /// Three customers and one bad row between them (line 3 of each file).
    static let csv = "customerId,email,name\nCRM-1,a1@example.com,Ana\nCRM-2,bad@,Bad\nCRM-3,a3@example.com,Cid\n"
    /// The same with a row in the middle naming CRM-T, whose index entry the failure test moves to another customer.
    static let csvNamingTampered =
        "customerId,email,name\nCRM-1,a1@example.com,Ana\nCRM-T,t@example.com,Changed\nCRM-3,a3@example.com,Cid\n"

    /// One front end's store and input, in a directory of their own.
    final class Setup {
        let frontEnd: ImportFrontEnd
        let dir: TemporaryDirectory
        let store: Store
        let input: [UInt8]
        let inputPath: String

        init(_ frontEnd: ImportFrontEnd, tampered: Bool = false) throws {
            let dir = try TemporaryDirectory()
            let store = try dir.makeStore()
            if frontEnd != .csvBulk { _ = try store.addCustomer(crmId: "CRM-OTHER") }
            if tampered { _ = try store.addCustomer(crmId: "CRM-T", email: "t@example.com") }
            let input: [UInt8]
            switch frontEnd {
            case .jsonl:
                input = try Self.export(
                    crmIds: tampered ? ["CRM-1", "CRM-T", "CRM-3"] : ["CRM-1", "CRM-3"], badLine: !tampered)
            case .csvBulk, .csvIncremental, .upload:
                input = Array((tampered ? ImportEngineTests.csvNamingTampered : ImportEngineTests.csv).utf8)
            }
            let inputPath = dir.file(frontEnd == .jsonl ? "input.jsonl" : "input.csv")
            try Data(input).write(to: URL(fileURLWithPath: inputPath))
            self.frontEnd = frontEnd
            self.dir = dir
            self.store = store
            self.input = input
            self.inputPath = inputPath
        }

        /// A jsonl export of a store of the same region and app key holding `crmIds`, with a line that is not JSON
        /// as line 3 when `badLine` (the end line recomputed, as if the file had been exported so).
        static func export(crmIds: [String], badLine: Bool) throws -> [UInt8] {
            let source = try TemporaryDirectory()
            let store = try source.makeStore()
            for (number, crmId) in crmIds.enumerated() {
                _ = try store.addCustomer(crmId: crmId, email: "j\(number)@example.com")
            }
            var bytes: [UInt8] = []
            try CustomerExport(format: .jsonl).write(from: store) { bytes += Array($0) }
            var lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n").map(String.init)
            lines.removeLast()  // the end line
            if badLine { lines.insert("{not json", at: 2) }
            var trailer = JSONLTrailer()
            for line in lines { trailer.add(line: Array(line.utf8)) }
            return Array((lines.joined(separator: "\n") + "\n").utf8) + trailer.line
        }

        /// Runs the front end's import.
        func run(
            dryRun: Bool = false, strict: Bool = false, rejectsPath: String? = nil,
            configure: (inout ImportOptions) -> Void = { _ in },
            progress: (@Sendable (ImportProgressReport) -> Void)? = nil
        ) throws -> ImportSummary {
            let kind: ImportKind = frontEnd == .jsonl ? .jsonl : .contacts
            if frontEnd == .upload {
                return try store.importUpload(
                    try upload(), kind: kind, dryRun: dryRun, strict: strict, actor: "engine-test")
            }
            var options = ImportOptions(kind: kind, path: inputPath)
            options.dryRun = dryRun
            options.strict = strict
            options.rejectsPath = rejectsPath
            configure(&options)
            return try Importer(store: store, options: options, progress: progress).run()
        }

        /// The input as the server receives it: through a pipe, into a sealed spill.
        private func upload() throws -> SealedUpload {
            var ends: [Int32] = [0, 0]
            guard pipe(&ends) == 0 else { throw RosterError.io(path: "pipe", detail: "no pipe") }
            defer { close(ends[0]) }
            let written = input.withUnsafeBytes { write(ends[1], $0.baseAddress, $0.count) }
            close(ends[1])
            #expect(written == input.count)  // a small input fits the pipe's buffer
            return try SealedUpload(readingPipe: ends[0], storePath: store.path)
        }

        /// What an import may change: the customers (and their content), the fields and the audit log.
        func state() throws -> [String] {
            var state = ["customers \(try store.customerCount())", "fields \(store.fields.map(\.name))"]
            state += try store.auditEntries().map { "\($0.action) \($0.detail)" }
            for id in ["CRM-1", "CRM-3", "CRM-T", "CRM-OTHER"] {
                if let customer = try? store.customer(id) {
                    let fields = customer.fields.map { "\($0.key)=\($0.value)" }.sorted()
                    state.append("\(id) \(customer.email ?? "-") \(fields)")
                }
            }
            return state
        }

        /// The line of the bad row in the input.
        var badLine: Int { 3 }
    }

    @Test(
        "--strict refuses the whole file, lists the rejected row and writes nothing", arguments: ImportFrontEnd.allCases
    )
    func strictWritesNothing(frontEnd: ImportFrontEnd) throws {
        let setup = try Setup(frontEnd)
        let before = try setup.state()
        let rejects = setup.dir.file("rejects.csv")
        var refused: ImportRefused?
        do {
            _ = try setup.run(strict: true, rejectsPath: rejects)
        } catch let error as ImportRefused {
            refused = error
        }
        #expect(try #require(refused).summary.rejects.map(\.line) == [setup.badLine])
        #expect(try setup.state() == before)
        #expect(!FileManager.default.fileExists(atPath: rejects))
    }

    @Test("--dry-run writes nothing and reports the counts the real run then has", arguments: ImportFrontEnd.allCases)
    func dryRunMatchesRealRun(frontEnd: ImportFrontEnd) throws {
        let setup = try Setup(frontEnd)
        let before = try setup.state()
        let dry = try setup.run(dryRun: true)
        #expect(try setup.state() == before)
        let real = try setup.run()
        let counts = { (summary: ImportSummary) -> [Int] in
            [summary.read, summary.created, summary.updated, summary.unchanged, summary.rejected]
                + [summary.duplicatesInFile]
        }
        #expect(counts(dry) == counts(real))
        #expect(dry.rejects == real.rejects)
        #expect(real.created == 2 && real.rejected == 1)
        #expect(try setup.state() != before)
    }

    @Test(
        "a rejected row is listed (and copied to the rejects file) while the rest lands",
        arguments: ImportFrontEnd.allCases)
    func rejectedRowAndTheRest(frontEnd: ImportFrontEnd) throws {
        let setup = try Setup(frontEnd)
        let rejects = setup.dir.file("rejects.csv")
        let summary = try setup.run(rejectsPath: setup.frontEnd.writesRejectsFile ? rejects : nil)
        #expect(summary.rejects.map(\.line) == [setup.badLine])
        #expect(summary.created == 2)
        #expect(try setup.store.customerCount() == (frontEnd == .csvBulk ? 2 : 3))
        if frontEnd == .jsonl {
            #expect(try setup.store.customer("CRM-1").email == "j0@example.com")
        } else {
            #expect(try setup.store.customer("CRM-1").email == "a1@example.com")
            #expect(try setup.store.customer("CRM-3").fields["name"]?.value == "Cid")
        }
        if frontEnd.writesRejectsFile {
            let lines = try String(contentsOfFile: rejects, encoding: .utf8).split(separator: "\n")
            #expect(lines.count == 2)
            #expect(lines.first == "customerId,email,name,reason")
            #expect(lines.last?.hasPrefix("CRM-2,bad@,Bad,") == true)
        }
    }

    @Test("an import leaves exactly one audit entry with its counts", arguments: ImportFrontEnd.allCases)
    func oneAuditEntry(frontEnd: ImportFrontEnd) throws {
        let setup = try Setup(frontEnd)
        let before = try setup.store.auditEntries().count
        let summary = try setup.run()
        let entries = try setup.store.auditEntries().dropFirst(before)
            .filter { $0.action == .import && !$0.detail.contains("batch committed") }
        #expect(entries.count == 1)
        let detail = try #require(entries.first).detail
        #expect(detail.contains("\(summary.created) created"))
        #expect(detail.contains("\(summary.rejected) rejected"))
        if frontEnd == .upload { #expect(entries.first?.actor == "engine-test") }
    }

    @Test("a failure in the middle of the file leaves the store as it was", arguments: ImportFrontEnd.allCases)
    func failureMidFile(frontEnd: ImportFrontEnd) throws {
        let setup = try Setup(frontEnd, tampered: frontEnd != .csvBulk)
        let before = try setup.state()
        if frontEnd == .csvBulk {
            // The bulk path meets no customer of the store: the file changes under it after its first batch.
            let path = setup.inputPath
            #expect(throws: (any Error).self) {
                _ = try setup.run(configure: { $0.bulkBatchRows = 1 }) { report in
                    guard report.phase == .importing, report.rows == 1 else { return }
                    let handle = FileHandle(forWritingAtPath: path)
                    _ = try? handle?.seekToEnd()
                    try? handle?.write(contentsOf: Data("CRM-9,a9@example.com,Late\n".utf8))
                    try? handle?.close()
                }
            }
        } else {
            // CRM-T's identity entry now leads to another customer's record: the row naming it, after CRM-1's, stops
            // the import as an integrity failure.
            let other = try setup.store.customer("CRM-OTHER").rowID
            let tampered = try setup.store.customer("CRM-T").rowID
            let queue = try DatabaseQueue(path: setup.store.path)
            try queue.write {
                try $0.execute(
                    sql: "UPDATE identityIndex SET customerId = ? WHERE customerId = ?", arguments: [other, tampered])
            }
            try queue.close()
            let afterTampering = try setup.state()
            #expect(throws: RosterError.self) { _ = try setup.run() }
            #expect(try setup.state() == afterTampering)
            #expect(throws: RosterError.self) { try setup.store.customer("CRM-1") }
            return
        }
        #expect(try setup.state() == before)
        #expect(try setup.store.customerCount() == 0)
    }
}
