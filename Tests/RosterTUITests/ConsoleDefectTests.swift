import RosterCore
import RosterModel
import Testing

@testable import RosterTUI

/// Quitting while a change is being written, the pace of live refresh, counts in the singular.
@Suite("quitting waits for writes; live refresh is paced; one is singular")
struct ConsoleDefectTests {
    static func command(_ line: String) -> [Key] { [.character(":")] + Fixtures.typing(line) + [.enter] }

    static func edits(_ effects: [ConsoleEffect]) -> Int {
        effects.filter { if case .editCustomer = $0 { return true } else { return false } }.count
    }

    static func quits(_ effects: [ConsoleEffect]) -> Bool {
        effects.contains { if case .quit = $0 { return true } else { return false } }
    }

    @Test("q during an edit waits for it to be written, then quits without starting the reload")
    func quitWaitsForEdit() throws {
        var state = Fixtures.loadedState()
        #expect(Self.edits(Fixtures.press(Self.command("set city Lyon"), &state)) == 1)
        #expect(state.writesInFlight == 1)
        let pressed = Fixtures.press([.character("q")], &state)
        #expect(!Self.quits(pressed) && !state.quitting, "q does not quit while the edit is being written")
        #expect(state.notice?.text.contains("quits when written") == true, "\(state.notice?.text ?? "")")
        // Keys still work meanwhile, and a second q does not quit either.
        #expect(!Self.quits(Fixtures.press([.character("j"), .character("q")], &state)))
        let detail = try FakeConsoleStore().customerDetail(rowID: 1)
        let finished = ConsoleUpdate.apply(.editFinished(rowID: 1, .success(detail)), to: &state)
        #expect(state.quitting && state.exitStatus == 0)
        #expect(finished.count == 1 && Self.quits(finished), "only the quit: no reload for a closing console")
        #expect(state.exitMessage == nil)
    }

    @Test("an edit that fails while q waits quits and says why on the shell; Ctrl-C quits at once and says so")
    func failedEditAndInterrupt() {
        var state = Fixtures.loadedState()
        Fixtures.press(Self.command("set city Lyon") + [.character("q")], &state)
        let failed = ConsoleUpdate.apply(
            .editFinished(rowID: 1, .failure(ConsoleFailure("the store is locked"))), to: &state)
        #expect(Self.quits(failed) && state.exitMessage == "the store is locked")

        var interrupted = Fixtures.loadedState()
        Fixtures.press(Self.command("set city Lyon"), &interrupted)
        let effects = Fixtures.press([.control("c")], &interrupted)
        #expect(Self.quits(effects) && interrupted.exitStatus == 130)
        #expect(interrupted.exitMessage?.contains("1 change was being written") == true)
    }

    @Test("q quits at once when every write has been reported, exports included")
    func quitAfterFinishedWrites() {
        var state = Fixtures.loadedState()
        Fixtures.press(Self.command("export /tmp/list.csv"), &state)
        #expect(state.writesInFlight == 1)
        _ = ConsoleUpdate.apply(
            .exportFinished(.success(ExportReport(path: "/tmp/list.csv", count: 1, format: "csv"))), to: &state)
        #expect(state.writesInFlight == 0)
        #expect(state.notice?.text.hasPrefix("exported 1 customer to") == true, "\(state.notice?.text ?? "")")
        #expect(Self.quits(Fixtures.press([.character("q")], &state)))
    }

    @Test("a store that changes at every poll reloads at most once a second, and the last change is not lost")
    func refreshPace() {
        var throttle = RefreshThrottle(interval: 1.0)
        // A poll every 250 ms for 5 s, each seeing a change.
        let polls = (0..<20).map { Double($0) * 0.25 }
        let reported = polls.filter { throttle.report(changed: true, now: $0) }
        #expect(reported == [0, 1, 2, 3, 4])
        // A change inside the second after a report is reported once the second is over, by a poll that saw none;
        // then nothing until the next change, which after a quiet spell is reported at once.
        var quiet = RefreshThrottle(interval: 1.0)
        let polls2: [(changed: Bool, now: Double)] = [
            (true, 10), (true, 10.25), (false, 10.5), (false, 11.0), (false, 12.0), (true, 20),
        ]
        var results: [Bool] = []
        for poll in polls2 { results.append(quiet.report(changed: poll.changed, now: poll.now)) }
        #expect(results == [true, false, false, true, false, true])
    }

    @Test("counts of one are singular")
    func singular() {
        #expect(Format.count(1, "customer") == "1 customer")
        #expect(Format.count(0, "customer") == "0 customers")
        #expect(Format.count(1_000, "row") == "1,000 rows")
        let progress = ImportProgress(rows: 1, bytesRead: 10, totalBytes: 100)
        #expect(progress.describe(overall: 0.1).contains("1 row read"))
    }
}

extension ConsoleDefectTests {
    @Test("an edit made during an import, which waits behind it, is written before the console quits after the import")
    func editBehindImport() throws {
        var state = Fixtures.loadedState()
        // An import running in the background, its screen closed.
        state.importRunning = true
        Fixtures.press(Self.command("set city Lyon") + [.character("q"), .character("y")], &state)
        #expect(state.quitAfterImport && state.writesInFlight == 1)
        let report = ImportReport(
            read: 1, created: 1, updated: 0, unchanged: 0, rejected: 0, duplicatesInFile: 0, rejects: [])
        let imported = ConsoleUpdate.apply(.importFinished(.success(report)), to: &state)
        #expect(!Self.quits(imported) && !state.quitting, "the edit queued behind the import is still to be written")
        let detail = try FakeConsoleStore().customerDetail(rowID: 1)
        #expect(Self.quits(ConsoleUpdate.apply(.editFinished(rowID: 1, .success(detail)), to: &state)))
        #expect(state.exitMessage?.contains("all of it committed") == true)
    }
}

extension ConsoleDefectTests {
    static func stamp(_ version: Int64) -> Store.ChangeStamp { Store.ChangeStamp(dataVersion: version, reopens: 0) }

    @Test("the console's own edit, then its reload, is not reported as another process's change")
    func ownEditNotAChange() {
        let watch = StoreWatch()
        watch.loaded(Self.stamp(1))
        // An edit that moved the store one version on, with nothing else written meanwhile.
        watch.advance(from: Self.stamp(1), to: Self.stamp(2))
        #expect(!watch.isChange(Self.stamp(2)))
        // A reload under way that read version 3: a poll finding 3 meanwhile asks for no other load.
        watch.loading(Self.stamp(3))
        #expect(!watch.isChange(Self.stamp(3)))
        #expect(watch.isChange(Self.stamp(4)), "a change after the load started is news")
        watch.loaded(Self.stamp(3))
        #expect(!watch.isChange(Self.stamp(4)), "already reported")
        // A failed load leaves nothing held back.
        watch.loading(Self.stamp(5))
        watch.loaded(nil)
        #expect(watch.isChange(Self.stamp(5)))
    }
}

extension ConsoleDefectTests {
    @Test("q right after a column change waits until the choice is remembered in the store")
    func quitAfterColumns() {
        var state = Fixtures.loadedState()
        let hidden = Fixtures.press([.character("-")], &state)
        #expect(hidden.contains { if case .saveColumns = $0 { return true } else { return false } })
        #expect(!Self.quits(Fixtures.press([.character("q")], &state)))
        #expect(Self.quits(ConsoleUpdate.apply(.columnsSaved, to: &state)))
    }
}
