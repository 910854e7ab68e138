public import Foundation

/// What a filter needs besides the customers: the date `birthday = today` compares with, and the leap-day rule.
public struct FilterContext: Sendable {
    /// Today, in the store's time zone.
    public var today: CalendarDate
    public var leapDayRule: LeapDayRule
    /// The saved segments `@NAME` names (`Segment.context` reads the store's).
    public var segments = SavedSegments.none

    public init(today: CalendarDate, leapDayRule: LeapDayRule = .marchFirst) {
        self.today = today
        self.leapDayRule = leapDayRule
    }

    /// The context for the current day in `timeZone`: a birthday starts at midnight where the store is, not in UTC.
    public static func today(in timeZone: TimeZone, now: Date = Date(), leapDayRule: LeapDayRule = .marchFirst)
        -> FilterContext
    {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day], from: now)
        let today = CalendarDate(year: parts.year!, month: parts.month!, day: parts.day!)!
        return FilterContext(today: today, leapDayRule: leapDayRule)
    }

    /// The context for a fixed day written `YYYY-MM-DD` (for `--today` and tests).
    public static func fixed(_ yyyyMMdd: String, leapDayRule: LeapDayRule = .marchFirst) throws(InvalidDate)
        -> FilterContext
    {
        guard let today = CalendarDate(yyyyMMdd) else { throw InvalidDate(text: yyyyMMdd) }
        return FilterContext(today: today, leapDayRule: leapDayRule)
    }

    /// A day given as today that is not a real `YYYY-MM-DD` date.
    public struct InvalidDate: Error, Equatable, Sendable, CustomStringConvertible {
        /// The text as given.
        public let text: String

        public init(text: String) {
            self.text = text
        }

        public var description: String { "\"\(text)\" is not a date: write today's date as YYYY-MM-DD" }
    }
}
