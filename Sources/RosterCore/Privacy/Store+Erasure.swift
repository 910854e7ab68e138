import Foundation
import GRDB
import RosterModel

/// What an erasure removed.
public struct ErasureReport: Sendable, Equatable {
    public let externalCode: String
    public let devices: Int
    public let suppressed: Bool
    /// False when another process kept the WAL open: old pages stay in it until that process closes the store.
    public var walCleared = true
}

/// GDPR erasure (Art. 17): the customer, its identifiers, blind indexes, devices and field values.
extension Store {
    /// Erases a customer for good; with `suppress`, keeps only blind indexes so a later import is refused.
    ///
    /// The row's key salt is deleted, so the customer's data key is gone; `secure_delete` zeroes the
    /// freed pages and a WAL checkpoint (TRUNCATE) leaves no old page in the WAL. The working-set
    /// snapshot, which holds every customer, is replaced in the same transaction by one without this
    /// customer (the old one's key is zeroed with its manifest), so the next load decrypts no one.
    public func erase(_ id: String, suppress: Bool) throws -> ErasureReport {
        var report = try write { db -> ErasureReport in
            let customer = try self.customer(db, id)
            let deviceRows = try Int64.fetchAll(
                db, sql: "SELECT id FROM device WHERE customerId = ?", arguments: [customer.rowID])
            for rowID in deviceRows {
                let device = try loadDevice(db, rowID)
                try db.exec(
                    "DELETE FROM deviceIdIndex WHERE blindIndex = ?",
                    arguments: [keys.blindIndex.index(.deviceId, device.deviceId)])
                try db.exec("DELETE FROM device WHERE id = ?", arguments: [rowID])
            }
            if suppress {
                var entries: [(String, Data)] = [
                    ("identity", keys.blindIndex.identity(Hex.decode(customer.externalCode) ?? []))
                ]
                if let email = customer.email { entries.append(("email", keys.blindIndex.index(.email, email))) }
                if let phone = customer.phone { entries.append(("phone", keys.blindIndex.index(.phone, phone))) }
                for (kind, blindIndex) in entries {
                    try db.execute(
                        sql: "INSERT OR REPLACE INTO suppression(blindIndex, kind, at) VALUES (?, ?, ?)",
                        arguments: [blindIndex, kind, Store.now()])
                }
            }
            try deleteCustomer(db, customer)
            try updateWorkingSetSnapshot(db)
            let detail =
                "erased with \(deviceRows.count) device\(deviceRows.count == 1 ? "" : "s")"
                + (suppress ? "; identifiers suppressed" : "")
            try audit(db, .erase, subject: customer.externalCode, detail: detail)
            return ErasureReport(externalCode: customer.externalCode, devices: deviceRows.count, suppressed: suppress)
        }
        if suppress { hasSuppressions = true }
        // A reader in another process (an open console) blocks the checkpoint; SQLite says so, not an error.
        for attempt in 0..<5 {
            let busy = try db.writeWithoutTransaction { try Int.fetchOne($0, sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
            report.walCleared = busy == 0
            if report.walCleared { break }
            if attempt < 4 { Thread.sleep(forTimeInterval: 0.2) }
        }
        return report
    }

    /// Refuses an identifier of a customer erased with `--suppress`.
    func checkNotSuppressed(_ db: Database, _ blindIndex: Data, _ kind: BlindIndexKind) throws {
        guard hasSuppressions,
            try Bool.fetchOne(
                try db.cachedStatement(sql: "SELECT 1 FROM suppression WHERE blindIndex = ?"), arguments: [blindIndex])
                ?? false
        else { return }
        let what = kind == .identity ? "CRM id" : kind.rawValue
        throw RosterError.conflict(.suppressed(what: what))
    }
}
