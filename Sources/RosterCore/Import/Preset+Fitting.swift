import RosterModel

extension Preset {
    /// The presets whose name and email (or record id) columns are in `header`, to suggest before an import: the
    /// one whose columns the file has the largest share of first.
    public static func fitting(header: [String]) -> [Preset] {
        let scored = allCases.compactMap { preset -> (Preset, Double)? in
            let entries = preset.mapping.entries
            func found(_ entry: ColumnMapping.Entry) -> Bool {
                entry.sources.contains { source in
                    source.headers.allSatisfy { ColumnMap.index(of: $0, in: header) != nil }
                }
            }
            func present(_ target: String) -> Bool { entries.first { $0.target == target }.map(found) ?? false }
            guard present("name") && (present("email") || present("customerId")) else { return nil }
            return (preset, Double(entries.count(where: found)) / Double(entries.count))
        }
        return scored.sorted { $0.1 > $1.1 }.map(\.0)
    }
}
