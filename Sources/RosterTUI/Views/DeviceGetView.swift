import RosterModel

/// What the SDK's deviceGet prints for a device, then its full record.
enum DeviceGetView {
    static func lines(_ pane: DeviceGetScreen) -> [StyledLine] {
        if let error = pane.error { return [StyledLine("deviceGet \(pane.request): \(error)", .error)] }
        guard let device = pane.device else { return [StyledLine("Looking up \(pane.request)…", .dim)] }
        var lines = [
            StyledLine("indigitall.Push.deviceGet() prints:", .dim),
            StyledLine(device.deviceGetJSON.rendered(), .accent),
        ]
        if !device.enabled {
            lines.append(StyledLine("(the SDK leaves `enabled` out for a disabled device; Roster shows false)", .dim))
        }
        lines += [StyledLine(), StyledLine("Full record:", .dim)]
        let full = device.fullJSON.rendered(pretty: true)
        lines += full.split(separator: "\n", omittingEmptySubsequences: false).map { StyledLine(String($0)) }
        return lines
    }
}
