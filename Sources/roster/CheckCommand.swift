import ArgumentParser
import Foundation
import RosterCore
import RosterModel

#if canImport(Glibc)
    import Glibc
#endif

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Verify a whole store: SQLite, every record, the blind indexes, field types, audit chain, snapshot.",
        discussion: """
            Reads everything and changes nothing. It runs SQLite's integrity check; opens every customer and \
            device record; checks that every identifier (externalCode, email, phone, deviceId) is indexed and \
            that every index entry points at a record holding that value (a deleted emailIndex row would make \
            an address look free); checks every field type's MAC and that values match their field's type; \
            verifies the audit chain; and compares the working-set snapshot with the records. Each problem is \
            reported in words, and the exit status is 1 when any was found. Progress goes to stderr on a \
            terminal. A damaged store is best restored from a backup; run check on the restored copy too.
            """)

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let started = Date()
        let store: Store
        do {
            store = try storeOptions.open(forCheck: true)
        } catch let error as RosterError {
            guard case .notAStore(let path, let detail) = error, detail.contains("malformed") else { throw error }
            report(
                path: path, region: nil, seconds: Date().timeIntervalSince(started), counts: [],
                problems: [("sqlite", "SQLite cannot read the file: \(detail)")])
            throw ExitCode.failure
        }
        let showsProgress = isatty(STDERR_FILENO) == 1
        var lastDraw = Date.distantPast
        let result = try store.check { phase, share in
            guard showsProgress, Date().timeIntervalSince(lastDraw) > 0.1 else { return }
            lastDraw = Date()
            let percent = share > 0 ? String(format: " %.0f%%", min(100, share * 100)) : ""
            FileHandle.standardError.write(Data("\r\u{1b}[2Kcheck: \(phase)\(percent)".utf8))
        }
        if showsProgress { FileHandle.standardError.write(Data("\r\u{1b}[2K".utf8)) }
        var counts: [(String, Int)] = [
            ("customers", result.customers), ("devices", result.devices), ("indexEntries", result.indexEntries),
            ("fields", result.fields), ("auditEntries", result.auditEntries),
        ]
        if let rows = result.snapshotRows { counts.append(("snapshotRows", rows)) }
        report(
            path: store.path, region: store.region, seconds: Date().timeIntervalSince(started), counts: counts,
            problems: result.problems.map { ($0.area, $0.message) }, total: result.problemCount)
        if result.problemCount > 0 { throw ExitCode.failure }
    }

    /// The counts' JSON names in words, for the text summary.
    private static let words: [String: (one: String, many: String)] = [
        "customers": ("customer", "customers"), "devices": ("device", "devices"),
        "indexEntries": ("index entry", "index entries"), "fields": ("field", "fields"),
        "auditEntries": ("audit entry", "audit entries"), "snapshotRows": ("snapshot row", "snapshot rows"),
    ]

    private func report(
        path: String, region: String?, seconds: Double, counts: [(String, Int)], problems: [(String, String)],
        total: Int? = nil
    ) {
        let total = total ?? problems.count
        if output.json {
            var members: [(String, JSONValue)] = [("store", .string(path))]
            if let region { members.append(("region", .string(region))) }
            members.append(("intact", .bool(total == 0)))
            members += counts.map { ($0.0, .int(Int64($0.1))) }
            members.append(("problemCount", .int(Int64(total))))
            members.append(
                (
                    "problems",
                    .array(problems.map { .object([("area", .string($0.0)), ("message", .string($0.1))]) })
                ))
            members.append(("seconds", .string(String(format: "%.2f", seconds))))
            Output.json(.object(members))
            return
        }
        for (area, message) in problems { Output.note("check: \(area): \(message)") }
        if total > problems.count { Output.note("check: … and \(total - problems.count) more problems") }
        let summary = counts.map { name, count -> String in
            let words = Self.words[name] ?? (name, name)
            return "\(ProgressMeter.grouped(count)) \(count == 1 ? words.one : words.many)"
        }.joined(separator: ", ")
        if total == 0 {
            Output.line("The store \(path) is intact: \(summary) checked in \(String(format: "%.1f", seconds)) s.")
        } else {
            Output.line(
                "The store \(path) has \(total) problem\(total == 1 ? "" : "s")"
                    + (summary.isEmpty ? "" : " (\(summary) checked)")
                    + ". Restore it from a backup, or re-import the affected customers.")
        }
    }
}
