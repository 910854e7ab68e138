import Dispatch
import Foundation
import GRDB
import GRDBSQLite
import RosterConcurrency
import RosterModel

/// The fast lane of an incremental import: rows that plainly create a new customer.
///
/// A daily sync mostly adds people. Applied one at a time, each such row costs a savepoint, five
/// index look-ups and four inserts through GRDB (about 70 µs at a million customers). Here a batch's
/// new customers are recognised together, sealed on all cores and written with sorted look-ups and
/// inserts, as the bulk path does. A row takes this lane only when nothing can make it anything but
/// "a new customer with these channels": no device, a customerId that cannot name a customer by
/// email, phone or code, no identifier shared with any other row of the batch, and none of its
/// identifiers known to the store. Every other row goes the row-by-row way, after these (they share
/// no identifier, so their order does not matter).
extension Store {
    /// Creates, in the caller's transaction, the customers of `plans` that take the fast lane.
    /// Returns the row id created for each plan index that took it.
    /// With `unlessMostlyKnown`, a batch whose candidates are nearly all known customers is left whole to the
    /// row-by-row way (see `mostlyKnown`). `prepared` is `fastLaneKeys(of: plans, kind:)` when the caller made it
    /// already (pass 2's planning thread does, while this thread writes the batch before).
    func createNewCustomers(
        _ db: Database, _ plans: [RowPlan], kind: ImportKind, unlessMostlyKnown: Bool = true,
        prepared: FastLaneKeys? = nil
    ) throws -> [Int: Int64] {
        guard !hasSuppressions else { return [:] }
        let lane = prepared ?? fastLaneKeys(of: plans, kind: kind)
        let keys = lane.keys
        let candidates = lane.candidates
        guard !candidates.isEmpty else { return [:] }
        if unlessMostlyKnown, try mostlyKnown(db, candidates, keys) { return [:] }
        let firstRowID =
            (try Int64.fetchOne(try db.cachedStatement(sql: "SELECT COALESCE(MAX(id), 0) + 1 FROM customer"))) ?? 1
        // The candidates are sealed on the other cores while this thread writes their blind indexes, which finds
        // those the store already knows: inserting an index entry and looking it up cost the same descent.
        let sealing = Parallel.Background {
            try self.seal(plans, candidates, keys, firstRowID: firstRowID, kind: kind)
        }
        defer { _ = try? sealing.wait() }  // on an error below too: the task never outlives the batch
        let (known, skipped) = try insertIndexes(db, candidates, keys, firstRowID: firstRowID)
        let dropped = known.union(unregistrable(db, candidates, plans, skipping: known))
        try removeIndexes(db, of: dropped, skipped: skipped, candidates, keys, firstRowID: firstRowID)
        let droppedRows = Set(dropped.map { firstRowID + Int64($0) })
        let sealed = try sealing.wait()
        // The new rows are inserted with the triggers off and recorded as changed with one statement, as the
        // trigger `workingSetCustomerInsert` would one row at a time (~0.85 µs a row on this thread).
        try db.withoutTriggers {
            for rows in sealed { try BulkLoader.insert(rows, db, dropping: droppedRows) }
        }
        try db.execute(
            sql: """
                INSERT OR IGNORE INTO workingSetChange(customerId)
                SELECT id FROM customer WHERE id >= ? AND EXISTS (SELECT 1 FROM snapshot)
                """, arguments: [firstRowID])
        Trace.mark(
            "new: \(candidates.count - dropped.count) customers created, \(dropped.count) left to the row-by-row path")
        var created: [Int: Int64] = [:]
        for (offset, index) in candidates.enumerated() where !dropped.contains(offset) {
            created[index] = firstRowID + Int64(offset)
        }
        return created
    }

    /// What the fast lane needs to know of a batch before it looks at the store: every row's blind indexes, and
    /// which rows may take it. It depends on the plans only, so it can be made on another thread.
    struct FastLaneKeys: Sendable {
        var keys: [RowKeys]
        /// Eligible rows none of whose identifiers appears on another row of the batch, by plan index.
        var candidates: [Int]

        /// A batch that cannot take the fast lane.
        static let empty = FastLaneKeys(keys: [], candidates: [])
    }

    /// The fast lane's keys for a batch; none (no candidates) when the batch goes row by row whatever the store
    /// holds: another kind, a handful of rows, or a customerId that may name someone found another way.
    func fastLaneKeys(of plans: [RowPlan], kind: ImportKind) -> FastLaneKeys {
        guard [.contacts, .email, .sms].contains(kind), plans.count >= 16 else { return .empty }
        // A customerId that is an email, phone or code may name someone found another way: row by row.
        if plans.contains(where: { $0.identity.map(Importer.looksLikeOtherID) ?? false }) { return .empty }
        let keys = blindIndexes(of: plans, kind: kind)
        return FastLaneKeys(keys: keys, candidates: uniqueAndEligible(keys))
    }

    /// The blind indexes a row would be found by.
    struct RowKeys: Sendable {
        /// The raw externalCode of the customer the row would create (nil without a CRM id).
        var code: RawCode?
        var identity: BlindIndexer.Words?
        var email: BlindIndexer.Words?
        var phone: BlindIndexer.Words?
        /// Whether the row could take the fast lane on its own (before looking at the others).
        var eligible = false

        func words(_ kind: BlindIndexKind) -> BlindIndexer.Words? {
            switch kind {
            case .identity: identity
            case .email: email
            case .phone: phone
            case .deviceId: nil
            }
        }
    }

    /// Blind indexes of every row, computed on all cores.
    private func blindIndexes(of plans: [RowPlan], kind: ImportKind) -> [RowKeys] {
        let sealer = BulkLoader.Sealer(store: self, kind: kind, now: 0)
        let blindIndex = sealer.blindIndex
        let codes = externalCodes
        return Parallel.ranges(plans.count) { range in
            range.map { index in
                let crmId = sealer.crmId(of: plans[index])
                let code = crmId.isEmpty ? nil : codes.rawCode(for: crmId)
                return RowKeys(
                    code: code,
                    identity: code?.withUnsafeBytes { blindIndex.identityWords($0) },
                    email: plans[index].email.map { blindIndex.indexWords(.email, $0) },
                    phone: plans[index].phone.map { blindIndex.indexWords(.phone, $0) },
                    eligible: !crmId.isEmpty && plans[index].device == nil && plans[index].moreDevices.isEmpty)
            }
        }
        .flatMap { $0 }
    }

    /// Eligible rows none of whose identifiers appears on another row of the batch (found in the sorted indexes).
    private func uniqueAndEligible(_ keys: [RowKeys]) -> [Int] {
        var shared = Bitset(count: keys.count)
        for kind in [BlindIndexKind.identity, .email, .phone] {
            var entries: [BulkLoader.Entry] = []
            entries.reserveCapacity(keys.count)
            for (index, key) in keys.enumerated() {
                if let words = key.words(kind) { entries.append(BulkLoader.Entry(words, Int64(index))) }
            }
            BulkLoader.Entry.sort(&entries)
            var start = 0
            while start < entries.count {
                var end = start + 1
                while end < entries.count, BulkLoader.Entry.sameIndex(entries[start], entries[end]) { end += 1 }
                if end - start > 1 { for entry in entries[start..<end] { shared.insert(Int(entry.rowID)) } }
                start = end
            }
        }
        return keys.indices.filter { keys[$0].eligible && keys[$0].identity != nil && !shared.contains($0) }
    }

    /// Whether nearly all of a sample of the candidates (64, spread over the batch) are customers the store has: a
    /// full export sent again. Sealing them all and writing their blind indexes only to find them known cost ~10 µs
    /// a row (~0.5 s per 50,000); they go the row-by-row way, where those that change nothing are only counted. A
    /// new customer sent that way costs ~70 µs instead of a few: giving up pays only above ~85% known, hence 90%.
    private func mostlyKnown(_ db: Database, _ candidates: [Int], _ keys: [RowKeys]) throws -> Bool {
        let owner = try db.cachedStatement(sql: "SELECT customerId FROM identityIndex WHERE blindIndex = ?")
        let samples = min(64, candidates.count)
        var known = 0
        for sample in 0..<samples {
            guard let words = keys[candidates[sample * candidates.count / samples]].identity else { continue }
            if try Self.rowID(of: words, owner, db) != nil { known += 1 }
        }
        return known * 10 >= samples * 9
    }

    /// Inserts the candidates' blind indexes (row ids from `firstRowID`, in candidate order), each table in index
    /// order, leaving out those the table already holds. Returns the candidates (by offset) with an identifier that
    /// the store already knows, and for each table the candidates whose entry was left out.
    private func insertIndexes(_ db: Database, _ candidates: [Int], _ keys: [RowKeys], firstRowID: Int64) throws
        -> (known: Set<Int>, skipped: [BlindIndexKind: Set<Int>])
    {
        var known = Set<Int>()
        var skippedByKind: [BlindIndexKind: Set<Int>] = [:]
        for kind in [BlindIndexKind.identity, .email, .phone] {
            var entries: [BulkLoader.Entry] = []
            entries.reserveCapacity(candidates.count)
            for (offset, index) in candidates.enumerated() {
                if let words = keys[index].words(kind) {
                    entries.append(BulkLoader.Entry(words, firstRowID + Int64(offset)))
                }
            }
            BulkLoader.Entry.sort(&entries)
            let owner = try db.makeStatement(sql: "SELECT customerId FROM \(kind.table) WHERE blindIndex = ?")
            var skippedHere = Set<Int>()
            try BulkLoader.insert(entries, into: kind, db) { skipped in
                for entry in entries[skipped] where try Self.rowID(of: entry.words, owner, db) != entry.rowID {
                    known.insert(Int(entry.rowID - firstRowID))
                    skippedHere.insert(Int(entry.rowID - firstRowID))
                }
            }
            skippedByKind[kind] = skippedHere
        }
        return (known, skippedByKind)
    }

    /// Deletes the blind indexes `insertIndexes` wrote (those it did not skip) for candidates that go the
    /// row-by-row way after all. A re-import of known customers skipped them all: nothing to delete.
    private func removeIndexes(
        _ db: Database, of dropped: Set<Int>, skipped: [BlindIndexKind: Set<Int>], _ candidates: [Int],
        _ keys: [RowKeys], firstRowID: Int64
    ) throws {
        guard !dropped.isEmpty else { return }
        for kind in [BlindIndexKind.identity, .email, .phone] {
            let written = dropped.subtracting(skipped[kind] ?? [])
            guard !written.isEmpty else { continue }
            let delete = try db.makeStatement(sql: "DELETE FROM \(kind.table) WHERE blindIndex = ? AND customerId = ?")
            for offset in written.sorted() {
                guard let words = keys[candidates[offset]].words(kind) else { continue }
                try delete.execute(arguments: [Self.blob(words), firstRowID + Int64(offset)])
            }
        }
    }

    /// The row id an index table gives a blind index, or nil.
    private static func rowID(of words: BlindIndexer.Words, _ statement: Statement, _ db: Database) throws -> Int64? {
        try RawQuery.firstRow(statement, blindIndex: words, db) { sqlite3_column_int64($0, 0) }
    }

    private static func blob(_ words: BlindIndexer.Words) -> Data {
        var bytes = (words.high.bigEndian, words.low.bigEndian)
        return withUnsafeBytes(of: &bytes) { Data($0) }
    }

    /// Registers the new fields of the candidates not `skipping`; returns the candidates (by offset) with a field
    /// of another type, which go row by row.
    private func unregistrable(_ db: Database, _ candidates: [Int], _ plans: [RowPlan], skipping: Set<Int>) -> Set<Int>
    {
        var refused = Set<String>()
        var checked = Set<String>()
        var checkedBits: UInt64 = 0
        for (offset, index) in candidates.enumerated() where !skipping.contains(offset) {
            // A wide file's rows share their field columns: most have no key that was not checked already.
            let bits = plans[index].fieldMask
            if bits != 0 && bits & ~checkedBits == 0 { continue }
            for field in plans[index].fields where !checked.contains(field.key) {
                checked.insert(field.key)
                do { try registerField(db, field) } catch { refused.insert(field.key) }
            }
            checkedBits |= bits
        }
        guard !refused.isEmpty else { return [] }
        return Set(
            candidates.indices.filter { offset in
                !skipping.contains(offset) && plans[candidates[offset]].fields.contains { refused.contains($0.key) }
            })
    }

    /// Seals the candidates' new customers on all cores; row ids follow the candidates' order from `firstRowID`.
    private func seal(
        _ plans: [RowPlan], _ candidates: [Int], _ keys: [RowKeys], firstRowID: Int64, kind: ImportKind
    ) throws -> [BulkLoader.SealedRows] {
        let now = Store.now()
        // All cores but one: the writing thread inserts the blind indexes meanwhile, and it is the longer of the two.
        return try Parallel.tryRanges(candidates.count, minimum: 256, lanes: Parallel.lanesBesideWriter) { range in
            var sealer = BulkLoader.Sealer(store: self, kind: kind, now: now)
            var rows = BulkLoader.SealedRows()
            rows.reserve(rows: range.count)
            for offset in range {
                let index = candidates[offset]
                // A candidate has an identity, hence a code (`uniqueAndEligible`).
                guard let code = keys[index].code else {
                    preconditionFailure("a fast-lane row without an externalCode")
                }
                try sealer.seal(plans[index], code: code, rowID: firstRowID + Int64(offset), into: &rows)
            }
            return rows
        }
    }
}
