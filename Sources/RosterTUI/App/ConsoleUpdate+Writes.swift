/// Changes on their way to the store: `q` waits for them, so quitting never loses an edit the operator saw
/// accepted (the process would end while the worker writes, or before it starts).
extension ConsoleUpdate {
    /// Counts the writes `effects` start and the one `event` reports finished; quits when the last one the
    /// console was waiting for has finished.
    static func trackWrites(_ event: ConsoleEvent, _ effects: [ConsoleEffect], _ state: inout ConsoleState)
        -> [ConsoleEffect]
    {
        state.writesInFlight += effects.count(where: \.isWrite)
        guard event.finishesWrite else { return effects }
        state.writesInFlight = max(0, state.writesInFlight - 1)
        guard state.quitAfterWrites, state.writesInFlight == 0, !state.quitting else { return effects }
        state.quitting = true
        // What went wrong is said on the shell, as the notice would have said it.
        if let notice = state.notice, notice.isError {
            state.exitMessage = state.exitMessage.map { $0 + "; " + notice.text } ?? notice.text
        }
        // The reload an edit asks for is of no use to a console that is closing.
        return [.quit]
    }

    /// Quits now, or once the changes being written are (an edit made during an import waits behind it).
    static func quitUnlessWriting(_ state: inout ConsoleState) -> [ConsoleEffect] {
        guard state.writesInFlight == 0 else { return quitAfterWrites(&state) }
        state.quitting = true
        return [.quit]
    }

    /// `q` while changes are being written: quit once they are.
    static func quitAfterWrites(_ state: inout ConsoleState) -> [ConsoleEffect] {
        state.quitAfterWrites = true
        let what = Format.count(state.writesInFlight, "change")
        state.notice = .init(text: "writing \(what); the console quits when written (Ctrl-C: now)", isError: false)
        return []
    }

    /// What Ctrl-C while changes are being written says on the shell.
    static func interruptedWriteMessage(_ state: ConsoleState) -> String {
        "interrupted while \(Format.count(state.writesInFlight, "change")) "
            + "\(state.writesInFlight == 1 ? "was" : "were") being written: each is either all in the store or not at "
            + "all; check before making it again"
    }
}

extension ConsoleEffect {
    /// Whether this writes to the store or a file, with an event that says when it is done.
    var isWrite: Bool {
        switch self {
        case .editCustomer, .applyFieldChange, .saveSegment, .deleteSegment, .export, .saveColumns: return true
        default: return false
        }
    }
}

extension ConsoleEvent {
    /// Whether this reports a write (`ConsoleEffect.isWrite`) done, or failed.
    var finishesWrite: Bool {
        switch self {
        case .editFinished, .fieldChanged, .segmentSaved, .segmentDeleted, .exportFinished, .columnsSaved: return true
        default: return false
        }
    }
}
