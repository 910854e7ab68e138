import RosterCore
import RosterModel
import Testing

@testable import RosterTUI

@Suite("live refresh: other processes' changes reload the list in place")
struct RefreshTests {
    static func loads(_ effects: [ConsoleEffect]) -> Int {
        effects.filter { if case .loadWorkingSet = $0 { return true } else { return false } }.count
    }

    /// The fixtures without customer 1 and with a new customer 7, stamped as data version `version`.
    static func changedCatalog(version: Int64, at seconds: Int64) -> CustomerCatalog {
        let customers = Array(Fixtures.customers.dropFirst()) + [Fixtures.customer(7, name: "Nuevo Cliente")]
        var catalog = CustomerCatalog(workingSet: WorkingSet(customers: customers, deviceCounts: [2: 1]))
        catalog.stamp = Store.ChangeStamp(dataVersion: version, reopens: 0)
        catalog.loadedAt = seconds
        return catalog
    }

    static func loadedStamped() -> ConsoleState {
        var state = ConsoleState(width: 80, height: 24, storePath: Fixtures.storePath, region: "eu")
        var catalog = Fixtures.catalog
        catalog.stamp = Store.ChangeStamp(dataVersion: 1, reopens: 0)
        catalog.loadedAt = 1_000
        _ = ConsoleUpdate.apply(.workingSetLoaded(catalog), to: &state)
        return state
    }

    @Test("a change reloads the working set; the selection stays on its customer and the status line says when")
    func reloadKeepsSelection() {
        var state = Self.loadedStamped()
        Fixtures.press([.character("j"), .character("j")], &state)
        #expect(ConsoleUpdate.selectedRowID(.customers, state) == 3)
        #expect(state.browser.dataChangedAt == nil, "the first load is not a change")
        let effects = ConsoleUpdate.apply(.storeChanged, to: &state)
        #expect(Self.loads(effects) == 1)
        #expect(state.customersLoad == .ready, "the old rows stay on screen while the reload runs")
        _ = ConsoleUpdate.apply(.workingSetLoaded(Self.changedCatalog(version: 2, at: 5_000)), to: &state)
        #expect(state.totalCount(.customers) == 6)
        #expect(ConsoleUpdate.selectedRowID(.customers, state) == 3, "still on customer 3, now on row 2")
        #expect(state.position(.customers).selected == 1)
        #expect(state.browser.dataChangedAt == 5_000)
        #expect(!state.browser.reloading)
        let frame = ConsoleView.render(state).lines.joined(separator: "\n")
        #expect(frame.contains("Nuevo Cliente"))
        #expect(frame.contains("changed " + Format.clock(5_000)))
    }

    @Test("an open customer is read again with each reload: changed values show, an erased one is no longer shown")
    func reloadRereadsDetail() {
        var state = Self.loadedStamped()
        Fixtures.press([.character("j"), .character("j"), .enter], &state)
        guard case .detail(let opened) = state.screens.last else {
            Issue.record("Enter opens the customer")
            return
        }
        let shown = Fixtures.customers.first { $0.rowID == opened.rowID }!
        _ = ConsoleUpdate.apply(
            .detailLoaded(rowID: opened.rowID, .success(CustomerDetail(customer: shown, devices: []))), to: &state)
        _ = ConsoleUpdate.apply(.storeChanged, to: &state)
        let effects = ConsoleUpdate.apply(.workingSetLoaded(Self.changedCatalog(version: 2, at: 5_000)), to: &state)
        #expect(effects.contains { if case .loadDetail(opened.rowID) = $0 { true } else { false } })
        Fixtures.press([.character("r")], &state)
        guard case .detail(let revealed) = state.screens.last, revealed.revealed else {
            Issue.record("r reveals the open customer")
            return
        }
        var changed = shown
        changed.fields["city"] = FieldValue(type: .text, value: "Lisboa")
        _ = ConsoleUpdate.apply(
            .detailLoaded(rowID: opened.rowID, .success(CustomerDetail(customer: changed, devices: []))), to: &state)
        guard case .detail(let updated) = state.screens.last else { return }
        #expect(updated.detail?.customer.fields["city"]?.value == "Lisboa")
        #expect(updated.revealed, "the same email and phone stay revealed")
        changed.email = "another@example.com"
        _ = ConsoleUpdate.apply(
            .detailLoaded(rowID: opened.rowID, .success(CustomerDetail(customer: changed, devices: []))), to: &state)
        guard case .detail(let masked) = state.screens.last else { return }
        #expect(!masked.revealed, "a new email is masked again: it was not what was revealed")
        _ = ConsoleUpdate.apply(
            .detailLoaded(rowID: opened.rowID, .failure(ConsoleFailure("no customer"))), to: &state)
        guard case .detail(let gone) = state.screens.last else { return }
        #expect(gone.detail == nil && gone.error == "no customer")
    }

    @Test("a customer revealed in the list is masked again when a reload brings another email or phone")
    func reloadMasksChangedContact() {
        var state = Self.loadedStamped()
        Fixtures.press([.character("r")], &state)
        guard let rowID = state.revealedRowID else {
            Issue.record("r reveals the selected customer")
            return
        }
        func reload(_ customers: [Customer], version: Int64) {
            var catalog = CustomerCatalog(workingSet: WorkingSet(customers: customers, deviceCounts: [:]))
            catalog.stamp = Store.ChangeStamp(dataVersion: version, reopens: 0)
            _ = ConsoleUpdate.apply(.storeChanged, to: &state)
            _ = ConsoleUpdate.apply(.workingSetLoaded(catalog), to: &state)
        }
        var customers = Fixtures.customers
        customers[customers.count - 1].fields["city"] = FieldValue(type: .text, value: "Lisboa")
        reload(customers, version: 2)
        #expect(state.revealedRowID == rowID, "another customer's change, or a field's, keeps it revealed")
        let index = customers.firstIndex { $0.rowID == rowID }!
        customers[index].email = "new.address@example.com"
        reload(customers, version: 3)
        #expect(state.revealedRowID == nil)
    }

    @Test("the list of columns open over the list is made again with each reload: a field added elsewhere shows")
    func reloadRebuildsColumnsPane() {
        var state = Self.loadedStamped()
        _ = ConsoleUpdate.browserCommand(.columns(nil), &state)
        func listed() -> String {
            guard case .text(let pane) = state.screens.last else { return "" }
            return pane.lines.map { $0.spans.map(\.text).joined() }.joined(separator: "\n")
        }
        #expect(!listed().contains("loyalty"))
        let customers = Fixtures.customers + [Fixtures.customer(7, name: "Nuevo", fields: ["loyalty": "gold"])]
        var catalog = CustomerCatalog(workingSet: WorkingSet(customers: customers, deviceCounts: [:]))
        catalog.stamp = Store.ChangeStamp(dataVersion: 2, reopens: 0)
        _ = ConsoleUpdate.apply(.storeChanged, to: &state)
        _ = ConsoleUpdate.apply(.workingSetLoaded(catalog), to: &state)
        #expect(listed().contains("loyalty"), "\(listed())")
    }

    @Test("a change while a reload runs asks for one more reload when it ends, not one per change")
    func changesDuringReload() {
        var state = Self.loadedStamped()
        #expect(Self.loads(ConsoleUpdate.apply(.storeChanged, to: &state)) == 1)
        #expect(Self.loads(ConsoleUpdate.apply(.storeChanged, to: &state)) == 0)
        #expect(Self.loads(ConsoleUpdate.apply(.storeChanged, to: &state)) == 0)
        let effects = ConsoleUpdate.apply(.workingSetLoaded(Self.changedCatalog(version: 2, at: 5_000)), to: &state)
        #expect(Self.loads(effects) == 1)
        #expect(state.browser.reloading && !state.browser.reloadQueued)
        let last = ConsoleUpdate.apply(.workingSetLoaded(Self.changedCatalog(version: 3, at: 6_000)), to: &state)
        #expect(Self.loads(last) == 0 && !state.browser.reloading)
    }

    @Test("a filtered list re-runs its filter on the new rows and keeps its customer; a failed reload keeps the rows")
    func filterKeptAndFailure() {
        var state = Self.loadedStamped()
        Fixtures.press([.character("/")] + Fixtures.typing("example") + [.enter], &state)
        let request = FilterRequest(
            generation: state.filters[.customers]!.generation, view: .customers, text: "example",
            customers: state.customers, devices: nil)
        _ = ConsoleUpdate.apply(.filterFinished(FilterRunner.run(request, store: FakeConsoleStore())), to: &state)
        Fixtures.press([.character("j")], &state)
        let selected = ConsoleUpdate.selectedRowID(.customers, state)
        _ = ConsoleUpdate.apply(.storeChanged, to: &state)
        let effects = ConsoleUpdate.apply(.workingSetLoaded(Self.changedCatalog(version: 2, at: 5_000)), to: &state)
        let rerun = effects.compactMap { effect -> FilterRequest? in
            if case .filter(let request) = effect { return request } else { return nil }
        }
        #expect(rerun.map(\.text) == ["example"])
        _ = ConsoleUpdate.apply(.filterFinished(FilterRunner.run(rerun[0], store: FakeConsoleStore())), to: &state)
        #expect(state.filters[.customers]?.text == "example")
        #expect(ConsoleUpdate.selectedRowID(.customers, state) == selected)

        _ = ConsoleUpdate.apply(.storeChanged, to: &state)
        _ = ConsoleUpdate.apply(.workingSetFailed("the store is busy"), to: &state)
        #expect(state.customersLoad == .ready && state.totalCount(.customers) == 6)
        #expect(!state.browser.reloading)
    }

    @Test("nothing is reloaded before the first load, and the device lists reload with the customers")
    func beforeLoadAndDevices() {
        var empty = ConsoleState(width: 80, height: 24, storePath: Fixtures.storePath, region: "eu")
        #expect(ConsoleUpdate.apply(.storeChanged, to: &empty).isEmpty)
        var state = Self.loadedStamped()
        Fixtures.press([.tab], &state)
        _ = ConsoleUpdate.apply(.devicesLoaded(DeviceCatalog(devices: Fixtures.devices)), to: &state)
        Fixtures.press([.character("j"), .character("j")], &state)
        let effects = ConsoleUpdate.apply(.storeChanged, to: &state)
        #expect(effects.contains { if case .loadDevices = $0 { return true } else { return false } })
        // A new device sorts before the selected one: the selection follows the device.
        let devices = [Fixtures.device(9, id: "00000000-new")] + Fixtures.devices
        _ = ConsoleUpdate.apply(.devicesLoaded(DeviceCatalog(devices: devices)), to: &state)
        #expect(state.selectedDevice?.deviceId == Fixtures.devices[2].deviceId)
    }
}
