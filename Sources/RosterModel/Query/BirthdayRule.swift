/// The birth month-days that count as a birthday on a given day.
struct BirthdayRule: Equatable, Sendable {
    /// Packed month-days (`CalendarDate.monthDay`) to match: today's, plus 29 February on its stand-in day.
    let monthDays: [Int32]

    init(today: CalendarDate, leapDayRule: LeapDayRule) {
        var monthDays = [CalendarDate.monthDay(month: today.month, day: today.day)]
        if !today.isInLeapYear {
            let isStandIn =
                switch leapDayRule {
                case .marchFirst: today.month == 3 && today.day == 1
                case .februaryTwentyEighth: today.month == 2 && today.day == 28
                }
            if isStandIn { monthDays.append(CalendarDate.monthDay(month: 2, day: 29)) }
        }
        self.monthDays = monthDays
    }
}
