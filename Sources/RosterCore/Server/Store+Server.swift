import RosterModel

/// Facts about a store that the sync server reports.
extension Store {
    /// The store's random identifier as hex: the `applicationId` the platform's customer shape carries.
    public var applicationId: String { Hex.encode(header.storeID) }
}
