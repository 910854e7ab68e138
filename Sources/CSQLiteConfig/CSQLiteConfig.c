#include "CSQLiteConfig.h"

#include <sqlite3.h>

int roster_sqlite_enable_triggers(struct sqlite3 *db, int enabled) {
    int now = -1;
    int rc = sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_TRIGGER, enabled, &now);
    if (rc == SQLITE_OK && now != (enabled != 0)) return SQLITE_ERROR;
    return rc;
}
