import RosterModel

/// How lists show emails and phones until the operator reveals them: `a***@example.com`, `+34 6** *** *33`.
public enum Mask {
    /// The first character of the local part, `***`, and the domain: `a***@example.com`.
    public static func email(_ email: String) -> String {
        guard let at = email.lastIndex(of: "@") else { return String(email.prefix(1)) + "***" }
        return String(email[..<at].prefix(1)) + "***" + String(email[at...])
    }

    /// The country code, then the national number in groups of three with all but its first and last two
    /// digits hidden: `+34600112233` → `+34 6** *** *33`.
    public static func phone(_ phone: String) -> String {
        let code: String
        let national: String
        if let parsed = try? PhoneNumber.parseInternational(phone) {
            code = parsed.countryCode
            national = parsed.nationalNumber
        } else {
            let digits = phone.filter(\.isNumber)
            code = String(digits.prefix(2))
            national = String(digits.dropFirst(2))
        }
        let characters = Array(national)
        var masked = ""
        for (index, digit) in characters.enumerated() {
            if index > 0 && index % 3 == 0 && characters.count - index > 1 { masked.append(" ") }
            masked.append(index == 0 || index >= characters.count - 2 ? digit : "*")
        }
        return "+" + code + " " + masked
    }
}
