import RosterCore

/// The Devices and Push lists.
enum DeviceListView {
    static func columns(_ kind: ListKind) -> [TableColumn] {
        if kind == .push {
            return [
                TableColumn("externalCode", minimum: 12),
                TableColumn("deviceId", minimum: 12, weight: 3, maximum: 36, keeps: true),
                TableColumn("platform", minimum: 8, dropRank: 3), TableColumn("push", minimum: 4, dropRank: 2),
                TableColumn("pushToken", minimum: 9, weight: 2, maximum: 40, dropRank: 1),
            ]
        }
        return [
            TableColumn("deviceId", minimum: 12, weight: 3, maximum: 36, keeps: true),
            TableColumn("platform", minimum: 8, dropRank: 5), TableColumn("push", minimum: 4, dropRank: 4),
            TableColumn("locale", minimum: 6, weight: 1, maximum: 8, dropRank: 2),
            TableColumn("timeZone", minimum: 8, weight: 2, maximum: 20, dropRank: 3),
            TableColumn("customer", minimum: 12, dropRank: 6),
            TableColumn("system", minimum: 6, weight: 2, maximum: 24, dropRank: 1),
        ]
    }

    /// Draws the column titles and the visible devices of `kind` into `rect`.
    static func render(_ state: ConsoleState, _ kind: ListKind, into buffer: inout CellBuffer, rect: Rect) {
        guard let catalog = state.devices else { return }
        let table = Table(columns: columns(kind), width: rect.width - 2)
        buffer.fill(Rect(x: rect.x, y: rect.y, width: rect.width, height: 1), slot: .header)
        table.renderHeader(into: &buffer, x: rect.x + 1, y: rect.y, width: rect.width - 2)
        let rows = state.rows(kind)
        let position = state.position(kind)
        for line in 0..<max(0, rect.height - 1) {
            let index = position.top + line
            guard index < rows.count else { break }
            let device = catalog.devices[rows[index]]
            let enabled = device.enabled ? "on" : "off"
            let texts: [String]
            let slots: [Slot]
            if kind == .push {
                texts = [
                    Format.short(device.externalCode ?? "-", 12), device.deviceId, device.platform.rawValue, enabled,
                    device.pushToken ?? "-",
                ]
                slots = [.dim, .body, .body, device.enabled ? .body : .dim, .dim]
            } else {
                let system = [device.osName, device.osVersion, device.browserName].compactMap { $0 }.joined(
                    separator: " ")
                texts = [
                    device.deviceId, device.platform.rawValue, enabled, device.locale ?? "-", device.timeZone ?? "-",
                    device.externalCode.map { Format.short($0, 12) } ?? "anonymous", system.isEmpty ? "-" : system,
                ]
                slots = [.body, .body, device.enabled ? .body : .dim, .body, .body, .dim, .dim]
            }
            let y = rect.y + 1 + line
            let selected = index == position.selected
            buffer.fill(Rect(x: rect.x, y: y, width: rect.width, height: 1), slot: selected ? .selection : .body)
            table.renderRow(
                texts, slots: slots, selected: selected, into: &buffer, x: rect.x + 1, y: y, width: rect.width - 2)
        }
    }
}
