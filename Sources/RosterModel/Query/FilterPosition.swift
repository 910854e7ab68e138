/// Where a token starts in a query: 1-based line and column, in characters.
struct FilterPosition: Equatable, Hashable, Sendable {
    let line: Int
    let column: Int
}
