import RosterModel

/// Everything the console needs from a store.
///
/// The real implementation wraps RosterCore's `Store` (in the `roster` executable); tests use an
/// in-memory fake. Every method may be slow on a big store and is called off the UI loop, except
/// the two properties.
public protocol ConsoleStore: AnyObject, Sendable {
    /// The store file, for the status line.
    var storePath: String { get }
    /// The store's region, shown in the status line.
    var region: String { get }

    /// Loads the decrypted working set of all customers, reporting progress from 0 to 1.
    func loadWorkingSet(progress: @escaping @Sendable (Double) -> Void) throws -> WorkingSet
    /// One customer with its devices, decrypted on demand.
    func customerDetail(rowID: Int64) throws -> CustomerDetail
    /// Every device of the store (Devices and Push views).
    func devices() throws -> [Device]
    /// The device an ID names (a deviceId, or a customer with one device), for deviceGet.
    func device(_ id: String) throws -> Device
    /// Rows of the working set matching a filter in the segments language, ascending.
    func filter(_ expression: String, in workingSet: WorkingSet) throws -> [Int32]
    /// Rows whose names or identifiers contain `text` (case- and accent-insensitive), ascending.
    func search(_ text: String, in workingSet: WorkingSet) -> [Int32]
    /// A template rendered for one customer.
    func preview(template: String, rowID: Int64) throws -> Template.Rendering
    /// A template previewed over a segment: counts and a few samples.
    func preview(template: String, rows: [Int32], in workingSet: WorkingSet) throws -> SegmentPreview
    /// Imports a CSV file (`kind`: email, sms, push, fields, contacts, jsonl), reporting progress.
    func importFile(kind: String, path: String, progress: @escaping @Sendable (ImportProgress) -> Void) throws
        -> ImportReport
    /// Records in the audit log that the operator revealed a customer's masked values; throws when it cannot (the
    /// customer is gone, the store is held too long): the console shows them only once this returns.
    func recordReveal(rowID: Int64) throws
    /// Rectifies a customer (a field, or a channel's consent), audited; returns it as it is now.
    func edit(rowID: Int64, _ change: CustomerEdit) throws -> CustomerDetail
    /// The mapping an import of `draft` would use and its first rows as they would be stored; writes nothing.
    func previewImport(_ draft: ImportDraft) throws -> ImportMappingPreview
    /// Imports a CSV file with the mapping of `draft`, reporting progress.
    func importFile(_ draft: ImportDraft, progress: @escaping @Sendable (ImportProgress) -> Void) throws -> ImportReport
    /// Every field with its type and how many customers have a value.
    func fieldSummaries() throws -> [FieldSummary]
    /// What a field change would do (`apply` false: nothing is written), or the change applied (audited), with a
    /// sentence saying what it did.
    func changeField(_ change: FieldRequest, apply: Bool) throws -> (check: FieldCheck, done: String?)
    /// The store's change stamp, polled to show other processes' changes live. Without `wait`, nil when the
    /// store is busy with this console's own work (an import): the next poll asks again.
    func changeStamp(wait: Bool) -> ChangeStamp?
    /// The columns remembered for a list of this store (nil: none remembered).
    func savedColumns(kind: ListKind) -> [String]?
    /// Remembers a list's columns in the store, sealed.
    func saveColumns(kind: ListKind, names: [String])
    /// The fields renamed lately, oldest first.
    func fieldRenames() -> [FieldRename]
    /// Records in the audit log that the operator copied a customer's revealed value (`what`: email, phone).
    func recordCopy(rowID: Int64, what: String)
    /// Writes rows of the working set (or devices) to a file through the CLI's output rules, audited.
    func export(_ request: ExportRequest, progress: @escaping @Sendable (Int) -> Void) throws -> ExportReport
    /// The filter index of `workingSet` (kept while the set is current), for sorts and frequency tables.
    func filterIndex(for workingSet: WorkingSet) -> FilterIndex
    /// The saved segments, sorted by name.
    func savedSegments() throws -> [SavedSegment]
    /// Saves a filter as a segment after running it on `workingSet` (audited); returns how many it selects there.
    func saveSegment(name: String, expression: String, replacing: Bool, in workingSet: WorkingSet) throws -> Int
    /// Deletes a saved segment (audited).
    func deleteSegment(name: String) throws
}

extension ConsoleStore {
    /// A store that cannot tell never changes under the console.
    public func changeStamp(wait: Bool) -> ChangeStamp? { nil }
    /// A store that cannot remember columns starts from the defaults.
    public func savedColumns(kind: ListKind) -> [String]? { nil }
    public func saveColumns(kind: ListKind, names: [String]) {}
    /// A store that cannot tell renames no field under the console.
    public func fieldRenames() -> [FieldRename] { [] }
    public func recordCopy(rowID: Int64, what: String) { try? recordReveal(rowID: rowID) }
    public func filterIndex(for workingSet: WorkingSet) -> FilterIndex { FilterIndex(workingSet) }
    public func export(_ request: ExportRequest, progress: @escaping @Sendable (Int) -> Void) throws -> ExportReport {
        throw ConsoleFailure("this store cannot export from the console")
    }
}

/// Stores that keep no segments (a benchmark's) list none and refuse to save or delete one.
extension ConsoleStore {
    public func savedSegments() throws -> [SavedSegment] { [] }

    public func saveSegment(name: String, expression: String, replacing: Bool, in workingSet: WorkingSet) throws
        -> Int
    {
        throw ConsoleFailure("this console's store keeps no saved segments")
    }

    public func deleteSegment(name: String) throws {
        throw ConsoleFailure("this console's store keeps no saved segments")
    }
}

/// A rectification typed in the console: `:set`, `:unset`, `:consent`.
public enum CustomerEdit: Equatable, Sendable {
    case setField(name: String, value: String)
    case unsetField(name: String)
    case consent(Channel, Bool)
}

/// A customer and its devices.
public struct CustomerDetail: Sendable {
    public let customer: Customer
    public let devices: [Device]

    public init(customer: Customer, devices: [Device]) {
        self.customer = customer
        self.devices = devices
    }
}

/// Progress of a running import: its phase, and how far the phase is.
public struct ImportProgress: Sendable, Equatable {
    /// The phases an import goes through, in order, with the share of the whole each is given: the file is read
    /// twice (scanning its keys, then importing), then indexes and the console's filters are brought up to date.
    public static let phases: [(name: String, share: Double)] = [
        ("scanning", 0.3), ("importing", 0.6), ("indexing", 0.05), ("preparing filters", 0.05),
    ]

    public let phase: String
    public let rows: Int
    public let bytesRead: Int
    public let totalBytes: Int?

    public init(phase: String = "importing", rows: Int, bytesRead: Int, totalBytes: Int?) {
        self.phase = phase
        self.rows = rows
        self.bytesRead = bytesRead
        self.totalBytes = totalBytes
    }

    /// How far the phase is, 0...1, when the size is known.
    public var fraction: Double? {
        guard let totalBytes, totalBytes > 0 else { return nil }
        return min(1, Double(bytesRead) / Double(totalBytes))
    }

    /// How far the whole import is, 0...1: the phases before this one, and this one's share as far as it is.
    /// It only grows as an import moves through its phases (each of which reads the file from the start).
    public var overall: Double {
        var start = 0.0
        for phase in Self.phases {
            if phase.name == self.phase { return start + phase.share * (fraction ?? 0) }
            start += phase.share
        }
        return fraction ?? 0
    }

    /// The line a status shows: `importing · 12,345 rows read · 57%`.
    public func describe(overall shown: Double) -> String {
        "\(phase) · \(Format.count(rows, "row")) read · \(Int((shown * 100).rounded(.down)))%"
    }
}

/// The summary of a finished import, as the CLI reports it.
public struct ImportReport: Sendable, Equatable {
    public let read: Int
    public let created: Int
    public let updated: Int
    public let unchanged: Int
    public let rejected: Int
    public let duplicatesInFile: Int
    /// The first rejected rows as `line N: reason`.
    public let rejects: [String]

    public init(
        read: Int, created: Int, updated: Int, unchanged: Int, rejected: Int, duplicatesInFile: Int, rejects: [String]
    ) {
        self.read = read
        self.created = created
        self.updated = updated
        self.unchanged = unchanged
        self.rejected = rejected
        self.duplicatesInFile = duplicatesInFile
        self.rejects = rejects
    }
}
