import RosterCore

/// The Customers, Email and SMS lists: only the rows on screen are read from the working set.
enum CustomerListView {
    static func columns(_ kind: ListKind) -> [TableColumn] {
        let code = TableColumn("externalCode", minimum: 12)
        let name = TableColumn("name", minimum: 8, weight: 3, maximum: 40, keeps: true)
        switch kind {
        case .email:
            return [
                code, name, TableColumn("email", minimum: 16, weight: 4, maximum: 48),
                TableColumn("consent", minimum: 7, dropRank: 1),
            ]
        case .sms:
            return [
                code, name, TableColumn("phone", minimum: 16, weight: 1, maximum: 20),
                TableColumn("consent", minimum: 7, dropRank: 1),
            ]
        default:
            return [
                code, name, TableColumn("email", minimum: 12, weight: 3, maximum: 34, dropRank: 3),
                TableColumn("phone", minimum: 15, weight: 1, maximum: 16, dropRank: 2),
                TableColumn("dev", minimum: 3, alignment: .right, dropRank: 1),
                TableColumn("consent", minimum: 7, dropRank: 4),
            ]
        }
    }

    /// Draws the column titles and the visible rows of `kind` into `rect`.
    static func render(_ state: ConsoleState, _ kind: ListKind, into buffer: inout CellBuffer, rect: Rect) {
        guard let customers = state.customers else { return }
        let rows = state.rows(kind)
        let position = state.position(kind)
        let workingSet = customers.workingSet
        var lines: [(index: Int, texts: [String], slots: [Slot])] = []
        for line in 0..<max(0, rect.height - 1) {
            let index = position.top + line
            guard index < rows.count else { break }
            let row = rows[index]
            let revealed = state.revealedRowID == workingSet.rowIDs[row]
            let email = workingSet.emails[row].map { revealed ? $0 : Mask.email($0) } ?? "-"
            let phone = workingSet.phones[row].map { revealed ? $0 : Mask.phone($0) } ?? "-"
            let name = customers.name(row) ?? ""
            let code = Format.short(workingSet.externalCodes[row], 12)
            let consent = workingSet.consent[row]
            var texts: [String]
            var slots: [Slot]
            switch kind {
            case .email:
                texts = [code, name, email, consent.email ? "on" : "off"]
                slots = [.dim, .body, revealed ? .accent : .masked, consent.email ? .body : .dim]
            case .sms:
                texts = [code, name, phone, consent.sms ? "on" : "off"]
                slots = [.dim, .body, revealed ? .accent : .masked, consent.sms ? .body : .dim]
            default:
                let devices = Int(workingSet.deviceCounts[row])
                let marks = [
                    mark("E", has: workingSet.emails.isPresent(row), on: consent.email),
                    mark("S", has: workingSet.phones.isPresent(row), on: consent.sms),
                    mark("P", has: devices > 0, on: consent.push),
                ]
                texts = [code, name, email, phone, devices == 0 ? "-" : String(devices), marks.joined(separator: " ")]
                let maskedSlot: Slot = revealed ? .accent : .masked
                slots = [.dim, .body, maskedSlot, maskedSlot, .body, .body]
            }
            lines.append((index, texts, slots))
        }
        // Masked phones and other short values are never cut: their columns are as wide as what is on screen.
        var layout = columns(kind)
        for (column, spec) in layout.enumerated() where spec.title == "phone" {
            layout[column] = spec.fitting(lines.map { $0.texts[column] }, limit: 24)
        }
        let table = Table(columns: layout, width: rect.width - 2)
        buffer.fill(Rect(x: rect.x, y: rect.y, width: rect.width, height: 1), slot: .header)
        table.renderHeader(into: &buffer, x: rect.x + 1, y: rect.y, width: rect.width - 2)
        for (line, row) in lines.enumerated() {
            let y = rect.y + 1 + line
            let selected = row.index == position.selected
            buffer.fill(Rect(x: rect.x, y: y, width: rect.width, height: 1), slot: selected ? .selection : .body)
            table.renderRow(
                row.texts, slots: row.slots, selected: selected, into: &buffer, x: rect.x + 1, y: y,
                width: rect.width - 2)
        }
    }

    /// A consent mark: the letter when the channel is there and consented, lower case when refused, `·` when absent.
    static func mark(_ letter: String, has: Bool, on: Bool) -> String {
        guard has else { return "·" }
        return on ? letter : letter.lowercased()
    }
}
