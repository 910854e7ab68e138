import RosterModel

extension Importer {
    /// The mapping this import uses and its first `limit` rows as they would be stored; reads the file only.
    public func preview(rows limit: Int = 5) throws -> ImportPreview {
        guard options.kind != .jsonl else {
            return ImportPreview(columns: [], unused: [], rows: [], formats: [])
        }
        try openInput()
        let layout = try layout()
        let reader = try openReader()
        var planner = layout.planner(kind: options.kind, storeTypes: store.fieldTypes)
        var rows: [ImportPreview.Row] = []
        while rows.count < limit, let result = try reader.next() {
            switch result {
            case .failure(let error):
                rows.append(.init(line: error.line, values: [], rejection: error.reason))
            case .success(let record):
                planner.learnTypes(from: record.fields)
                switch planner.plan(record.fields, line: record.line) {
                case .failure(let rejection):
                    rows.append(.init(line: record.line, values: [], rejection: rejection.reason))
                case .success(let plan):
                    rows.append(.init(line: record.line, values: Self.values(of: plan), rejection: nil))
                }
            }
        }
        let map = layout.map
        var columns: [ImportPreview.Column] = []
        var unused: [String] = []
        for (index, role) in map.roles.enumerated() {
            if role == .ignored {
                unused.append(map.sources[index])
                continue
            }
            var type: FieldType?
            if case .field(let name) = role { type = planner.fieldTypes[name.trimmed.lowercased()]?.type }
            columns.append(.init(target: role.targetName, source: map.sources[index], type: type))
        }
        return ImportPreview(
            columns: columns, unused: unused, rows: rows, formats: layout.formats,
            headers: Array(map.sources.prefix(map.fileColumnCount)))
    }

    /// The file's header as written, for a mapping step to show when the preview was refused (reads the header
    /// only).
    public func header() throws -> [String] {
        guard options.kind != .jsonl else { return [] }
        try openInput()
        return try openReader().header
    }

    private static func values(of plan: RowPlan) -> [(name: String, value: String)] {
        var values: [(name: String, value: String)] = []
        if let identity = plan.identity { values.append(("customerId", identity)) }
        if let email = plan.email { values.append(("email", email)) }
        if let phone = plan.phone { values.append(("phone", phone)) }
        for (channel, enabled) in plan.consent { values.append(("\(channel.rawValue)Consent", enabled ? "on" : "off")) }
        if let device = plan.device { values.append(("deviceId", device.deviceId)) }
        for field in plan.fields { values.append((field.name, field.value)) }
        return values
    }
}
