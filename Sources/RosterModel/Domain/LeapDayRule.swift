/// The day a 29 February birthday is celebrated in a year without one.
public enum LeapDayRule: String, CaseIterable, Sendable {
    /// 1 March, the day after 28 February (the default).
    case marchFirst
    /// 28 February, still in the birth month.
    case februaryTwentyEighth
}
