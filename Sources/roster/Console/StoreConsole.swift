import Foundation
import RosterCore
import RosterModel
import RosterTUI
import Synchronization

/// The console's view of a store; `protected` are the files an export must never replace (the key file).
func makeConsoleStore(_ store: Store, protecting protected: ProtectedFiles = ProtectedFiles()) -> ConsoleStore {
    var protected = protected
    protected.addStore(store.path)
    return StoreConsole(store: store, protecting: protected)
}

/// `ConsoleStore` over a real, unlocked store. Calls come from the console's queues at once (loading and importing,
/// interactive work, sorts, the watch's poll): `Store` is safe to call from any thread, so nothing here serializes
/// them; what this type keeps itself (the last filter index) is behind a mutex.
final class StoreConsole: ConsoleStore, Sendable {
    let store: Store
    /// The files an export refuses to write over: the store, its companions, the key file.
    let protected: ProtectedFiles
    /// The filter index of the last working set handed out, rebuilt only when the set changes.
    private let indexed = Mutex<(rowIDs: [Int64], index: FilterIndex)?>(nil)
    /// How many calls are using the store now: the watch's poll skips a round while any is (`changeStamp`).
    private let busy = Atomic<Int>(0)

    init(store: Store, protecting protected: ProtectedFiles = ProtectedFiles()) {
        self.store = store
        self.protected = protected
        // The console stays open for hours: it holds the store only during each call, so that another process's
        // bulk import can replace the file; the next call reopens it (`Store.use`).
        store.holdOnlyDuringUse()
    }

    var storePath: String { store.path }
    var region: String { store.region }

    /// Runs `body` holding the store (`Store.use`), counted as busy.
    private func locked<T>(_ body: () throws -> T) throws -> T {
        busy.add(1, ordering: .relaxed)
        defer { busy.subtract(1, ordering: .relaxed) }
        return try store.use(body)
    }

    func loadWorkingSet(progress: @escaping @Sendable (Double) -> Void) throws -> WorkingSet {
        try locked {
            let set = try store.loadWorkingSet(progress: progress)
            let index = FilterIndex(set)
            indexed.withLock { $0 = (set.rowIDs, index) }
            // Fields are folded and parsed on first use; do it now, off the worker, while the first screen shows.
            // Then the load's and the preparation's freed buffers go back to the system (the console keeps freed
            // memory for its sorts: `FreedBuffers`).
            DispatchQueue.global(qos: .utility).async {
                index.prepareAll()
                FreedBuffers.release()
            }
            return set
        }
    }

    /// The index of `set`: the last one handed out if it is of the same rows, else a new one (building one only
    /// sets up its columns; fields are folded on first use, outside the mutex).
    private func index(for set: WorkingSet) -> FilterIndex {
        indexed.withLock { indexed in
            if let indexed, indexed.rowIDs == set.rowIDs { return indexed.index }
            let index = FilterIndex(set)
            indexed = (set.rowIDs, index)
            return index
        }
    }

    func customerDetail(rowID: Int64) throws -> CustomerDetail {
        try locked {
            let customer = try current(rowID)
            return CustomerDetail(customer: customer, devices: try store.devices(of: customer))
        }
    }

    /// The customer of a row of the list, which another process may have erased or merged since it was loaded:
    /// that is said as such, not as the integrity error a missing row is for an index. Called holding the store.
    private func current(_ rowID: Int64) throws -> Customer {
        guard let customer = try store.customerIfPresent(rowID: rowID) else {
            throw ConsoleFailure("this customer is no longer in the store (erased or merged since the list was loaded)")
        }
        return customer
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
            do throws(FilterError) {
                return try index(for: workingSet).evaluate(
                    try Filter.parse(expression, segments: context.segments), context: context)
            } catch {
                throw RosterError.invalidValue(.filter(error))
            }
        }
    }

    func search(_ text: String, in workingSet: WorkingSet) -> [Int32] {
        // The index is in memory: no store access, so no need to hold it.
        index(for: workingSet).search(text: text)
    }

    func preview(template: String, rowID: Int64) throws -> Template.Rendering {
        let parsed = try parse(template)
        return parsed.render(try locked { try current(rowID) })
    }

    func preview(template: String, rows: [Int32], in workingSet: WorkingSet) throws -> SegmentPreview {
        SegmentPreview(template: try parse(template), rows: rows, of: workingSet)
    }

    func importFile(kind: String, path: String, progress: @escaping @Sendable (ImportProgress) -> Void) throws
        -> ImportReport
    {
        try importFile(ImportDraft(kind: kind, path: path), progress: progress)
    }

    func recordReveal(rowID: Int64) throws {
        try locked {
            try store.audit(.reveal, subject: try current(rowID).externalCode, detail: "console reveal")
        }
    }

    func edit(rowID: Int64, _ change: CustomerEdit) throws -> CustomerDetail {
        try locked {
            let code = try current(rowID).externalCode
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

    func previewImport(_ draft: ImportDraft) throws -> ImportMappingPreview {
        let options = try importOptions(draft)
        return try locked {
            let importer = Importer(store: store, options: options)
            do {
                let preview = try importer.preview()
                return ImportMappingPreview(
                    preview: preview, presets: Preset.fitting(header: preview.headers).map(\.rawValue),
                    headers: preview.headers)
            } catch let error as MappingError {
                let needsDateOrder: Bool
                switch error {
                case .ambiguousDateOrder, .conflictingDateOrder: needsDateOrder = true
                default: needsDateOrder = false
                }
                return refused(error.description, needsDateOrder: needsDateOrder, header: try importer.header())
            } catch let error as RosterError {
                // A mapping the file cannot take (a target given twice, a header without a name): the operator
                // changes it; the file itself was read.
                guard case .invalidValue(let message) = error else { throw error }
                return refused(message.description, needsDateOrder: false, header: try importer.header())
            }
        }
    }

    /// A mapping the step shows as refused, with the file's header and the presets that fit it; nothing was
    /// imported, as the step says for itself.
    private func refused(_ problem: String, needsDateOrder: Bool, header: [String]) -> ImportMappingPreview {
        ImportMappingPreview(
            preview: nil, problem: problem.replacingOccurrences(of: " (nothing was imported)", with: ""),
            needsDateOrder: needsDateOrder, presets: Preset.fitting(header: header).map(\.rawValue), headers: header)
    }

    func importFile(_ draft: ImportDraft, progress: @escaping @Sendable (ImportProgress) -> Void) throws -> ImportReport
    {
        let options = try importOptions(draft)
        let summary = try locked {
            try Importer(store: store, options: options) { report in
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

    /// The options `roster import` would take for the draft: the preset, then each `TARGET=SOURCE`.
    private func importOptions(_ draft: ImportDraft) throws -> ImportOptions {
        guard let kind = ImportKind(rawValue: draft.kind.lowercased()) else {
            throw RosterError.invalidValue(.unknownImportKind(draft.kind))
        }
        var options = ImportOptions(kind: kind, path: draft.path)
        options.dateOrder = draft.dateOrder
        options.defaultCountry = draft.defaultCountry
        var mapping = ColumnMapping()
        if let name = draft.preset {
            guard let preset = Preset(rawValue: name) else {
                throw RosterError.invalidValue(.mapping(.unknownPreset(name)))
            }
            mapping = preset.mapping
        }
        options.mapping = mapping.overridden(
            by: ColumnMapping(entries: try draft.maps.map { try ColumnMapping.entry($0) }))
        return options
    }

    func fieldSummaries() throws -> [FieldSummary] {
        try locked { try store.fieldSummaries() }
    }

    func changeField(_ change: FieldRequest, apply: Bool) throws -> (check: FieldCheck, done: String?) {
        try locked {
            switch change {
            case .retype(let name, let type, let order, let drop, let dropAtMost):
                let report = try store.retypeField(
                    name, to: type, dateOrder: order, dropUnconvertible: drop && apply, checkOnly: !apply,
                    droppingAtMost: dropAtMost)
                guard apply else { return (.retype(report), nil) }
                guard report.applied else {
                    throw RosterError.invalidValue(
                        .unconvertibleValues(
                            field: report.field, type: report.to, count: report.unconvertible.count,
                            format: report.format))
                }
                let dropped = report.unconvertible.isEmpty ? "" : ", \(report.unconvertible.count) dropped"
                return (
                    .retype(report),
                    "field \(report.field) is now \(report.to.rawValue): "
                        + "\(Format.count(report.converted, "value")) converted\(dropped)"
                )
            case .rename(let old, let new):
                let report = try store.renameField(old, to: new, checkOnly: !apply)
                let segments =
                    report.segments.isEmpty ? "" : " and in \(Format.count(report.segments.count, "segment"))"
                let done = "field \(old) is now \(new) on \(Format.count(report.customers, "customer"))\(segments)"
                return (.rename(count: report.customers), apply ? done : nil)
            }
        }
    }

    func changeStamp(wait: Bool) -> Store.ChangeStamp? {
        // A poll skips a round while this console's own work uses the store (an import takes minutes): its changes
        // are the console's own, and a reload follows them anyway.
        if !wait, busy.load(ordering: .relaxed) > 0 { return nil }
        return try? store.use { try store.changeStamp() }
    }

    func filterIndex(for workingSet: WorkingSet) -> FilterIndex {
        // The index is in memory and safe to use from several threads: sorts and counts run outside the mutex.
        index(for: workingSet)
    }

    func savedColumns(kind: ListKind) -> [String]? {
        (try? locked { try store.rememberedColumns(list: kind.rawValue) }) ?? nil
    }

    func fieldRenames() -> [FieldRename] {
        (try? locked { try store.fieldRenames() }) ?? []
    }

    func saveColumns(kind: ListKind, names: [String]) {
        try? locked { try store.rememberColumns(names, list: kind.rawValue) }
    }

    func recordCopy(rowID: Int64, what: String) {
        try? locked {
            let code = try current(rowID).externalCode
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
        var gone = 0
        if request.format == "csv" { buffer += ExportRequest.csvLine(request.titles) }
        // A thousand rows at a time, holding the store only for those: filters and details go on meanwhile.
        for start in stride(from: 0, to: request.rows.count, by: 1000) {
            let end = min(request.rows.count, start + 1000)
            if request.format == "csv" {
                // The cells come from the list as loaded: customers erased or merged since are left out.
                var present: Set<Int64>?
                if request.view.showsCustomers, let workingSet = request.customers?.workingSet {
                    let rowIDs = (start..<end).map { workingSet.rowIDs[Int(request.rows[$0])] }
                    present = try locked { try store.presentCustomers(rowIDs) }
                }
                for position in start..<end {
                    if let present, let workingSet = request.customers?.workingSet,
                        !present.contains(workingSet.rowIDs[Int(request.rows[position])])
                    {
                        gone += 1
                        continue
                    }
                    buffer += ExportRequest.csvLine(request.cells(position))
                }
            } else {
                try locked {
                    for position in start..<end {
                        if request.view.showsCustomers, let workingSet = request.customers?.workingSet {
                            // Erased or merged since the list was loaded: not exported, and not counted.
                            guard
                                let customer = try store.customerIfPresent(
                                    rowID: workingSet.rowIDs[request.rows[position]])
                            else {
                                gone += 1
                                continue
                            }
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
        let count = request.rows.count - gone
        let what = (request.view.showsCustomers ? "customer" : "device") + (count == 1 ? "" : "s")
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
                do throws(FilterError) {
                    return try index(for: workingSet).count(filter, context: context)
                } catch {
                    throw RosterError.invalidValue(.filter(error))
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
            throw RosterError.invalidValue(.template(error))
        }
    }
}
