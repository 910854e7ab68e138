import Foundation
import Synchronization

/// What filters, the console's search and sorting need from a working set, prepared on first use and kept.
///
/// Text is folded (case and accents removed) into one buffer per column, dates become integers, numbers become
/// doubles: every filter then scans flat arrays, a few milliseconds for a million customers. Columns already in
/// folded form (emails, phones) are scanned in place. Each field is prepared the first time a filter, a search or a
/// sort needs it, so `birthday = today` parses the birthdates and nothing else.
public final class FilterIndex: Sendable {
    /// The number of customers.
    public let count: Int
    let rowIDs: [Int64]
    /// The working set's field columns, in its order (by key).
    let columns: [WorkingSet.Column]
    let rawEmails: TextColumn
    let rawPhones: TextColumn
    let rawCRMIds: TextColumn
    let externalCodes: ExternalCodeColumn
    /// Devices logged in as each customer, shared with the working set.
    let deviceCounts: [Int32]
    let hasEmail: RowSet
    let hasSMS: RowSet
    let hasPush: RowSet
    let consentEmail: RowSet
    let consentSMS: RowSet
    let consentPush: RowSet

    /// From how many rows sorts and frequency tables split the work over two cores; tests lower it to take that path
    /// on a small set.
    var twoCoresFrom: Int {
        get { tuning.withLock { $0.twoCoresFrom } }
        set { tuning.withLock { $0.twoCoresFrom = newValue } }
    }
    /// How many distinct values a text sort ranks at most (nil: an eighth of the rows, at least 4,096); tests set it
    /// to take the comparing path.
    var rankedSortLimit: Int? {
        get { tuning.withLock { $0.rankedSortLimit } }
        set { tuning.withLock { $0.rankedSortLimit = newValue } }
    }
    /// How many distinct values a text field may have to be folded as a dictionary (nil: a quarter of the rows); tests
    /// set it to 0 to compare with the row-by-row folded copy.
    var dictionaryLimit: Int? {
        get { tuning.withLock { $0.dictionaryLimit } }
        set { tuning.withLock { $0.dictionaryLimit = newValue } }
    }

    /// How many values a frequency table lists at most (`FrequencyTable.maximumEntries`); tests lower it.
    var frequencyLimit: Int {
        get { tuning.withLock { $0.frequencyLimit } }
        set { tuning.withLock { $0.frequencyLimit = newValue } }
    }

    private struct Tuning {
        var twoCoresFrom = RowSet.parallelThreshold
        var rankedSortLimit: Int?
        var dictionaryLimit: Int?
        var frequencyLimit = FrequencyTable.maximumEntries
    }

    private let tuning = Mutex(Tuning())

    /// What is built on first use, behind a mutex so that any thread may ask for it.
    private struct Prepared {
        var fields: [IndexedField?]
        var crmIds: FoldedTextColumn?
        var emails: FoldedTextColumn?
        var phones: FoldedTextColumn?
        var externalCodes: FoldedTextColumn?
    }

    private let prepared: Mutex<Prepared>

    /// Prepares `workingSet` for filtering; reuse the index for every filter on that set.
    public init(_ workingSet: WorkingSet) {
        count = workingSet.count
        rowIDs = workingSet.rowIDs
        columns = workingSet.columns
        prepared = Mutex(Prepared(fields: Array(repeating: nil, count: workingSet.columns.count)))
        rawEmails = workingSet.emails
        rawPhones = workingSet.phones
        rawCRMIds = workingSet.crmIds
        externalCodes = workingSet.externalCodes
        let consent = workingSet.consent.bits
        let deviceCounts = workingSet.deviceCounts
        self.deviceCounts = deviceCounts
        let (emails, phones) = (workingSet.emails, workingSet.phones)
        hasEmail = RowSet.matching(count: count) { emails.isPresent($0) }
        hasSMS = RowSet.matching(count: count) { phones.isPresent($0) }
        hasPush = RowSet.matching(count: count) { deviceCounts[$0] > 0 }
        consentEmail = RowSet.matching(count: count) { consent[$0] & 1 != 0 && emails.isPresent($0) }
        consentSMS = RowSet.matching(count: count) { consent[$0] & 2 != 0 && phones.isPresent($0) }
        consentPush = RowSet.matching(count: count) { consent[$0] & 4 != 0 && deviceCounts[$0] > 0 }
    }

    /// The names of the fields, as first written, by key.
    var fieldNames: [String] { columns.map(\.name) }

    /// Every field, prepared.
    var fields: [IndexedField] { columns.indices.map(field(at:)) }

    /// The field at `index` (of the working set's columns), prepared on first use.
    func field(at index: Int) -> IndexedField {
        if let field = prepared.withLock({ $0.fields[index] }) { return field }
        // Prepared outside the mutex (it runs on both cores); two threads racing both build it, one result is kept.
        let field = IndexedField(columns[index], dictionaryLimit: dictionaryLimit)
        return prepared.withLock { prepared in
            if let existing = prepared.fields[index] { return existing }
            prepared.fields[index] = field
            return field
        }
    }

    /// Prepares every field and the CRM ids now rather than on first use: the console calls it in the background
    /// once its first screen is up, so that the first filter or search typed does not pay for folding.
    public func prepareAll() {
        for index in columns.indices { _ = field(at: index) }
        _ = (crmIds, emails, phones)
    }

    /// The emails as filters scan them: the working set's own column when it is already folded (lower-case ASCII,
    /// the usual case), checked on first use.
    var emails: FoldedTextColumn { folded(\.emails, from: rawEmails) }

    /// The phones as filters scan them (E.164 is already folded), checked on first use.
    var phones: FoldedTextColumn { folded(\.phones, from: rawPhones) }

    /// The CRM ids folded, built on first use.
    var crmIds: FoldedTextColumn { folded(\.crmIds, from: rawCRMIds) }

    /// The folded column kept in `slot`, built from `raw` on first use (under the mutex).
    private func folded(_ slot: WritableKeyPath<Prepared, FoldedTextColumn?>, from raw: TextColumn)
        -> FoldedTextColumn
    {
        prepared.withLock { prepared in
            if let column = prepared[keyPath: slot] { return column }
            let column = FoldedTextColumn(raw)
            prepared[keyPath: slot] = column
            return column
        }
    }

    /// The rows (indices into the working set, ascending) that `filter` selects.
    public func evaluate(_ filter: Filter, context: FilterContext) throws(FilterError) -> [Int32] {
        try FilterEvaluator(index: self, context: context).rows(filter.expression).indices()
    }

    /// The number of customers `filter` selects.
    public func count(_ filter: Filter, context: FilterContext) throws(FilterError) -> Int {
        try FilterEvaluator(index: self, context: context).rows(filter.expression).cardinality
    }

    /// The console's plain-text search: rows where any text field, the CRM id, the email or the phone contains
    /// `text` (ignoring case and accents), or whose externalCode starts with it (6 hex digits or more, so that a short
    /// word does not match codes by chance). Digits typed with spaces or dashes also find phones (`600 11 22`).
    public func search(text: String) -> [Int32] {
        let needle = TextFolding.fold(text.trimmingCharacters(in: .whitespacesAndNewlines))
        guard !needle.isEmpty else { return RowSet(count: count, filled: true).indices() }
        var columns = self.columns.indices.compactMap { index -> FoldedTextColumn? in
            guard self.columns[index].type == .text, case .text(let column) = field(at: index).storage else {
                return nil
            }
            return column
        }
        columns += [crmIds, emails, phones]
        let phoneDigits = FilterIndex.phoneDigits(in: needle)
        let codePrefix = FilterIndex.externalCodePrefix(needle)
        let phones = self.phones
        let rows = RowSet.filled(count: count) { rows, words in
            for column in columns { column.addRows(containing: needle, in: rows, to: words) }
            if let phoneDigits { phones.addRows(containing: phoneDigits, in: rows, to: words) }
            if let codePrefix { self.addRows(withExternalCodePrefix: codePrefix, in: rows, to: words) }
        }
        return rows.indices()
    }

    /// Every row ordered by the folded `name` field (`Álvaro` among the a's), rows without a name last, ties by row
    /// id.
    public func sortedByName(ascending: Bool = true) -> [Int32] {
        guard case .text? = field(named: "name")?.storage else { return (0..<Int32(count)).map { $0 } }
        // Ties keep row-id order: the rows in that order are the input (the identity unless the set broke it).
        let byRowID: [Int32]? =
            zip(rowIDs, rowIDs.dropFirst()).contains(where: { $0 >= $1 })
            ? rowIDs.indices.sorted { rowIDs[$0] < rowIDs[$1] }.map { Int32($0) } : nil
        // The column sort: a name column of few values (a dictionary) is counting-sorted by rank.
        return sorted(byRowID, by: .field("name"), ascending: ascending) ?? byRowID ?? (0..<Int32(count)).map { $0 }
    }

    /// The externalCodes as hex text, folded (hex is already folded), built on first use.
    var externalCodeColumn: FoldedTextColumn {
        prepared.withLock { prepared in
            if let column = prepared.externalCodes { return column }
            var builder = TextColumnBuilder(capacity: count, bytesPerRow: 65)
            for row in 0..<count {
                var code = externalCodes[row]
                code.withUTF8 { builder.append(utf8: $0) }
            }
            let column = FoldedTextColumn(builder.build(), dictionaryLimit: 0)
            prepared.externalCodes = column
            return column
        }
    }

    /// The field named `name`, matched case-insensitively, prepared on first use.
    func field(named name: String) -> IndexedField? {
        let key = name.lowercased()
        return columns.firstIndex { $0.key == key }.map(field(at:))
    }

    /// The first 16 hex digits of `bytes` as a number, left-aligned: fewer digits leave low bits zero.
    private static func hexPrefix<Bytes: RandomAccessCollection<UInt8>>(_ bytes: Bytes) -> UInt64
    where Bytes.Index == Int {
        var value: UInt64 = 0
        for index in 0..<16 {
            var digit: UInt64 = 0
            if index < bytes.count {
                let byte = bytes[index]
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt64(byte - UInt8(ascii: "0"))
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt64(byte - UInt8(ascii: "a") + 10)
                default: digit = 0
                }
            }
            value = value << 4 | digit
        }
        return value
    }

    private struct ExternalCodePrefix {
        let text: String
        let value: UInt64
        let mask: UInt64
    }

    private static func externalCodePrefix(_ needle: [UInt8]) -> ExternalCodePrefix? {
        let isHex = needle.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
        guard isHex, needle.count >= 6, needle.count <= 64 else { return nil }
        let digits = min(16, needle.count)
        let mask: UInt64 = digits == 16 ? ~0 : ~(~0 >> UInt64(4 * digits))
        let value = hexPrefix(needle) & mask
        return ExternalCodePrefix(text: String(decoding: needle, as: UTF8.self), value: value, mask: mask)
    }

    /// The first 8 bytes of each code are its first 16 hex digits: compared as one number, then the rest of a longer
    /// prefix as text.
    private func addRows(
        withExternalCodePrefix prefix: ExternalCodePrefix, in rows: Range<Int>,
        to words: UnsafeMutableBufferPointer<UInt64>
    ) {
        let codes = externalCodes
        for row in rows where codes.prefix(row) & prefix.mask == prefix.value {
            if prefix.text.utf8.count <= 16 || codes[row].hasPrefix(prefix.text) {
                words[row >> 6] |= 1 << UInt64(row & 63)
            }
        }
    }

    /// The digits of a search that looks like a phone number typed with separators, if it has at least three.
    private static func phoneDigits(in needle: [UInt8]) -> [UInt8]? {
        let separators: Set<UInt8> = Set(" +-.()/".utf8)
        guard needle.allSatisfy({ (0x30...0x39).contains($0) || separators.contains($0) }) else { return nil }
        let digits = needle.filter { (0x30...0x39).contains($0) }
        return digits.count >= 3 && digits.count < needle.count ? digits : nil
    }
}
