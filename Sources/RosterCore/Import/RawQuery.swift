import GRDB
import GRDBSQLite

/// Look-ups by blind index through SQLite's C API, for the import's loops over a batch: the 16-byte index is
/// bound in place and the row read with `sqlite3_column_*` (GRDB's arguments and rows boxed and copied each
/// value; see `RawInsert`).
enum RawQuery {
    /// SQLite's error for a result code, with the connection's message.
    static func error(_ code: Int32, _ db: Database) -> DatabaseError {
        DatabaseError(
            resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
    }

    /// Runs `statement`, whose one parameter is a blind index, for `words`; returns its first row as `read` reads
    /// it, or nil when there is none.
    static func firstRow<Value>(
        _ statement: Statement, blindIndex words: BlindIndexer.Words, _ db: Database, _ read: (OpaquePointer) -> Value
    ) throws -> Value? {
        let handle = statement.sqliteStatement
        var blob = (words.high.bigEndian, words.low.bigEndian)
        return try withUnsafeBytes(of: &blob) { raw in
            defer {
                sqlite3_reset(handle)
                sqlite3_clear_bindings(handle)  // the blob was bound in place: no pointer outlives it
            }
            let bound = sqlite3_bind_blob(handle, 1, raw.baseAddress, 16, nil)
            guard bound == SQLITE_OK else { throw error(bound, db) }
            switch sqlite3_step(handle) {
            case SQLITE_ROW: return read(handle)
            case SQLITE_DONE: return nil
            case let code: throw error(code, db)
            }
        }
    }
}
