import Foundation
import RosterCSV
import RosterModel

/// What an import did: customers counted by net change, superseded rows as duplicates (docs/import.md).
public struct ImportSummary: Sendable, Equatable {
    /// One rejected row: its line (header = line 1) and the reason.
    public struct Rejection: Sendable, Equatable {
        public let line: Int
        public let reason: String
    }

    public var kind: ImportKind
    /// Data rows read (blank lines excluded).
    public var read = 0
    /// Customers (devices, for push files) created, updated or left unchanged, by net change.
    public var created = 0
    public var updated = 0
    public var unchanged = 0
    public var rejected: Int { rejects.count }
    /// Rows superseded by a later row with the same key.
    public var duplicatesInFile = 0
    public var rejects: [Rejection] = []
    /// How a field column of the file writes its values, when it is not plain (`ImportColumnFormat`).
    public typealias ColumnFormat = ImportColumnFormat

    public var formats: [ColumnFormat] = []
    /// Whether the empty-store bulk path was used.
    public var bulk = false
    public var dryRun = false
    /// How a CSV file was read (nil for jsonl): its encoding and separator, detected or given.
    public var dialect: CSVDialect?

    public init(kind: ImportKind) { self.kind = kind }

    /// The `--json` document.
    public var json: JSONValue {
        .object(
            [
                ("read", .int(Int64(read))), ("created", .int(Int64(created))), ("updated", .int(Int64(updated))),
                ("unchanged", .int(Int64(unchanged))), ("rejected", .int(Int64(rejected))),
                ("duplicatesInFile", .int(Int64(duplicatesInFile))),
                (
                    "rejects",
                    .array(rejects.map { .object([("line", .int(Int64($0.line))), ("reason", .string($0.reason))]) })
                ),
                ("dryRun", .bool(dryRun)),
                (
                    "formats",
                    .array(
                        formats.map {
                            .object([
                                ("field", .string($0.field)), ("type", .string($0.type.rawValue)),
                                ("format", .string($0.format)),
                            ])
                        })
                ),
            ] + dialectMembers)
    }

    private var dialectMembers: [(String, JSONValue)] {
        guard let dialect else { return [] }
        let separator = dialect.delimiter == UInt8(ascii: "\t") ? "tab" : String(UnicodeScalar(dialect.delimiter))
        return [
            ("encoding", .string(dialect.encoding.rawValue)), ("separator", .string(separator)),
            ("byteOrderMark", .bool(dialect.hasBOM)),
        ]
    }

    /// What the counts are of.
    public var subject: String { kind == .push ? "devices" : "customers" }
}

/// Net change of one customer or device over a whole import.
enum NetChange: UInt8, Sendable {
    case unchanged, updated, created

    /// Combines two changes of the same subject: created stays created, any change makes it updated.
    func merged(with other: NetChange) -> NetChange {
        if self == .created || other == .created { return .created }
        return self == .updated || other == .updated ? .updated : .unchanged
    }
}

/// Tallies net changes per subject (row id) across the batches of one import.
struct ChangeTally {
    private var changes: [Int64: NetChange] = [:]
    /// Customers created and updated so far, kept as changes are recorded (a batch's audit entry reads them).
    private(set) var created = 0
    private(set) var updated = 0

    mutating func record(_ rowID: Int64, _ change: NetChange) {
        let old = changes[rowID]
        let new = old.map { $0.merged(with: change) } ?? change
        count(old, -1)
        count(new, 1)
        changes[rowID] = new
    }

    /// A merged-away customer is no longer counted on its own.
    mutating func forget(_ rowID: Int64) {
        count(changes[rowID], -1)
        changes[rowID] = nil
    }

    private mutating func count(_ change: NetChange?, _ delta: Int) {
        switch change {
        case .created: created += delta
        case .updated: updated += delta
        default: break
        }
    }

    func apply(to summary: inout ImportSummary) {
        for change in changes.values {
            switch change {
            case .created: summary.created += 1
            case .updated: summary.updated += 1
            case .unchanged: summary.unchanged += 1
            }
        }
    }
}
