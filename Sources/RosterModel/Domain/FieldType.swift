import Foundation

/// The type of a customer field: set when the field is first written (an import types it from a sample of its
/// column), changed only by `roster field retype`.
public enum FieldType: String, CaseIterable, Codable, Sendable {
    case text, date, number, boolean

    /// The narrowest type a value reads as: a `YYYY-MM-DD` date, a number, `true`/`false`, else text.
    public static func infer(_ value: String) -> FieldType {
        if FieldType.date.accepts(value) { return .date }
        if FieldType.boolean.accepts(value) { return .boolean }
        if FieldType.number.accepts(value), !hasLeadingZero(value) { return .number }
        return .text
    }

    /// Whether `value` (already trimmed) is valid for this type.
    public func accepts(_ value: String) -> Bool {
        switch self {
        case .text: return true
        case .boolean: return ["true", "false"].contains(value.lowercased())
        case .number: return FieldType.isNumber(value)
        case .date: return FieldType.isDate(value)
        }
    }

    /// A phrase for error messages: "a date (YYYY-MM-DD)".
    public var phrase: String {
        switch self {
        case .text: return "text"
        case .date: return "a date (YYYY-MM-DD)"
        case .number: return "a number"
        case .boolean: return "a boolean (true or false)"
        }
    }

    // Identifiers such as postcodes ("01234") look numeric but must keep their zeros: keep them text.
    private static func hasLeadingZero(_ value: String) -> Bool {
        let digits = value.utf8.drop(while: { $0 == UInt8(ascii: "-") })
        guard digits.count > 1, digits.first == UInt8(ascii: "0") else { return false }
        return digits.dropFirst().first != UInt8(ascii: ".")
    }

    private static func isNumber(_ value: String) -> Bool {
        var sawDigit = false
        var sawDot = false
        for (offset, byte) in value.utf8.enumerated() {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): sawDigit = true
            case UInt8(ascii: "-") where offset == 0: continue
            case UInt8(ascii: ".") where !sawDot: sawDot = true
            default: return false
            }
        }
        return sawDigit && value.utf8.last != UInt8(ascii: ".")
    }

    /// Parses `YYYY-MM-DD` into (year, month, day) if it is a real calendar date.
    public static func parseDate(_ value: String) -> (year: Int, month: Int, day: Int)? {
        guard value.utf8.count == 10 else { return nil }
        return value.withUTF8Bytes { parseDate($0) }  // no array per value (an import checks every date cell)
    }

    private static func parseDate(_ bytes: UnsafeBufferPointer<UInt8>) -> (year: Int, month: Int, day: Int)? {
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var result = 0
            for index in range {
                let byte = bytes[index]
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                result = result * 10 + Int(byte - UInt8(ascii: "0"))
            }
            return result
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
            (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year)
        else { return nil }
        return (year, month, day)
    }

    package static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// A date field holds `YYYY-MM-DD`, or `--MM-DD` for a birthday without a year.
    private static func isDate(_ value: String) -> Bool {
        if parseDate(value) != nil { return true }
        guard value.utf8.count == 7, value.hasPrefix("--"),
            case .fixed(nil, let month, let day, _)? = DateText.read(value)
        else { return false }
        return (1...12).contains(month) && day >= 1 && day <= daysIn(month: month, year: 2000)
    }
}
