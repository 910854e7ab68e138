/// What a long-running reader (the console) polls to learn that another process changed the store.
///
/// It changes whenever the store's data does, whoever wrote it: the data version every write transaction bumps,
/// and the number of times another process's bulk import swapped the file in. Audit entries alone (a reveal,
/// an export) do not change it.
public struct ChangeStamp: Hashable, Sendable {
    public let dataVersion: Int64
    public let reopens: Int

    public init(dataVersion: Int64, reopens: Int) {
        self.dataVersion = dataVersion
        self.reopens = reopens
    }
}
