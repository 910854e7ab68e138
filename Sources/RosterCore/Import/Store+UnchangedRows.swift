import Foundation
import GRDB
import GRDBSQLite
import RosterConcurrency
import RosterModel

/// Finding, a batch at a time, the import rows that would change nothing.
///
/// A daily export re-sent to Roster is mostly customers it already has, as they were. Applied one by one, each
/// such row cost a savepoint, its look-ups, a decryption and a comparison (~40 µs; 100,000 rows ~4.7 s). Here the
/// look-ups are done for the whole batch, the decryptions and comparisons on all cores, and a row found to change
/// nothing is only counted.
extension Store {
    /// The rows of `plans` (but those in `skipping`) that name an existing customer by its CRM id and would change
    /// nothing in it, by plan index, with the customer's row id: exactly the rows that `apply` would find
    /// unchanged without writing. Other rows (new customers, devices, other kinds of identity, a change, a field
    /// the store does not know yet) are left to `apply`, as is any row whose customer does not open or verify.
    ///
    /// The answer holds for the store as it is: the caller applies the other rows in file order, and a row whose
    /// customer an earlier row of the batch changed must be applied all the same.
    func unchangedRows(_ db: Database, _ plans: [RowPlan], skipping: [Int: Int64]) throws -> [Int: Int64] {
        struct Candidate {
            let index: Int
            let rowID: Int64
            let salt: Data
            let record: Data
        }
        // The rows that could be unchanged, and their identity blind indexes (two MACs each), on all cores.
        let types = fieldTypes  // one lock for the batch, not one per field
        let eligible = plans.indices.filter { index in
            let plan = plans[index]
            return skipping[index] == nil && plan.identity != nil && plan.device == nil && plan.moreDevices.isEmpty
                && plan.fields.allSatisfy { types[$0.key]?.type == $0.type }
        }
        let blindIndex = keys.blindIndex
        let codes = externalCodes
        let words = Parallel.ranges(eligible.count, minimum: 1024) { range in
            range.map { codes.withCode(for: plans[eligible[$0]].identity!) { blindIndex.identityWords($0) } }
        }
        .flatMap { $0 }
        // The database, one row after another: the customer a CRM id names, and its sealed row, in one statement
        // bound and read in place (through GRDB's arguments and rows this was most of the time). Then decrypting
        // and comparing, on all cores. A chunk at a time, so that few sealed rows are held at once.
        let statement = try db.cachedStatement(
            sql: """
                SELECT customer.id, customer.keySalt, customer.record FROM identityIndex
                JOIN customer ON customer.id = identityIndex.customerId WHERE identityIndex.blindIndex = ?
                """)
        var unchanged: [Int: Int64] = [:]
        for chunk in stride(from: 0, to: eligible.count, by: 8192) {
            var candidates: [Candidate] = []
            for position in chunk..<min(eligible.count, chunk + 8192) {
                let found = try RawQuery.firstRow(statement, blindIndex: words[position], db) { row in
                    Candidate(
                        index: eligible[position], rowID: sqlite3_column_int64(row, 0), salt: Self.blob(row, 1),
                        record: Self.blob(row, 2))
                }
                if let found { candidates.append(found) }
            }
            let found = Parallel.ranges(candidates.count, minimum: 256) { range in
                range.compactMap { position -> (Int, Int64)? in
                    let candidate = candidates[position]
                    let plan = plans[candidate.index]
                    guard
                        let customer = try? openCustomer(
                            salt: candidate.salt, record: candidate.record, rowID: candidate.rowID),
                        customer.crmId == plan.identity, Self.changesNothing(plan, in: customer)
                    else { return nil }
                    return (candidate.index, candidate.rowID)
                }
            }
            for (index, rowID) in found.joined() { unchanged[index] = rowID }
        }
        return unchanged
    }

    private static func blob(_ statement: OpaquePointer, _ column: Int32) -> Data {
        // The pointer first, then its size, as SQLite advises.
        guard let bytes = sqlite3_column_blob(statement, column) else { return Data() }
        return Data(bytes: bytes, count: Int(sqlite3_column_bytes(statement, column)))
    }

    /// Whether applying `plan` to `customer` (who has the plan's CRM id) would write nothing: its email and phone
    /// are the customer's, and so are the consents and field values it sets (as `apply`, `link` and `fill` set
    /// them; the fields' types are the store's, checked by the caller).
    static func changesNothing(_ plan: RowPlan, in customer: Customer) -> Bool {
        if let email = plan.email, customer.email != email { return false }
        if let phone = plan.phone, customer.phone != phone { return false }
        for (channel, value) in Dictionary(plan.consent, uniquingKeysWith: { $1 })
        where customer.consent[channel] != value {
            return false
        }
        for field in plan.fields where customer.fields[field.key] != FieldValue(type: field.type, value: field.value) {
            return false
        }
        return true
    }
}
