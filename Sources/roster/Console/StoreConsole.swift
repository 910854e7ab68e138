import Foundation
import RosterCore
import RosterTUI

/// The console's view of a store; `protected` are the files an export must never replace (the key file).
func makeConsoleStore(_ store: Store, protecting protected: ProtectedFiles = ProtectedFiles()) -> ConsoleStore {
    let console = StoreConsole(store: store)
    console.protected = protected
    console.protected.addStore(store.path)
    return console
}

/// `ConsoleStore` over a real, unlocked store. Calls come from the console's worker; a lock keeps them one at a time.
final class StoreConsole: ConsoleStore, @unchecked Sendable {
    let store: Store
    private let lock = NSLock()
    /// The files an export refuses to write over: the store, its companions, the key file.
    var protected = ProtectedFiles()
    /// The filter index of the last working set handed out, rebuilt only when the set changes.
    private var indexed: (rowIDs: [Int64], index: FilterIndex)?

    init(store: Store) {
        self.store = store
        // The console stays open for hours: it holds the store only during each call, so that another process's
        // bulk import can replace the file; the next call reopens it (`Store.use`).
        store.holdOnlyDuringUse()
    }

    var storePath: String { store.path }
    var region: String { store.region }

    private func locked<T>(_ body: () throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        return try store.use(body)
    }

    func loadWorkingSet(progress: @escaping @Sendable (Double) -> Void) throws -> WorkingSet {
        try locked {
            let set = try store.loadWorkingSet(progress: progress)
            let index = FilterIndex(set)
            indexed = (set.rowIDs, index)
            // Fields are folded and parsed on first use; do it now, off the worker, while the first screen shows.
            DispatchQueue.global(qos: .utility).async { index.prepareAll() }
            return set
        }
    }

    private func index(for set: WorkingSet) -> FilterIndex {
        if let indexed, indexed.rowIDs == set.rowIDs { return indexed.index }
        let index = FilterIndex(set)
        indexed = (set.rowIDs, index)
        return index
    }

    func customerDetail(rowID: Int64) throws -> CustomerDetail {
        try locked {
            let customer = try store.customer(rowID: rowID)
            return CustomerDetail(customer: customer, devices: try store.devices(of: customer))
        }
    }

    func devices() throws -> [Device] {
        try locked { try store.allDevices() }
    }

    func device(_ id: String) throws -> Device {
        try locked { try store.device(id) }
    }

    func filter(_ expression: String, in workingSet: WorkingSet) throws -> [Int32] {
        try locked {
            let context = try Segment.context(store: store)
            do {
                return try index(for: workingSet).evaluate(
                    try Filter.parse(expression, segments: context.segments), context: context)
            } catch {
                throw RosterError.invalidValue(String(describing: error))
            }
        }
    }

    func search(_ text: String, in workingSet: WorkingSet) -> [Int32] {
        // The index is in memory: no store access, so no need to hold it.
        lock.lock()
        defer { lock.unlock() }
        return index(for: workingSet).search(text: text)
    }

    func preview(template: String, rowID: Int64) throws -> Template.Rendering {
        let parsed = try parse(template)
        return parsed.render(try locked { try store.customer(rowID: rowID) })
    }

    func preview(template: String, rows: [Int32], in workingSet: WorkingSet) throws -> SegmentPreview {
        SegmentPreview(template: try parse(template), rows: rows, of: workingSet)
    }

    func importFile(kind: String, path: String, progress: @escaping @Sendable (ImportProgress) -> Void) throws
        -> ImportReport
    {
        guard let importKind = ImportKind(rawValue: kind.lowercased()) else {
            throw RosterError.invalidValue(
                "\"\(kind)\" is not an import kind: use \(ImportKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let summary = try locked {
            try Importer(store: store, options: ImportOptions(kind: importKind, path: path)) { report in
                progress(
                    ImportProgress(
                        phase: report.phase.rawValue, rows: report.rows, bytesRead: report.bytesRead,
                        totalBytes: report.totalBytes))
            }.run()
        }
        return ImportReport(
            read: summary.read, created: summary.created, updated: summary.updated, unchanged: summary.unchanged,
            rejected: summary.rejected, duplicatesInFile: summary.duplicatesInFile,
            rejects: summary.rejects.prefix(50).map { "line \($0.line): \($0.reason)" })
    }

    func recordReveal(rowID: Int64) {
        try? locked { store.recordReveal(rowID: rowID) }
    }

    func edit(rowID: Int64, _ change: CustomerEdit) throws -> CustomerDetail {
        try locked {
            let code = try store.customer(rowID: rowID).externalCode
            let customer: Customer
            switch change {
            case .setField(let name, let value): customer = try store.set(code, field: name, value: value)
            case .unsetField(let name): customer = try store.unset(code, field: name)
            case .consent(let channel, let enabled):
                customer = try store.setConsent(code, channel: channel, enabled: enabled)
            }
            return CustomerDetail(customer: customer, devices: try store.devices(of: customer))
        }
    }

    func changeStamp(wait: Bool) -> Store.ChangeStamp? {
        // A poll never queues behind this console's own work (an import holds the lock for minutes).
        if wait { lock.lock() } else if !lock.try() { return nil }
        defer { lock.unlock() }
        return try? store.use { try store.changeStamp() }
    }

    func filterIndex(for workingSet: WorkingSet) -> FilterIndex {
        // The index is in memory and safe to use from several threads: sorts and counts run outside the lock.
        lock.lock()
        defer { lock.unlock() }
        return index(for: workingSet)
    }

    /// The setting that remembers a list's columns.
    private static func columnsSetting(_ kind: ListKind) -> String { "console.columns." + kind.rawValue }

    func savedColumns(kind: ListKind) -> [String]? {
        guard let data = try? locked({ try store.setting(named: Self.columnsSetting(kind)) }) else { return nil }
        return (try? JSONSerialization.jsonObject(with: data)) as? [String]
    }

    func saveColumns(kind: ListKind, names: [String]) {
        guard let data = try? JSONSerialization.data(withJSONObject: names) else { return }
        try? locked { try store.setSetting(data, named: Self.columnsSetting(kind)) }
    }

    func recordCopy(rowID: Int64, what: String) {
        try? locked {
            let code = try store.customer(rowID: rowID).externalCode
            try store.audit(.reveal, subject: code, detail: "console copy of the revealed \(what)")
        }
    }

    func export(_ request: ExportRequest, progress: @escaping @Sendable (Int) -> Void) throws -> ExportReport {
        let file = try OutputFile(path: request.path, protecting: protected)
        defer { file.discard() }
        var buffer = ""
        func flush(force: Bool = false) throws {
            guard force || buffer.utf8.count >= 1 << 16 else { return }
            try file.write(Array(buffer.utf8))
            buffer = ""
        }
        let count = request.rows.count
        if request.format == "csv" { buffer += ExportRequest.csvLine(request.titles) }
        // A thousand rows at a time, holding the store only for those: filters and details go on meanwhile.
        for start in stride(from: 0, to: count, by: 1000) {
            let end = min(count, start + 1000)
            if request.format == "csv" {
                for position in start..<end { buffer += ExportRequest.csvLine(request.cells(position)) }
            } else {
                try locked {
                    for position in start..<end {
                        if request.view.showsCustomers, let workingSet = request.customers?.workingSet {
                            let customer = try store.customer(rowID: workingSet.rowIDs[request.rows[position]])
                            buffer += customer.json(devices: try store.devices(of: customer)).rendered() + "\n"
                        } else if let device = request.devices?.devices[request.rows[position]] {
                            buffer += device.fullJSON.rendered() + "\n"
                        }
                    }
                }
            }
            try flush()
            progress(end)
        }
        try flush(force: true)
        // On the disk before it is recorded, and recorded before it is in place: a failed export is never audited
        // as done.
        try file.sync()
        let what = request.view.showsCustomers ? "customers" : "devices"
        try locked {
            try store.audit(.export, subject: "*", detail: "console \(request.format) export of \(count) \(what)")
        }
        try file.commit()
        return ExportReport(path: request.path, count: count, format: request.format)
    }

    func savedSegments() throws -> [SavedSegment] {
        try locked { try store.savedSegments().all }
    }

    func saveSegment(name: String, expression: String, replacing: Bool, in workingSet: WorkingSet) throws -> Int {
        try locked {
            try store.saveSegment(named: name, expression: expression, replacing: replacing) { filter, segments in
                var context = try Segment.context(store: store)
                context.segments = segments
                do {
                    return try index(for: workingSet).count(filter, context: context)
                } catch {
                    throw RosterError.invalidValue(String(describing: error))
                }
            }
        }
    }

    func deleteSegment(name: String) throws {
        try locked { try store.deleteSegment(named: name) }
    }

    private func parse(_ template: String) throws -> Template {
        do {
            return try Template.parse(template)
        } catch {
            throw RosterError.invalidValue(error.description)
        }
    }
}
