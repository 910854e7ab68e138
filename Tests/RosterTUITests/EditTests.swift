import RosterCore
import RosterModel
import Testing

@testable import RosterTUI

@Suite("Rectification and consent from the console")
struct EditTests {
    @Test(":set, :unset and :consent parse, and bad usage says how to write them")
    func parsing() {
        #expect(ColonCommand.parse("consent sms off") == .success(.edit(.consent(.sms, false))))
        #expect(
            ColonCommand.parse("set city \"A Coruña\"") == .success(.edit(.setField(name: "city", value: "A Coruña"))))
        #expect(ColonCommand.parse("unset city") == .success(.edit(.unsetField(name: "city"))))
        guard case .failure(let failure) = ColonCommand.parse("consent fax on") else {
            Issue.record("expected a usage error")
            return
        }
        #expect(failure.message.contains("email|sms|push"))
    }

    @Test("an edit applies to the selected customer, updates its open detail and reloads the lists")
    func editFlow() {
        var state = Fixtures.loadedState()
        let rowID = state.customers!.workingSet.rowIDs[0]
        var effects = Fixtures.press([.character(":")] + Fixtures.typing("consent email off") + [.enter], &state)
        guard case .editCustomer(let target, let change) = effects.first else {
            Issue.record("expected an edit effect, got \(effects)")
            return
        }
        #expect(target == rowID)
        #expect(change == .consent(.email, false))

        let store = FakeConsoleStore()
        let detail = try? store.edit(rowID: rowID, change)
        #expect(detail?.customer.consent.email == false)
        (state, effects) = ConsoleUpdate.update(state, .editFinished(rowID: rowID, .success(detail!)))
        #expect(state.notice?.isError == false)
        #expect(effects.contains { if case .loadWorkingSet = $0 { return true } else { return false } })

        (state, effects) = ConsoleUpdate.update(state, .editFinished(rowID: rowID, .failure(ConsoleFailure("no"))))
        #expect(state.notice?.text == "no" && state.notice?.isError == true)
        #expect(effects.isEmpty)
    }
}
