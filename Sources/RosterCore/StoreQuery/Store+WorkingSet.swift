import Dispatch
import Foundation
import GRDB
import RosterConcurrency
import RosterModel

/// Building the decrypted working set: from the encrypted snapshot, patched with the customers written since it was
/// saved, or by decrypting every customer when there is no usable snapshot or too much changed.
extension Store {
    /// Above this share of the snapshot's customers changed, every customer is decrypted again (a scan reads the
    /// table in order, several times faster per customer than fetching changed rows one by one).
    static let rescanFraction = 0.10
    /// Up to this many changes are always patched in, whatever the size of the store.
    static let patchAlways = 1000
    /// Above this share, a patched working set is saved as the new snapshot (which empties the change table).
    static let resaveFraction = 0.01

    /// How the last `loadWorkingSet` got its working set (for tests and measurements).
    public enum WorkingSetSource: Sendable, Equatable {
        /// The snapshot was current.
        case snapshot
        /// The snapshot, with this many changed customers decrypted and patched in.
        case patched(changes: Int)
        /// Every customer decrypted.
        case scan
    }

    /// The working set of all customers; `progress` goes from 0 to 1.
    public func loadWorkingSet(progress: (@Sendable (Double) -> Void)? = nil) throws -> WorkingSet {
        try loadWorkingSetReporting(progress: progress).set
    }

    /// Whether `changes` changed customers in a snapshot of `count` are better found by decrypting every customer.
    static func shouldRescan(changes: Int, of count: Int) -> Bool {
        changes > patchAlways && Double(changes) > rescanFraction * Double(count)
    }

    /// Brings the working-set snapshot up to date and saves it: only the customers changed since it was saved are
    /// decrypted (every customer when there is none or more than a tenth changed). For commands that change many
    /// customers, such as an import, so that the next query or console starts from a current snapshot.
    @discardableResult
    public func refreshWorkingSetSnapshot() throws -> WorkingSetSource {
        try loadWorkingSetReporting(saveUnlessCurrent: true).source
    }

    /// Inside a write transaction (an erasure): patches the snapshot, if there is one, with the changes recorded so
    /// far in this transaction and saves it in place, so that the old snapshot's pages are freed (and zeroed, with
    /// `secure_delete`) in the same commit. The data version the caller's write will bump leaves the new snapshot
    /// one version behind with an empty change table, which loads as current.
    func updateWorkingSetSnapshot(_ db: Database) throws {
        guard let manifest = try WorkingSetSnapshot.manifest(db, keys: keys) else { return }
        let layout = try WorkingSetLayout.current(db)
        let changed = try Int64.fetchAll(db, sql: "SELECT customerId FROM workingSetChange ORDER BY 1")
        let set: WorkingSet
        if !Store.shouldRescan(changes: changed.count, of: manifest.count),
            var snapshot = try WorkingSetSnapshot.load(manifest, db, keys: keys)
        {
            set = try patch(&snapshot, changed: changed, layout: layout, db)
        } else {
            set = try scan(db, layout: layout, progress: nil)
        }
        if set.count == 0 {
            try discardWorkingSetSnapshot(db)
        } else {
            try WorkingSetSnapshot.save(set, version: try dataVersion(db), keys: keys, db)
        }
    }

    /// The working set and how it was made.
    public func loadWorkingSetReporting(progress: (@Sendable (Double) -> Void)? = nil) throws -> (
        set: WorkingSet, source: WorkingSetSource
    ) {
        try loadWorkingSetReporting(progress: progress, saveUnlessCurrent: false)
    }

    private func loadWorkingSetReporting(
        progress: (@Sendable (Double) -> Void)? = nil, saveUnlessCurrent: Bool
    ) throws -> (set: WorkingSet, source: WorkingSetSource) {
        Trace.mark("load: start")
        let (set, version, source, save) = try db.read { db in
            let version = try dataVersion(db)
            let layout = try WorkingSetLayout.current(db)
            if let manifest = try WorkingSetSnapshot.manifest(db, keys: keys) {
                if manifest.version == version, manifest.layout == layout,
                    let set = try WorkingSetSnapshot.load(manifest, db, keys: keys)
                {
                    Trace.mark("snapshot: loaded")
                    return (set, version, WorkingSetSource.snapshot, false)
                }
                let changes = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM workingSetChange") ?? 0
                if !Store.shouldRescan(changes: changes, of: manifest.count),
                    var snapshot = try WorkingSetSnapshot.load(manifest, db, keys: keys)
                {
                    Trace.mark("snapshot: loaded")
                    let changed = try Int64.fetchAll(db, sql: "SELECT customerId FROM workingSetChange ORDER BY 1")
                    let patched = try patch(&snapshot, changed: changed, layout: layout, db)
                    let save =
                        Double(changes) > Store.resaveFraction * Double(max(manifest.count, 1))
                        || (saveUnlessCurrent && changes > 0)
                    return (patched, version, .patched(changes: changed.count), save)
                }
            }
            return (try scan(db, layout: layout, progress: progress), version, .scan, true)
        }
        progress?(1)
        // An empty store keeps no snapshot: with none, the change triggers stay idle, and the first import into an
        // empty store (the bulk path, a copy of the store) does not record a million changes.
        if save, set.count > 0 {
            try? WorkingSetSnapshot.save(set, version: version, to: self)
            Trace.mark("snapshot: saved")
        }
        return (set, source)
    }

    /// Decrypts every customer, in store order, straight into the compact columns: one thread reads the table,
    /// all cores open and decode each batch.
    func scan(_ db: Database, layout: WorkingSetLayout, progress: (@Sendable (Double) -> Void)?) throws -> WorkingSet {
        let total = try Int.fetchOne(db, sql: "SELECT MAX(id) FROM customer") ?? 0
        let decoder = CustomerRecordDecoder(keys: keys, layout: layout)
        var rows = WorkingSetRows(fieldCount: layout.fields.count, capacity: 0)
        let cursor = try Row.fetchCursor(db, sql: "SELECT id, keySalt, record FROM customer ORDER BY id")
        try decodeAll(cursor, decoder: decoder, into: &rows) { last in
            if total > 0 { progress?(min(1, Double(last) / Double(total))) }
        }
        Trace.mark("scan: \(rows.count) customers decrypted")
        return rows.build(layout: layout, deviceCounts: try deviceCounts(db, of: rows.rowIDs))
    }

    /// Decodes every row of a `SELECT id, keySalt, record` cursor: this thread reads the next batch while the cores
    /// open and decode the current one.
    private func decodeAll(
        _ cursor: RowCursor, decoder: CustomerRecordDecoder, into rows: inout WorkingSetRows,
        progress: (Int64) -> Void
    ) throws {
        func read() throws -> SealedCustomerBatch {
            var batch = SealedCustomerBatch()
            while batch.count < 16384, let row = try cursor.next() { try batch.append(row) }
            return batch
        }
        var current = try read()
        while current.count > 0 {
            let batch = current
            let decoding = Parallel.Background {
                var rows = WorkingSetRows(fieldCount: decoder.layout.fields.count, capacity: batch.count)
                try decoder.decode(batch, into: &rows)
                return rows
            }
            let next = try read()
            rows.append(contentsOf: try decoding.wait())
            if let last = rows.rowIDs.last { progress(last) }
            current = next
        }
    }

    /// The devices logged in as each of `rowIDs` (ascending).
    private func deviceCounts(_ db: Database, of rowIDs: [Int64]) throws -> [Int32] {
        var counts = [Int32](repeating: 0, count: rowIDs.count)
        let cursor = try Row.fetchCursor(
            db,
            sql: """
                SELECT customerId, COUNT(*) FROM device WHERE customerId IS NOT NULL
                GROUP BY customerId ORDER BY customerId
                """)
        var index = 0
        while let row = try cursor.next() {
            let owner: Int64 = row[0]
            while index < rowIDs.count, rowIDs[index] < owner { index += 1 }
            if index < rowIDs.count, rowIDs[index] == owner { counts[index] = row[1] }
        }
        return counts
    }

    /// `snapshot` with the customers `changed` (ascending row ids) decrypted again, dropped when they are gone,
    /// and the columns following the field registry `layout`.
    func patch(_ snapshot: inout WorkingSet, changed: [Int64], layout: WorkingSetLayout, _ db: Database) throws
        -> WorkingSet
    {
        // One statement walks the change table and looks each customer up by row id (a deleted one has no row).
        let cursor = try Row.fetchCursor(
            db,
            sql: """
                SELECT c.id, c.keySalt, c.record FROM workingSetChange w JOIN customer c ON c.id = w.customerId
                ORDER BY w.customerId
                """)
        var fresh = WorkingSetRows(fieldCount: layout.fields.count, capacity: changed.count)
        try decodeAll(cursor, decoder: CustomerRecordDecoder(keys: keys, layout: layout), into: &fresh) { _ in }
        var devices = [Int32](repeating: 0, count: fresh.count)
        let counts = try Row.fetchCursor(
            db,
            sql: """
                SELECT d.customerId, COUNT(*) FROM workingSetChange w JOIN device d ON d.customerId = w.customerId
                GROUP BY d.customerId ORDER BY d.customerId
                """)
        var index = 0
        while let row = try counts.next() {
            let owner: Int64 = row[0]
            while index < fresh.count, fresh.rowIDs[index] < owner { index += 1 }
            if index < fresh.count, fresh.rowIDs[index] == owner { devices[index] = row[1] }
        }
        Trace.mark("patch: \(fresh.count) of \(changed.count) changed customers decrypted")
        let patched = WorkingSetPatch.apply(
            to: &snapshot, removing: changed, adding: fresh.build(layout: layout, deviceCounts: devices),
            layout: layout)
        Trace.mark("patch: merged")
        return patched
    }

    /// A counter bumped by every write transaction, so a snapshot knows whether it is current.
    func dataVersion(_ db: Database) throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'dataVersion'") ?? 0
    }

    /// Saves `set`, built by the caller from every customer of the store as it is in this write transaction, as the
    /// working-set snapshot (and empties the change table). The bulk import calls it in its copy of the store, so
    /// the first query after an import does not decrypt every customer again.
    func saveWorkingSetSnapshot(_ set: WorkingSet, _ db: Database) throws {
        try WorkingSetSnapshot.save(set, version: try dataVersion(db), keys: keys, db)
    }

    /// Drops the working-set snapshot and the change table inside a write transaction. With no snapshot the change
    /// triggers record nothing, so a bulk load into a copy of the store should call this before inserting rows.
    func discardWorkingSetSnapshot(_ db: Database) throws {
        try db.execute(sql: "DELETE FROM snapshot; DELETE FROM workingSetChange")
    }
}

/// Merging fresh rows into a working set by row id, copying runs of unchanged rows in bulk.
enum WorkingSetPatch {
    private enum Step {
        /// Rows of the old set.
        case old(Range<Int>)
        /// One row of the fresh set.
        case fresh(Int)
    }

    /// `old` without the rows whose ids are in `removing` (ascending), plus the rows of `fresh` (ascending ids, all
    /// in `removing`), with the columns of `layout`.
    ///
    /// `old` is emptied column by column as the result is built, so memory holds one column twice at most.
    static func apply(to old: inout WorkingSet, removing: [Int64], adding fresh: WorkingSet, layout: WorkingSetLayout)
        -> WorkingSet
    {
        if removing.isEmpty, fresh.count == 0,
            old.columns.map({ WorkingSetLayout.Field(key: $0.key, name: $0.name, type: $0.type) }) == layout.fields
        {
            return old
        }
        let steps = plan(old: old.rowIDs, removing: removing, fresh: fresh.rowIDs)
        let capacity = old.count + fresh.count
        var rowIDs: [Int64] = []
        var codes: [UInt8] = []
        var consent: [UInt8] = []
        var devices: [Int32] = []
        rowIDs.reserveCapacity(capacity)
        codes.reserveCapacity(capacity * 32)
        consent.reserveCapacity(capacity)
        devices.reserveCapacity(capacity)
        for step in steps {
            switch step {
            case .old(let range):
                rowIDs += old.rowIDs[range]
                codes += old.externalCodes.raw[range.lowerBound * 32..<range.upperBound * 32]
                consent += old.consent.bits[range]
                devices += old.deviceCounts[range]
            case .fresh(let row):
                rowIDs.append(fresh.rowIDs[row])
                codes += fresh.externalCodes.raw[row * 32..<row * 32 + 32]
                consent.append(fresh.consent.bits[row])
                devices.append(fresh.deviceCounts[row])
            }
        }
        old.rowIDs = []
        old.externalCodes = ExternalCodeColumn(raw: [])
        old.consent = ConsentColumn(bits: [])
        old.deviceCounts = []
        let empty = TextColumn(bytes: [], starts: [0])
        func merged(_ oldColumn: inout TextColumn, _ freshColumn: TextColumn, present: Bool = true) -> TextColumn {
            var builder = TextColumnBuilder(capacity: capacity, bytesPerRow: 0)
            builder.reserveBytes(oldColumn.bytes.count + freshColumn.bytes.count)
            for step in steps {
                switch step {
                case .old(let range):
                    if present {
                        builder.appendRows(of: oldColumn, range)
                    } else {
                        builder.appendMissing(count: range.count)
                    }
                case .fresh(let row): builder.appendRows(of: freshColumn, row..<row + 1)
                }
            }
            oldColumn = empty
            return builder.build()
        }
        let crmIds = merged(&old.crmIds, fresh.crmIds)
        let emails = merged(&old.emails, fresh.emails)
        let phones = merged(&old.phones, fresh.phones)
        var columns: [WorkingSet.Column] = []
        for (index, field) in layout.fields.enumerated() {
            let oldIndex = old.columns.firstIndex { $0.key == field.key }
            var oldValues = empty
            if let oldIndex {
                swap(&oldValues, &old.columns[oldIndex].values)
            }
            columns.append(
                WorkingSet.Column(
                    name: field.name, type: field.type,
                    values: merged(&oldValues, fresh.columns[index].values, present: oldIndex != nil)))
        }
        return WorkingSet(
            rowIDs: rowIDs, externalCodes: ExternalCodeColumn(raw: codes), crmIds: crmIds, emails: emails,
            phones: phones, consent: ConsentColumn(bits: consent), deviceCounts: devices, columns: columns)
    }

    private static func plan(old: [Int64], removing: [Int64], fresh: [Int64]) -> [Step] {
        var steps: [Step] = []
        var next = 0
        var added = 0
        var removed = 0
        func isRemoved(_ rowID: Int64) -> Bool {
            while removed < removing.count, removing[removed] < rowID { removed += 1 }
            return removed < removing.count && removing[removed] == rowID
        }
        while next < old.count || added < fresh.count {
            if added < fresh.count, next == old.count || fresh[added] <= old[next] {
                steps.append(.fresh(added))
                added += 1
                if next < old.count, old[next] == fresh[added - 1] { next += 1 }
                continue
            }
            if isRemoved(old[next]) {
                next += 1
                continue
            }
            let start = next
            next += 1
            while next < old.count, added == fresh.count || old[next] < fresh[added], !isRemoved(old[next]) {
                next += 1
            }
            steps.append(.old(start..<next))
        }
        return steps
    }
}
