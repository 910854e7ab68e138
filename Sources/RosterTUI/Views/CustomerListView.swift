import RosterModel

/// What the customer lists show in their cells (the lists themselves are drawn by `ListTable`).
enum CustomerListView {
    /// A consent mark: the letter when the channel is there and consented, lower case when refused, `·` when absent.
    static func mark(_ letter: String, has: Bool, on: Bool) -> String {
        guard has else { return "·" }
        return on ? letter : letter.lowercased()
    }
}
