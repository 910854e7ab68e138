import RosterModel

/// The saved segments pane (`:segments`): each segment with its count on the working set, counted in the background.
public struct SegmentsScreen: Sendable {
    /// nil while the list loads.
    public var segments: [SavedSegment] = []
    public var loaded = false
    public var error: String?
    /// Counts (or the error of a segment that no longer fits the fields) by segment name, as they arrive.
    public var counts: [String: Result<Int, ConsoleFailure>] = [:]
    public var selected = 0

    public init() {}
}

extension ConsoleUpdate {
    /// `:segments`: opens the pane and loads the list, then the counts.
    static func openSegments(_ state: inout ConsoleState) -> [ConsoleEffect] {
        if case .segments = state.screens.last { state.screens.removeLast() }
        state.screens.append(.segments(SegmentsScreen()))
        return [.loadSegments(state.customers)]
    }

    /// `:segment save NAME`: the current list's filter, which must be one in the segments language.
    static func saveSegment(_ name: String, replacing: Bool, _ state: inout ConsoleState) -> [ConsoleEffect] {
        guard state.view.showsCustomers, let customers = state.customers else {
            state.notice = .init(text: "segments select customers: save one from a customer list", isError: true)
            return []
        }
        guard let filter = state.filters[state.view], !filter.text.trimmingSpaces.isEmpty else {
            state.notice = .init(text: "no filter to save: filter the list with / first", isError: true)
            return []
        }
        guard filter.mode == .segment else {
            let why =
                filter.mode == .text
                ? "it is a plain-text search, not a filter in the segments language (name ~ \"ana\", has email …)"
                : "it does not run yet (fix it with /, or wait for it)"
            state.notice = .init(text: "cannot save the filter as a segment: \(why)", isError: true)
            return []
        }
        state.notice = .init(text: "saving @\(name)…", isError: false)
        return [.saveSegment(name: name, expression: filter.text, replacing: replacing, customers: customers)]
    }

    /// Enter in the pane: the selected segment becomes the filter of the customer list, written `@NAME`.
    static func openSegment(_ state: inout ConsoleState) -> [ConsoleEffect] {
        guard case .segments(let pane) = state.screens.last, pane.selected < pane.segments.count else { return [] }
        let name = pane.segments[pane.selected].name
        state.screens.removeAll()
        if !state.view.showsCustomers {
            state.view = .customers
            state.revealedRowID = nil
        }
        return startFilter("@" + name, on: state.view, &state)
    }

    /// Results of the segment effects.
    static func segmentEvent(_ event: ConsoleEvent, _ state: inout ConsoleState) -> [ConsoleEffect] {
        switch event {
        case .segmentsLoaded(let result):
            updateSegments(&state) { pane in
                pane.loaded = true
                switch result {
                case .success(let segments):
                    pane.segments = segments
                    pane.selected = max(0, min(pane.selected, segments.count - 1))
                case .failure(let failure): pane.error = failure.message
                }
            }
        case .segmentCounted(let name, let result):
            updateSegments(&state) { $0.counts[name] = result }
        case .segmentSaved(let name, let result):
            switch result {
            case .success(let count):
                state.notice = .init(
                    text:
                        "saved @\(name): \(Format.count(count)) customer\(count == 1 ? "" : "s") (:segments lists them)",
                    isError: false)
                if case .segments = state.screens.last { return [.loadSegments(state.customers)] }
            case .failure(let failure):
                state.notice = .init(text: failure.message, isError: true)
            }
        case .segmentDeleted(let name, let result):
            switch result {
            case .success:
                state.notice = .init(text: "deleted @\(name)", isError: false)
                if case .segments = state.screens.last { return [.loadSegments(state.customers)] }
            case .failure(let failure):
                state.notice = .init(text: failure.message, isError: true)
            }
        default:
            break
        }
        return []
    }

    private static func updateSegments(_ state: inout ConsoleState, _ change: (inout SegmentsScreen) -> Void) {
        updateScreens(&state) { screen in
            guard case .segments(var pane) = screen else { return }
            change(&pane)
            screen = .segments(pane)
        }
    }
}

extension ConsoleRuntime {
    /// Segment effects, on the interactive queue: the list comes first, then one count at a time.
    func performSegmentEffect(_ effect: ConsoleEffect) {
        let store = self.store
        let events = self.events
        switch effect {
        case .loadSegments(let customers):
            run(on: interactive) {
                let result = Result { try store.savedSegments() }.failure
                events.post(.segmentsLoaded(result))
                guard let customers, case .success(let segments) = result else { return }
                for segment in segments {
                    let count = Result { try store.filter("@" + segment.name, in: customers.workingSet).count }
                    events.post(.segmentCounted(name: segment.name, count.failure))
                }
            }
        case .saveSegment(let name, let expression, let replacing, let customers):
            run(on: interactive) {
                let result = Result {
                    try store.saveSegment(
                        name: name, expression: expression, replacing: replacing, in: customers.workingSet)
                }
                let shown = name.hasPrefix("@") ? String(name.dropFirst()) : name
                events.post(.segmentSaved(name: shown, result.failure))
            }
        case .deleteSegment(let name):
            run(on: interactive) {
                let result = Result { try store.deleteSegment(name: name) }.map { true }
                let shown = name.hasPrefix("@") ? String(name.dropFirst()) : name
                events.post(.segmentDeleted(name: shown, result.failure))
            }
        default:
            break
        }
    }
}
