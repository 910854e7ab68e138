extension PhoneNumber {
    /// Whether a phone is written with its country (`+34 …`, `0034…`), so that a default country does not apply.
    package static func isWrittenInternationally(_ raw: String) -> Bool {
        let text = raw.drop { $0 == " " || $0 == "(" || $0 == "\u{00A0}" }
        return text.hasPrefix("+") || text.hasPrefix("00")
    }
}
