/// Writes filter-language text that reads back as exactly what it was made from: the conditions a frequency table
/// offers for each of its values.
public enum FilterText {
    /// The filter language's keywords, which a field name must be quoted to avoid.
    static let keywords: Set<String> = ["and", "or", "not", "has", "consent", "birthday", "today", "year", "month"]

    /// `value` as a double-quoted string: a backslash before each `"` and `\`. Whatever the value holds (spaces,
    /// keywords, operators, quotes, combining marks, right-to-left text), the lexer reads it back unchanged.
    public static func quoted(_ value: String) -> String {
        var result = "\""
        for scalar in value.unicodeScalars {
            if scalar == "\"" || scalar == "\\" { result.unicodeScalars.append("\\") }
            result.unicodeScalars.append(scalar)
        }
        result.unicodeScalars.append("\"")
        return result
    }

    /// A field name as a filter names it: bare when it is a plain word (letters, digits, `_`) and no keyword, else
    /// quoted.
    public static func fieldName(_ name: String) -> String {
        let plain =
            name.utf8.first.map { isLetter($0) } == true
            && name.utf8.allSatisfy { isLetter($0) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
            && !keywords.contains(name.lowercased())
        return plain ? name : quoted(name)
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte | 0x20) || byte == UInt8(ascii: "_")
    }

    /// Names that `FIELD = …` reads as the customer's identifiers rather than a field.
    static let identifierNames: Set<String> = ["email", "phone", "crmid", "externalcode"]
    /// Names that `has …` reads as channels (or identifiers) rather than a field.
    static let channelNames: Set<String> = ["email", "sms", "phone", "push", "crmid", "externalcode"]

    /// The condition selecting the customers whose field `name` has no value, or nil when the language cannot name
    /// that field there (a field called like an identifier or a channel).
    static func missing(field name: String, type: FieldType) -> String? {
        let key = name.lowercased()
        if identifierNames.contains(key) { return nil }
        if !channelNames.contains(key) { return "not has \(fieldName(name))" }
        // `has sms` means the channel: a text field of that name is still reachable as `sms = ""`.
        return type == .text ? "\(fieldName(name)) = \"\"" : nil
    }

    /// `FIELD = value` for a field, or nil when the language reads `FIELD` as an identifier.
    static func equals(field name: String, _ value: String) -> String? {
        guard !identifierNames.contains(name.lowercased()) else { return nil }
        return "\(fieldName(name)) = \(value)"
    }
}
