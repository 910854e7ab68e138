/// A day of the Gregorian calendar, without a time or a time zone.
public struct CalendarDate: Equatable, Hashable, Sendable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// The date, if it exists (`2027-02-29` does not).
    public init?(year: Int, month: Int, day: Int) {
        guard (0...9999).contains(year), (1...12).contains(month), day >= 1,
            day <= FieldType.daysIn(month: month, year: year)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses `YYYY-MM-DD`, the form date fields hold.
    public init?(_ text: String) {
        guard let (year, month, day) = FieldType.parseDate(text) else { return nil }
        self.init(year: year, month: month, day: day)
    }

    /// Whether the date's year has a 29 February.
    public var isInLeapYear: Bool { FieldType.daysIn(month: 2, year: year) == 29 }

    /// `YYYY-MM-DD`.
    public var description: String {
        func padded(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(padded(year, 4))-\(padded(month, 2))-\(padded(day, 2))"
    }

    /// The date as one integer in calendar order: year, month and day in bits 9..., 5...8 and 0...4, so that the
    /// month and day alone are `packed & monthDayMask`.
    var packed: Int32 { Int32(year << 9 | month << 5 | day) }

    static let monthDayMask: Int32 = 0x1FF

    static func monthDay(month: Int, day: Int) -> Int32 { Int32(month << 5 | day) }
}
