#ifndef ROSTER_CSQLITECONFIG_H
#define ROSTER_CSQLITECONFIG_H

struct sqlite3;

/// Turns the enforcement of triggers on (1) or off (0) for one connection: `sqlite3_db_config` with
/// SQLITE_DBCONFIG_ENABLE_TRIGGER, which Swift cannot call itself (the function is variadic). Not a schema
/// change: other connections keep their triggers, and the connection's prepared statements are prepared
/// again on their next use. Returns SQLite's result code.
int roster_sqlite_enable_triggers(struct sqlite3 *db, int enabled);

#endif
