import RosterModel

/// A file with more than one identity column (`customerId` and `externalCode`, say) uses them all: a row whose
/// columns name different customers is refused rather than imported under the first one.
///
/// Two values agree when they are the same CRM id, or when one is the externalCode this store derives from the
/// other (a platform export holds the code beside the CRM id).
extension RowPlanner {
    /// Why the identity columns of a row disagree, or nil when they agree (or only one is filled in).
    func identityDisagreement(in fields: [String]) -> RowRejection? {
        var values: [String] = []
        for column in map.identityColumns where column < fields.count {
            let value = CRMID.trim(fields[column])
            if !value.isEmpty { values.append(value) }
        }
        guard let first = values.first else { return nil }
        for other in values.dropFirst() where !agree(first, other) {
            return RowRejection(
                "its identity columns name different customers (\"\(TerminalText.escape(first))\" and "
                    + "\"\(TerminalText.escape(other))\"): customerId and externalCode must hold the same CRM id, "
                    + "or externalCode the code this store derives from it")
        }
        return nil
    }

    private func agree(_ first: String, _ second: String) -> Bool {
        if first == second { return true }
        guard let externalCodes else { return false }
        if second.utf8.count == 64, externalCodes.externalCode(for: first) == second.lowercased() { return true }
        if first.utf8.count == 64, externalCodes.externalCode(for: second) == first.lowercased() { return true }
        return false
    }
}
