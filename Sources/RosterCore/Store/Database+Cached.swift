import GRDB

extension Database {
    /// Executes one statement through the connection's statement cache: the hot paths of imports
    /// and merges run the same few statements millions of times, and compiling each costs more than running it.
    func exec(_ sql: String, arguments: StatementArguments = []) throws {
        try cachedStatement(sql: sql).execute(arguments: arguments)
    }
}
