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

    /// `YYYY-MM-DD`. Written digit by digit: a frequency table of every birth day formats tens of thousands of dates.
    public var description: String {
        // The year is 0...9999, the month and day two digits at most (the initializer checks).
        String(unsafeUninitializedCapacity: 10) { text in
            func put(_ value: Int, width: Int, at start: Int) {
                var value = value
                for place in (0..<width).reversed() {
                    text[start + place] = UInt8(ascii: "0") + UInt8(value % 10)
                    value /= 10
                }
            }
            put(year, width: 4, at: 0)
            text[4] = UInt8(ascii: "-")
            put(month, width: 2, at: 5)
            text[7] = UInt8(ascii: "-")
            put(day, width: 2, at: 8)
            return 10
        }
    }

    /// The date as one integer in calendar order: year, month and day in bits 9..., 5...8 and 0...4, so that the
    /// month and day alone are `packed & monthDayMask`.
    var packed: Int32 { Int32(year << 9 | month << 5 | day) }

    static let monthDayMask: Int32 = 0x1FF

    static func monthDay(month: Int, day: Int) -> Int32 { Int32(month << 5 | day) }
}
