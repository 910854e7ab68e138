import GRDB
import RosterModel

/// What a long-running reader (the console) polls to learn that another process changed the store.
extension Store {
    /// What `changeStamp()` returns (`RosterModel.ChangeStamp`), so the console can hold it without the store.
    public typealias ChangeStamp = RosterModel.ChangeStamp

    /// The store's change stamp: one indexed read. Call it inside `use`, so that a swapped file is reopened first.
    public func changeStamp() throws -> ChangeStamp {
        let version = try translatingStoreErrors(path: path) { try db.read { try dataVersion($0) } }
        return ChangeStamp(dataVersion: version, reopens: reopenCount)
    }
}
