import CSQLiteConfig
import GRDB

extension Database {
    /// Turns the enforcement of triggers on or off for this connection only (not a schema change: other
    /// connections keep them). SQLite runs a trigger once per row it fires for, ~0.85 µs each even when its
    /// WHEN clause is false: writers of many rows turn them off and record what they would have themselves.
    ///
    /// Triggers are compiled into statements when they are prepared; changing the setting expires every prepared
    /// statement of the connection, which SQLite prepares again on its next step. So it must not be called while a
    /// statement of this connection is running (inside a cursor loop): that statement would be aborted.
    func setTriggers(enabled: Bool) throws {
        let code = roster_sqlite_enable_triggers(sqliteConnection, enabled ? 1 : 0)
        if code != 0 {
            throw DatabaseError(
                resultCode: ResultCode(rawValue: code),
                message: "could not turn triggers \(enabled ? "on" : "off") for this connection")
        }
    }

    /// Runs `body` with this connection's triggers off, then turns them on again, also when `body` throws.
    /// A connection left without triggers would silently stop recording changes (the console keeps its
    /// connection for a whole session), so failing to turn them back on stops the process.
    func withoutTriggers<Result>(_ body: () throws -> Result) throws -> Result {
        try setTriggers(enabled: false)
        let result = Swift.Result { try body() }
        do {
            try setTriggers(enabled: true)
        } catch {
            preconditionFailure("SQLite refused to turn triggers back on: \(error)")
        }
        return try result.get()
    }
}
