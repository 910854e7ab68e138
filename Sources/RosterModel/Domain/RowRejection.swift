/// Why one row was not imported.
package struct RowRejection: Error, Sendable, Equatable {
    package let reason: String

    package init(_ reason: String) { self.reason = reason }
}
