import GRDB

/// The store's tables, created by named, append-only migrations.
///
/// Personal values live only inside sealed blobs (`customer.record`, `device.record`);
/// identifiers are found through the `…Index` tables of blind indexes, kept `WITHOUT ROWID`
/// so that a bulk load can fill them in sorted order. `identityIndex` holds the blind index of
/// each customer's externalCode, which finds a customer by CRM id and by externalCode alike.
enum Schema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-store") { db in
            try db.execute(
                sql: """
                    CREATE TABLE meta(key TEXT PRIMARY KEY, value BLOB NOT NULL);
                    CREATE TABLE customer(
                        id INTEGER PRIMARY KEY,
                        keySalt BLOB NOT NULL,
                        record BLOB NOT NULL);
                    CREATE TABLE identityIndex(blindIndex BLOB PRIMARY KEY, customerId INTEGER NOT NULL) WITHOUT ROWID;
                    CREATE TABLE emailIndex(blindIndex BLOB PRIMARY KEY, customerId INTEGER NOT NULL) WITHOUT ROWID;
                    CREATE TABLE phoneIndex(blindIndex BLOB PRIMARY KEY, customerId INTEGER NOT NULL) WITHOUT ROWID;
                    CREATE TABLE device(
                        id INTEGER PRIMARY KEY,
                        customerId INTEGER,
                        record BLOB NOT NULL);
                    CREATE INDEX deviceByCustomer ON device(customerId) WHERE customerId IS NOT NULL;
                    CREATE TABLE deviceIdIndex(blindIndex BLOB PRIMARY KEY, deviceId INTEGER NOT NULL) WITHOUT ROWID;
                    CREATE TABLE field(key TEXT PRIMARY KEY, name TEXT NOT NULL, type TEXT NOT NULL);
                    """)
        }
        migrator.registerMigration("v2-working-set-snapshot") { db in
            try db.execute(
                sql: "CREATE TABLE snapshot(part INTEGER PRIMARY KEY, version INTEGER NOT NULL, data BLOB NOT NULL)")
        }
        migrator.registerMigration("v3-audit-and-suppression") { db in
            try db.execute(
                sql: """
                    CREATE TABLE audit(
                        id INTEGER PRIMARY KEY,
                        at INTEGER NOT NULL,
                        actor TEXT NOT NULL,
                        action TEXT NOT NULL,
                        subject TEXT NOT NULL,
                        detail TEXT NOT NULL,
                        mac BLOB NOT NULL);
                    CREATE TABLE suppression(blindIndex BLOB PRIMARY KEY, kind TEXT NOT NULL, at INTEGER NOT NULL)
                        WITHOUT ROWID;
                    """)
        }
        // The customers written since the working-set snapshot was saved, so that a load decrypts only those.
        // Nothing is recorded while there is no snapshot (a first import, an erasure): the next load rebuilds it.
        // A device counts for the customers it leaves and joins. Saving a snapshot empties the table.
        migrator.registerMigration("v4-working-set-changes") { db in
            try db.execute(
                sql: """
                    CREATE TABLE workingSetChange(customerId INTEGER PRIMARY KEY);
                    CREATE TRIGGER workingSetCustomerInsert AFTER INSERT ON customer
                    WHEN EXISTS (SELECT 1 FROM snapshot) BEGIN
                        INSERT OR IGNORE INTO workingSetChange(customerId) VALUES (NEW.id);
                    END;
                    CREATE TRIGGER workingSetCustomerUpdate AFTER UPDATE ON customer
                    WHEN EXISTS (SELECT 1 FROM snapshot) BEGIN
                        INSERT OR IGNORE INTO workingSetChange(customerId) VALUES (NEW.id);
                    END;
                    CREATE TRIGGER workingSetCustomerRenumber AFTER UPDATE OF id ON customer
                    WHEN OLD.id != NEW.id AND EXISTS (SELECT 1 FROM snapshot) BEGIN
                        INSERT OR IGNORE INTO workingSetChange(customerId) VALUES (OLD.id);
                    END;
                    CREATE TRIGGER workingSetCustomerDelete AFTER DELETE ON customer
                    WHEN EXISTS (SELECT 1 FROM snapshot) BEGIN
                        INSERT OR IGNORE INTO workingSetChange(customerId) VALUES (OLD.id);
                    END;
                    CREATE TRIGGER workingSetDeviceInsert AFTER INSERT ON device
                    WHEN NEW.customerId IS NOT NULL AND EXISTS (SELECT 1 FROM snapshot) BEGIN
                        INSERT OR IGNORE INTO workingSetChange(customerId) VALUES (NEW.customerId);
                    END;
                    CREATE TRIGGER workingSetDeviceUpdate AFTER UPDATE OF customerId ON device
                    WHEN OLD.customerId IS NOT NEW.customerId AND EXISTS (SELECT 1 FROM snapshot) BEGIN
                        INSERT OR IGNORE INTO workingSetChange(customerId)
                            SELECT OLD.customerId WHERE OLD.customerId IS NOT NULL;
                        INSERT OR IGNORE INTO workingSetChange(customerId)
                            SELECT NEW.customerId WHERE NEW.customerId IS NOT NULL;
                    END;
                    CREATE TRIGGER workingSetDeviceDelete AFTER DELETE ON device
                    WHEN OLD.customerId IS NOT NULL AND EXISTS (SELECT 1 FROM snapshot) BEGIN
                        INSERT OR IGNORE INTO workingSetChange(customerId) VALUES (OLD.customerId);
                    END;
                    """)
        }
        // Field types are authenticated (see Store+FieldTypes.swift): rows written before this get their MAC at
        // the first unlock after it, while `fieldMACs` is `pending`.
        migrator.registerMigration("v5-field-type-mac") { db in
            try db.execute(
                sql: """
                    ALTER TABLE field ADD COLUMN mac BLOB;
                    INSERT OR REPLACE INTO meta(key, value)
                        SELECT 'fieldMACs', CAST('pending' AS BLOB) WHERE EXISTS (SELECT 1 FROM field);
                    """)
        }
        // The sync server's keys: only a keyed hash of each secret is kept. A revoked key stays listed; its name can
        // be given to a new key.
        migrator.registerMigration("v6-server-keys") { db in
            try db.execute(
                sql: """
                    CREATE TABLE serverKey(
                        id INTEGER PRIMARY KEY,
                        name TEXT NOT NULL,
                        role TEXT NOT NULL,
                        hash BLOB NOT NULL UNIQUE,
                        createdAt INTEGER NOT NULL,
                        revokedAt INTEGER);
                    CREATE UNIQUE INDEX serverKeyActiveName ON serverKey(name) WHERE revokedAt IS NULL;
                    """)
        }
        // Per-store settings (`setting`) and saved segments (`segment`): names and values sealed, each row found by
        // the blind index of its name (Store+Settings.swift).
        migrator.registerMigration("v7-settings-and-segments") { db in
            try db.execute(
                sql: """
                    CREATE TABLE setting(blindIndex BLOB PRIMARY KEY, name BLOB NOT NULL, value BLOB NOT NULL)
                        WITHOUT ROWID;
                    CREATE TABLE segment(blindIndex BLOB PRIMARY KEY, name BLOB NOT NULL, value BLOB NOT NULL)
                        WITHOUT ROWID;
                    """)
        }
        return migrator
    }
}
