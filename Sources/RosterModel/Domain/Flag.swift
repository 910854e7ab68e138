/// Reads yes/no cells the way spreadsheets write them.
enum Flag {
    static func parse(_ raw: String) -> Bool? {
        switch raw.trimmed.lowercased() {
        case "true", "yes", "y", "1", "on", "enabled", "opt-in", "optin", "si", "sí": return true
        case "false", "no", "n", "0", "off", "disabled", "opt-out", "optout": return false
        default: return nil
        }
    }
}

extension Bool {
    /// A yes/no cell read as `Flag` reads it; nil when it is neither. (`Flag` itself stays internal: the executable
    /// sees this package's names, and its `Flag` is swift-argument-parser's.)
    package init?(flag raw: String) {
        guard let value = Flag.parse(raw) else { return nil }
        self = value
    }
}
