/// Why one row was not imported.
struct RowRejection: Error, Sendable, Equatable {
    let reason: String

    init(_ reason: String) { self.reason = reason }
}
