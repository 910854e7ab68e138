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
