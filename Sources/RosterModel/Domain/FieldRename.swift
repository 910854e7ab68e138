/// One rename that moved a field to another key (`roster field rename`), as the store remembers it for processes
/// that had the customers loaded before it (RosterCore's `Store.fieldRenames`): a console follows its columns, sorts,
/// filters and frequency table to the new name.
public struct FieldRename: Equatable, Sendable, Codable {
    /// Increases by one with each rename.
    public let number: Int
    /// The old key and the new one (lower-cased names).
    public let from: String
    public let to: String
    /// The new name as stored.
    public let name: String

    public init(number: Int, from: String, to: String, name: String) {
        (self.number, self.from, self.to, self.name) = (number, from, to, name)
    }
}
