import CSQLiteConfig
import GRDB

extension Database {
    /// Turns the enforcement of triggers on or off for this connection only (not a schema change: other
    /// connections keep them). SQLite runs a trigger once per row it fires for, ~0.85 µs each even when its
    /// WHEN clause is false: writers of many rows turn them off and record what they would have themselves.
    func setTriggers(enabled: Bool) throws {
        let code = roster_sqlite_enable_triggers(sqliteConnection, enabled ? 1 : 0)
        if code != 0 { throw RawQuery.error(code, self) }
    }

    /// Runs `body` with this connection's triggers off, then turns them on again, also when `body` throws.
    func withoutTriggers<Result>(_ body: () throws -> Result) throws -> Result {
        try setTriggers(enabled: false)
        let result = Swift.Result { try body() }
        try setTriggers(enabled: true)
        return try result.get()
    }
}
