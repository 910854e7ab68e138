/// Numbers and paths as the console writes them.
public enum Format {
    /// `1000000` → `1,000,000`.
    public static func count(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return value < 0 ? "-" + out : out
    }

    /// A path with the home folder as `~`.
    public static func path(_ path: String, home: String?) -> String {
        guard let home, !home.isEmpty, path.hasPrefix(home + "/") else { return path }
        return "~" + path.dropFirst(home.count)
    }

    /// The first `length` characters of an externalCode or deviceId, with `…` when cut.
    public static func short(_ identifier: String, _ length: Int) -> String {
        identifier.count > length ? String(identifier.prefix(length - 1)) + "…" : identifier
    }
}
