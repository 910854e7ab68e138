import Dispatch
import Foundation
import RosterModel

/// Carries out store effects off the UI loop and posts their results to the event queue.
///
/// Loading and importing run on one queue, everything interactive (filters, details, previews) on another,
/// so a long import never holds up a filter. Superseded filters and previews are skipped.
public final class ConsoleRuntime: Sendable {
    public let store: ConsoleStore
    public let events: EventQueue
    public let themes: ThemeCatalog
    let bulk = DispatchQueue(label: "roster.console.bulk", qos: .userInitiated)
    let interactive = DispatchQueue(label: "roster.console.interactive", qos: .userInteractive)
    let generations = Generations()
    /// Sorts and frequency tables: long on a big store, so they neither wait for nor hold up filters.
    private let sorting = DispatchQueue(label: "roster.console.sort", qos: .userInitiated)
    let watch = StoreWatch()
    private let inline: Bool
    var isInline: Bool { inline }

    /// A runtime over `store`; `inline` runs the work on the caller's thread (for tests and the replay bench).
    public init(store: ConsoleStore, events: EventQueue, themes: ThemeCatalog, inline: Bool = false) {
        self.store = store
        self.events = events
        self.themes = themes
        self.inline = inline
    }

    func run(on queue: DispatchQueue, _ work: @escaping @Sendable () -> Void) {
        if inline { work() } else { queue.async(execute: work) }
    }

    /// Starts `effect`; terminal effects are not this runtime's and are ignored.
    public func perform(_ effect: ConsoleEffect) {
        let store = self.store
        let events = self.events
        switch effect {
        case .loadWorkingSet:
            run(on: bulk) {
                do {
                    // The stamp is read first: a change that lands during the load is seen by the next poll.
                    let stamp = store.changeStamp(wait: true)
                    self.watch.loading(stamp)
                    // Renames before the load: one that lands during it is followed at the next load. The saved
                    // segments are what a filter naming one needs to be read.
                    let (renames, missed) = self.watch.newRenames(store.fieldRenames())
                    let segments = renames.isEmpty ? [] : (try? store.savedSegments()) ?? []
                    let workingSet = try store.loadWorkingSet { events.post(.workingSetProgress($0)) }
                    var catalog = CustomerCatalog(workingSet: workingSet)
                    catalog.stamp = stamp
                    catalog.loadedAt = Int64(Date().timeIntervalSince1970)
                    if self.watch.firstLoad() {
                        var saved: [ListKind: [String]] = [:]
                        for kind in ListKind.allCases { saved[kind] = store.savedColumns(kind: kind) }
                        events.post(.columnsLoaded(saved))
                    }
                    if !renames.isEmpty || missed {
                        events.post(.fieldsRenamed(renames, missedSome: missed, segments: segments))
                    }
                    self.watch.loaded(stamp)
                    events.post(.workingSetLoaded(catalog))
                } catch {
                    self.watch.loaded(nil)
                    events.post(.workingSetFailed(ConsoleFailure(error).message))
                }
            }
        case .loadDevices:
            run(on: interactive) {
                do {
                    events.post(.devicesLoaded(DeviceCatalog(devices: try store.devices())))
                } catch {
                    events.post(.devicesFailed(ConsoleFailure(error).message))
                }
            }
        case .loadDetail(let rowID):
            run(on: interactive) {
                events.post(.detailLoaded(rowID: rowID, Result { try store.customerDetail(rowID: rowID) }.failure))
            }
        case .filter(let request):
            let key = "filter." + request.view.rawValue
            generations.set(key, request.generation)
            run(on: interactive) { [generations] in
                guard generations.isCurrent(key, request.generation) else { return }
                events.post(.filterFinished(FilterRunner.run(request, store: store)))
            }
        case .deviceGet(let id):
            run(on: interactive) {
                events.post(.deviceGetFinished(request: id, Result { try store.device(id) }.failure))
            }
        case .previewCustomer(let generation, let template, let rowID):
            generations.set("preview", generation)
            run(on: interactive) { [generations] in
                guard generations.isCurrent("preview", generation) else { return }
                let result = Result { try store.preview(template: template, rowID: rowID) }.failure
                events.post(.previewFinished(generation: generation, result))
            }
        case .previewSegment(let generation, let template, let rows, let customers):
            run(on: interactive) { [generations] in
                guard generations.isCurrent("preview", generation) else { return }
                let result = Result { try store.preview(template: template, rows: rows, in: customers.workingSet) }
                events.post(.segmentPreviewFinished(generation: generation, result.failure))
            }
        case .importFile(let kind, let typed):
            let path = Self.expandingHome(typed, home: ProcessInfo.processInfo.environment["HOME"])
            run(on: bulk) {
                let result = Result {
                    try store.importFile(kind: kind, path: path) { events.post(.importProgress($0)) }
                }
                Self.waitForImportGate()
                events.post(.importFinished(result.failure))
            }
        case .recordReveal(let rowID):
            run(on: interactive) {
                events.post(.revealRecorded(rowID: rowID, Result { try store.recordReveal(rowID: rowID) }.failure))
            }
        case .editCustomer(let rowID, let change):
            // On the loading queue: the working set is reloaded after the change, in order.
            run(on: bulk) { [watch] in
                Self.waitForGate("ROSTER_TEST_EDIT_GATE")
                // The console's own edit is not another process's change: the reload after it is the only one.
                let before = store.changeStamp(wait: true)
                let result = Result { try store.edit(rowID: rowID, change) }
                if case .success = result { watch.advance(from: before, to: store.changeStamp(wait: true)) }
                events.post(.editFinished(rowID: rowID, result.failure))
            }
        case .loadTheme(let name):
            let themes = self.themes
            run(on: interactive) {
                let (theme, error) = themes.load(name)
                events.post(.themeLoaded(theme, error: error?.description))
            }
        case .previewImport, .importMapped, .loadFields, .checkFieldChange, .applyFieldChange:
            performAdministration(effect)
        case .sort(let request):
            let key = "sort." + request.view.rawValue
            generations.set(key, request.generation)
            run(on: sorting) { [generations] in
                let rows = ListSorter.sort(request, store: store) { !generations.isCurrent(key, request.generation) }
                guard let rows else { return }
                events.post(
                    .sortFinished(view: request.view, generation: request.generation, key: request.key, rows: rows))
            }
        case .saveColumns(let kind, let names):
            run(on: interactive) { [watch] in
                // The console's own write is not another process's change: no reload for it.
                let before = store.changeStamp(wait: true)
                store.saveColumns(kind: kind, names: names)
                watch.advance(from: before, to: store.changeStamp(wait: true))
                events.post(.columnsSaved)
            }
        case .frequency(let request):
            generations.set("frequency", request.generation)
            run(on: sorting) { [generations] in
                let table = FrequencyCounter.count(request, store: store) {
                    !generations.isCurrent("frequency", request.generation)
                }
                guard let table else { return }
                events.post(.frequencyFinished(generation: request.generation, .success(table)))
            }
        case .recordCopy(let rowID, let what):
            run(on: interactive) { store.recordCopy(rowID: rowID, what: what) }
        case .export(let typed):
            let home = ProcessInfo.processInfo.environment["HOME"]
            let request = ExportRequest(
                path: Self.expandingHome(typed.path, home: home), format: typed.format, view: typed.view,
                columns: typed.columns, rows: typed.rows, customers: typed.customers, devices: typed.devices)
            run(on: bulk) {
                let result = Result { try store.export(request) { events.post(.exportProgress(written: $0)) } }
                events.post(.exportFinished(result.failure))
            }
        case .copy:
            break
        case .loadSegments, .saveSegment, .deleteSegment:
            performSegmentEffect(effect)
        case .redraw, .suspend, .quit:
            break
        }
    }
}

extension ConsoleRuntime {
    /// A test hook: with `ROSTER_TEST_IMPORT_GATE` set to a path, a finished import is reported only once that
    /// file exists (at most a minute), so an end-to-end test can act while the import still runs.
    static func waitForImportGate() { waitForGate("ROSTER_TEST_IMPORT_GATE") }

    /// A test hook: with the environment variable `name` set to a path, waits until that file exists (at most a
    /// minute). `ROSTER_TEST_EDIT_GATE` holds an edit before it is written.
    static func waitForGate(_ name: String) {
        guard let gate = ProcessInfo.processInfo.environment[name], !gate.isEmpty else { return }
        let deadline = Date().addingTimeInterval(60)
        while !FileManager.default.fileExists(atPath: gate) && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.02)
        }
    }

    /// `~` and `~/…` as the shell would read them: the home folder (other paths unchanged).
    public static func expandingHome(_ path: String, home: String?) -> String {
        guard let home, !home.isEmpty else { return path }
        if path == "~" { return home }
        if path.hasPrefix("~/") { return home + path.dropFirst() }
        return path
    }
}

extension Result where Failure == any Error {
    /// The result with its error as the message the console shows.
    var failure: Result<Success, ConsoleFailure> { mapError { ConsoleFailure($0) } }
}
