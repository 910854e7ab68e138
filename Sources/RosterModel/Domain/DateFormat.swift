/// Which of the two numbers written before the year (or alone, in a month-day) is the day.
public enum DateOrder: String, CaseIterable, Codable, Sendable {
    /// `06/12/1990` is 6 December (most of Europe, Latin America).
    case dmy
    /// `06/12/1990` is 12 June (the United States, Mailchimp's birthdays, Outlook in US English).
    case mdy
}

/// One date cell as written, before the column's day/month order is applied.
///
/// Date fields hold `YYYY-MM-DD`, or `--MM-DD` for a birthday without a year (vCard's form, as Google Contacts
/// exports it): month and day are all `birthday = today` needs, and no year is made up.
package enum DateText: Equatable, Sendable {
    /// A form whose order is fixed: `YYYY-MM-DD` (a time after it is dropped), `YYYY/MM/DD`, `--MM-DD`.
    case fixed(year: Int?, month: Int, day: Int, form: DateForm)
    /// Two numbers and maybe a year: `06/12/1990`, `6.12.1990`, `06-12-1990`, `12/06` (no year).
    case ordered(first: Int, second: Int, year: Int?, separator: Character)
    /// An integer: a day count from Excel's epoch (1899-12-30), read as a date only in a date column.
    case serial(Int)
    /// A date written with a two-digit year, which cannot be read without guessing the century.
    case twoDigitYear

    /// Reads a trimmed cell; nil when it is not written like a date at all.
    package static func read(_ value: String) -> DateText? {
        let bytes = Array(value.utf8)
        guard !bytes.isEmpty else { return nil }
        if bytes.allSatisfy(isDigit) {
            guard bytes.count <= 7, let number = Int(value) else { return nil }
            return .serial(number)
        }
        if bytes.count == 7, bytes[0] == dash, bytes[1] == dash, bytes[4] == dash,
            let month = number(bytes[2..<4]), let day = number(bytes[5..<7])
        {
            return .fixed(year: nil, month: month, day: day, form: .monthDayVCard)
        }
        // ISO with a time or zone after it (`1990-12-06T00:00:00Z`, `1990-12-06 10:00`, Salesforce's `1990-12-06Z`).
        var text = bytes[...]
        if let cut = text.firstIndex(where: {
            $0 == UInt8(ascii: "T") || $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "Z")
        }),
            cut >= 8
        {
            text = text[..<cut]
        }
        let parts = split(text)
        guard let parts else { return nil }
        let (numbers, separator, widths) = parts
        switch numbers.count {
        case 3:
            if widths[0] == 4 {
                guard widths[1] <= 2, widths[2] <= 2, separator == "-" || separator == "/" || separator == "." else {
                    return nil
                }
                return .fixed(
                    year: numbers[0], month: numbers[1], day: numbers[2], form: separator == "-" ? .iso : .yearFirst)
            }
            guard widths[0] <= 2, widths[1] <= 2 else { return nil }
            if widths[2] == 2 { return .twoDigitYear }
            guard widths[2] == 4 else { return nil }
            return .ordered(first: numbers[0], second: numbers[1], year: numbers[2], separator: separator)
        case 2:
            // A month-day without a year (Mailchimp's `12/06`); `-` would read as a range, `.` as a decimal.
            guard separator == "/", widths[0] <= 2, widths[1] <= 2 else { return nil }
            return .ordered(first: numbers[0], second: numbers[1], year: nil, separator: separator)
        default:
            return nil
        }
    }

    /// The order this cell proves, when one of its two numbers can only be a day.
    package var orderHint: DateOrder? {
        guard case .ordered(let first, let second, _, _) = self else { return nil }
        if first > 12 && second >= 1 && second <= 12 { return .dmy }
        if second > 12 && first >= 1 && first <= 12 { return .mdy }
        return nil
    }

    /// Whether the cell reads the same either way round (`05/05/1990`) or has a fixed order.
    package var needsOrder: Bool {
        guard case .ordered(let first, let second, _, _) = self else { return false }
        return orderHint == nil && first != second && first <= 12 && second <= 12
    }

    /// The stored form (`YYYY-MM-DD`, or `--MM-DD` without a year), or why the cell is not a date.
    func stored(order: DateOrder?, serials: Bool) -> Result<String, DateProblem> {
        switch self {
        case .twoDigitYear:
            return .failure(.twoDigitYear)
        case .serial(let number):
            guard serials else { return .failure(.notADate) }
            // Excel counts 1900-02-29, which did not exist: from serial 61 on, day n is n days after 1899-12-30.
            guard number >= 61, number <= 2_958_465 else { return .failure(.notADate) }
            let (year, month, day) = DateText.civil(fromDays: number - 25_569)
            return DateText.format(year: year, month: month, day: day)
        case .fixed(let year, let month, let day, _):
            return DateText.format(year: year, month: month, day: day)
        case .ordered(let first, let second, let year, _):
            // The column's order holds for every value (`25/12/1990` is no date in an MM/DD column); a column
            // without one reads a value whose own parts decide.
            let resolved = order ?? orderHint ?? (first == second ? .dmy : nil)
            guard let resolved else { return .failure(.needsOrder) }
            let (day, month) = resolved == .dmy ? (first, second) : (second, first)
            return DateText.format(year: year, month: month, day: day)
        }
    }

    private static func format(year: Int?, month: Int, day: Int) -> Result<String, DateProblem> {
        // A month-day is checked against a leap year: 29 February is a birthday.
        guard (1...12).contains(month), day >= 1, day <= FieldType.daysIn(month: month, year: year ?? 2000) else {
            return .failure(.notADate)
        }
        func padded(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        guard let year else { return .success("--\(padded(month, 2))-\(padded(day, 2))") }
        guard (1...9999).contains(year) else { return .failure(.notADate) }
        return .success("\(padded(year, 4))-\(padded(month, 2))-\(padded(day, 2))")
    }

    /// Year, month and day of a count of days since 1970-01-01 (Howard Hinnant's `civil_from_days`).
    static func civil(fromDays days: Int) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    private static let dash = UInt8(ascii: "-")
    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    private static func number(_ bytes: ArraySlice<UInt8>) -> Int? {
        guard !bytes.isEmpty, bytes.allSatisfy(isDigit) else { return nil }
        return bytes.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
    }

    /// Digit groups joined by one separator (`/`, `.` or `-`), used the same way throughout.
    private static func split(_ bytes: ArraySlice<UInt8>) -> ([Int], Character, [Int])? {
        var numbers: [Int] = []
        var widths: [Int] = []
        var separator: UInt8?
        var current = 0
        var width = 0
        for byte in bytes {
            if isDigit(byte) {
                current = current * 10 + Int(byte - UInt8(ascii: "0"))
                width += 1
                guard width <= 4 else { return nil }
            } else if byte == UInt8(ascii: "/") || byte == UInt8(ascii: ".") || byte == dash {
                guard width > 0, separator == nil || separator == byte else { return nil }
                separator = byte
                numbers.append(current)
                widths.append(width)
                current = 0
                width = 0
            } else {
                return nil
            }
        }
        guard width > 0, let separator else { return nil }
        numbers.append(current)
        widths.append(width)
        return (numbers, Character(UnicodeScalar(separator)), widths)
    }
}

/// The written forms whose order never needs deciding.
package enum DateForm: String, Sendable {
    case iso = "YYYY-MM-DD"
    case yearFirst = "YYYY/MM/DD"
    case monthDayVCard = "--MM-DD"
}

/// Why a cell of a date column is not stored.
enum DateProblem: Error, Equatable, Sendable {
    case notADate
    case twoDigitYear
    case needsOrder
}

/// How one date column writes its dates: the forms its values use and the day/month order they need.
public struct DateColumnFormat: Sendable, Equatable {
    /// The order the column's values decided, or the one given; nil when no value needed one.
    public var order: DateOrder?
    /// Whether the order came from the values (false: given with the import).
    public var orderFromValues = false
    /// The forms seen, as the summary names them (`DD/MM/YYYY`, `YYYY-MM-DD`, `MM/DD`, `Excel serial`).
    public var forms: [String] = []
    /// Whether whole numbers are read as Excel serial dates.
    var serials = true

    public init(order: DateOrder? = nil, serials: Bool = true) {
        self.order = order
        self.serials = serials
    }

    /// The forms joined for a summary line: `DD/MM/YYYY and YYYY-MM-DD`.
    public var description: String { forms.isEmpty ? "no values" : forms.joined(separator: " and ") }

    package mutating func note(_ text: DateText) {
        let form: String
        switch text {
        case .fixed(_, _, _, let fixed): form = fixed.rawValue
        case .serial: form = "Excel serial"
        case .twoDigitYear: return
        case .ordered(_, _, let year, let separator):
            let pair = order == .mdy ? "MM\(separator)DD" : order == .dmy ? "DD\(separator)MM" : "??\(separator)??"
            form = year == nil ? pair : pair + "\(separator)YYYY"
        }
        if !forms.contains(form) { forms.append(form) }
    }

    /// The stored form of a cell, or the reason it is refused (worded for a row's rejection).
    func stored(_ value: String, field: String) -> Result<String, RowRejection> {
        guard let text = DateText.read(value) else {
            return .failure(RowRejection("\"\(value)\" is not a date, the type of field \(field)"))
        }
        switch text.stored(order: order, serials: serials) {
        case .success(let stored): return .success(stored)
        case .failure(.twoDigitYear):
            return .failure(
                RowRejection(
                    "\"\(value)\" has a two-digit year, which could be 19xx or 20xx: write the year in full (field \(field))"
                ))
        case .failure(.needsOrder):
            return .failure(RowRejection("\"\(value)\" could be day/month or month/day (field \(field))"))
        case .failure(.notADate):
            return .failure(RowRejection("\"\(value)\" is not a date, the type of field \(field)"))
        }
    }
}
