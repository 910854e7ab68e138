import Foundation
import RosterModel

@testable import RosterCore
@testable import RosterTUI

/// An in-memory store for the console: the fixtures, a filter that knows only `name ~ "x"`,
/// `has email|sms|push` and `@NAME` of its saved segments, RosterCore's own templates, and a recorded list of reveals.
final class FakeConsoleStore: ConsoleStore, @unchecked Sendable {
    struct Unsupported: Error, CustomStringConvertible {
        let text: String
        var description: String { "not a filter: \(text)" }
    }

    let storePath = Fixtures.storePath
    let region = "eu"
    private let lock = NSLock()
    private var revealed: [Int64] = []

    var reveals: [Int64] {
        lock.lock()
        defer { lock.unlock() }
        return revealed
    }

    /// The customers `loadWorkingSet` gives: the fixtures, or more for a test that needs a long list.
    let listed: [Customer]

    init(customers: [Customer] = Fixtures.customers) {
        listed = customers
    }

    func loadWorkingSet(progress: @escaping @Sendable (Double) -> Void) throws -> WorkingSet {
        progress(0.5)
        return WorkingSet(customers: listed, deviceCounts: [1: 1, 2: 1])
    }

    func customerDetail(rowID: Int64) throws -> CustomerDetail {
        guard let customer = Fixtures.customers.first(where: { $0.rowID == rowID }) else {
            throw Unsupported(text: "no customer \(rowID)")
        }
        return CustomerDetail(customer: customer, devices: Fixtures.devices.filter { $0.customerRowID == rowID })
    }

    func devices() throws -> [Device] { Fixtures.devices }

    func device(_ id: String) throws -> Device {
        guard let device = Fixtures.devices.first(where: { $0.deviceId == id || $0.externalCode == id }) else {
            throw Unsupported(text: "no device \(id)")
        }
        return device
    }

    func filter(_ expression: String, in workingSet: WorkingSet) throws -> [Int32] {
        if expression.hasPrefix("@") {
            let name = expression.dropFirst().lowercased()
            guard let saved = try savedSegments().first(where: { $0.name.lowercased() == name }) else {
                throw Unsupported(text: "unknown segment \(expression)")
            }
            return try filter(saved.expression, in: workingSet)
        }
        let words = expression.split(separator: " ", maxSplits: 2).map(String.init)
        if words.count == 2, words[0] == "has" {
            let present: (Int) -> Bool
            switch words[1] {
            case "email": present = { workingSet.emails[$0] != nil }
            case "sms": present = { workingSet.phones[$0] != nil }
            case "push": present = { workingSet.deviceCounts[$0] > 0 }
            default: throw Unsupported(text: expression)
            }
            return (0..<workingSet.count).filter(present).map { Int32($0) }
        }
        guard words.count == 3, words[0] == "name", words[1] == "~", words[2].hasPrefix("\""), words[2].hasSuffix("\"")
        else { throw Unsupported(text: expression) }
        let needle = words[2].dropFirst().dropLast().lowercased()
        let names = workingSet.column(named: "name")?.values
        return (0..<workingSet.count).filter { names?[$0]?.lowercased().contains(needle) ?? false }.map { Int32($0) }
    }

    func search(_ text: String, in workingSet: WorkingSet) -> [Int32] {
        let needle = text.lowercased()
        let names = workingSet.column(named: "name")?.values
        var rows: [Int32] = []
        for row in 0..<workingSet.count {
            let values: [String?] = [
                names?[row], workingSet.emails[row], workingSet.crmIds[row], workingSet.externalCodes[row],
            ]
            if values.contains(where: { $0?.lowercased().contains(needle) ?? false }) { rows.append(Int32(row)) }
        }
        return rows
    }

    func preview(template: String, rowID: Int64) throws -> Template.Rendering {
        try Template.parse(template).render(try customerDetail(rowID: rowID).customer)
    }

    func preview(template: String, rows: [Int32], in workingSet: WorkingSet) throws -> SegmentPreview {
        SegmentPreview(template: try Template.parse(template), rows: rows, of: workingSet)
    }

    func importFile(kind: String, path: String, progress: @escaping @Sendable (ImportProgress) -> Void) throws
        -> ImportReport
    {
        progress(ImportProgress(rows: 2, bytesRead: 50, totalBytes: 100))
        return ImportReport(
            read: 4, created: 2, updated: 1, unchanged: 0, rejected: 1, duplicatesInFile: 0,
            rejects: ["line 3: email has no @"])
    }

    func recordReveal(rowID: Int64) {
        lock.lock()
        revealed.append(rowID)
        lock.unlock()
    }

    private var segments: [SavedSegment] = []

    func savedSegments() throws -> [SavedSegment] {
        lock.lock()
        defer { lock.unlock() }
        return segments
    }

    func saveSegment(name: String, expression: String, replacing: Bool, in workingSet: WorkingSet) throws -> Int {
        let count = try filter(expression, in: workingSet).count
        let name = name.hasPrefix("@") ? String(name.dropFirst()) : name
        lock.lock()
        defer { lock.unlock() }
        if !replacing, segments.contains(where: { $0.name.lowercased() == name.lowercased() }) {
            throw Unsupported(text: "@\(name) is already saved")
        }
        segments.removeAll { $0.name.lowercased() == name.lowercased() }
        segments.append(SavedSegment(name: name, expression: expression))
        return count
    }

    func deleteSegment(name: String) throws {
        let name = name.hasPrefix("@") ? String(name.dropFirst()) : name
        lock.lock()
        defer { lock.unlock() }
        segments.removeAll { $0.name.lowercased() == name.lowercased() }
    }

    func edit(rowID: Int64, _ change: CustomerEdit) throws -> CustomerDetail {
        var detail = try customerDetail(rowID: rowID)
        var customer = detail.customer
        switch change {
        case .consent(let channel, let enabled): customer.consent[channel] = enabled
        case .setField(let name, let value): customer.fields[name.lowercased()] = FieldValue(type: .text, value: value)
        case .unsetField(let name): customer.fields[name.lowercased()] = nil
        }
        detail = CustomerDetail(customer: customer, devices: detail.devices)
        return detail
    }

    /// A Mailchimp-shaped file: with the preset, names from two columns; a path with `ambiguous` has a date column
    /// that needs its order.
    func previewImport(_ draft: ImportDraft) throws -> ImportMappingPreview {
        if draft.path.contains("missing") { throw Unsupported(text: "cannot open \(draft.path)") }
        if draft.path.contains("ambiguous"), draft.dateOrder == nil {
            return ImportMappingPreview(
                preview: nil,
                problem: "the dates of field birthdate (column \"Birthday\") could all be day/month or "
                    + "month/day", needsDateOrder: true)
        }
        let headers = ["Email Address", "First Name", "Last Name", "Birthday"]
        let name = draft.preset == "mailchimp"
        let columns: [ImportPreview.Column] =
            [.init(target: "email", source: "Email Address", type: nil)]
            + (name
                ? [.init(target: "name", source: "{First Name} {Last Name}", type: .text)]
                : [
                    .init(target: "First Name", source: "First Name", type: .text),
                    .init(target: "Last Name", source: "Last Name", type: .text),
                ])
            + [.init(target: "birthdate", source: "Birthday", type: .date)]
        let values: [(name: String, value: String)] =
            [("email", "ana@example.com")] + (name ? [("name", "Ana García")] : [("First Name", "Ana")])
            + [("birthdate", "--12-06")]
        return ImportMappingPreview(
            preview: ImportPreview(
                columns: columns, unused: [], rows: [.init(line: 2, values: values, rejection: nil)],
                formats: [.init(field: "birthdate", type: .date, format: "MM/DD")], headers: headers),
            presets: name ? [] : ["mailchimp", "hubspot"], headers: headers)
    }

    func importFile(_ draft: ImportDraft, progress: @escaping @Sendable (ImportProgress) -> Void) throws -> ImportReport
    {
        try importFile(kind: draft.kind, path: draft.path, progress: progress)
    }

    private var storedFields = [FieldSummary(name: "birthdate", type: .text, count: 2)]

    func fieldSummaries() throws -> [FieldSummary] {
        lock.lock()
        defer { lock.unlock() }
        return storedFields
    }

    func changeField(_ change: FieldRequest, apply: Bool) throws -> (check: FieldCheck, done: String?) {
        guard case .retype(let name, let type, _, let drop, _) = change else { return (.rename(count: 2), nil) }
        let report = RetypeReport(
            field: name, from: .text, to: type, converted: 1,
            unconvertible: [.init(externalCode: "code-2", value: "soon", reason: "\"soon\" is not a date")],
            applied: apply && drop, format: "DD/MM/YYYY")
        guard apply else { return (.retype(report), nil) }
        lock.lock()
        storedFields = [FieldSummary(name: name, type: type, count: 1)]
        lock.unlock()
        return (.retype(report), "field \(name) is now \(type.rawValue): 1 values converted, 1 dropped")
    }

    private var remembered: [ListKind: [String]] = [:]
    private var exported: [ExportRequest] = []

    /// The columns saved with `saveColumns`, by list.
    var savedColumnsByKind: [ListKind: [String]] {
        lock.lock()
        defer { lock.unlock() }
        return remembered
    }

    func savedColumns(kind: ListKind) -> [String]? {
        lock.lock()
        defer { lock.unlock() }
        return remembered[kind]
    }

    func saveColumns(kind: ListKind, names: [String]) {
        lock.lock()
        remembered[kind] = names
        lock.unlock()
    }

    /// The exports asked for.
    var exports: [ExportRequest] {
        lock.lock()
        defer { lock.unlock() }
        return exported
    }

    func export(_ request: ExportRequest, progress: @escaping @Sendable (Int) -> Void) throws -> ExportReport {
        lock.lock()
        exported.append(request)
        lock.unlock()
        progress(request.rows.count)
        return ExportReport(path: request.path, count: request.rows.count, format: request.format)
    }
}
