import Foundation

/// What filters, the console's search and sorting need from a working set, computed once when the set is built.
///
/// Text is folded (case and accents removed) into one buffer per column, dates become integers, numbers become
/// doubles: every filter then scans flat arrays, a few milliseconds for a million customers, and nothing here holds
/// a `String` per row beyond what the working set already holds.
public final class FilterIndex: @unchecked Sendable {
    /// The number of customers.
    public let count: Int
    let rowIDs: [Int64]
    /// One per working-set column, in the same order (by key).
    let fields: [IndexedField]
    let emails: FoldedTextColumn
    let phones: FoldedTextColumn
    let crmIds: FoldedTextColumn
    let externalCodes: [String]
    let hasEmail: RowSet
    let hasSMS: RowSet
    let hasPush: RowSet
    let consentEmail: RowSet
    let consentSMS: RowSet
    let consentPush: RowSet

    // Only a filter on externalCode needs the folded codes (65 MB at a million customers), and only a search that
    // looks like a code needs their prefixes; reading a million 64-character strings took a third of the time of
    // building everything else, so both are built on first use. The lock makes that safe from several threads.
    private let lock = NSLock()
    private var foldedExternalCodes: FoldedTextColumn?
    private var externalCodePrefixStorage: [UInt64]?

    /// Prepares `workingSet` for filtering; reuse the index for every filter on that set.
    public init(_ workingSet: WorkingSet) {
        count = workingSet.count
        rowIDs = workingSet.rowIDs
        fields = workingSet.columns.map(IndexedField.init)
        emails = FoldedTextColumn(workingSet.emails)
        phones = FoldedTextColumn(workingSet.phones)
        crmIds = FoldedTextColumn(workingSet.crmIds)
        externalCodes = workingSet.externalCodes
        let consent = workingSet.consent
        let deviceCounts = workingSet.deviceCounts
        let (emails, phones) = (self.emails, self.phones)
        hasEmail = RowSet.matching(count: count) { emails.length($0) > 0 }
        hasSMS = RowSet.matching(count: count) { phones.length($0) > 0 }
        hasPush = RowSet.matching(count: count) { deviceCounts[$0] > 0 }
        consentEmail = RowSet.matching(count: count) { consent[$0].email && emails.length($0) > 0 }
        consentSMS = RowSet.matching(count: count) { consent[$0].sms && phones.length($0) > 0 }
        consentPush = RowSet.matching(count: count) { consent[$0].push && deviceCounts[$0] > 0 }
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
        var columns = fields.compactMap { field -> FoldedTextColumn? in
            if case .text(let column) = field.storage { return column }
            return nil
        }
        columns += [crmIds, emails, phones]
        let phoneDigits = FilterIndex.phoneDigits(in: needle)
        let codePrefix = FilterIndex.externalCodePrefix(needle)
        let phones = self.phones
        let prefixes = codePrefix == nil ? [] : externalCodePrefixes
        let rows = RowSet.filled(count: count) { rows, words in
            for column in columns { column.addRows(containing: needle, in: rows, to: words) }
            if let phoneDigits { phones.addRows(containing: phoneDigits, in: rows, to: words) }
            if let codePrefix {
                self.addRows(withExternalCodePrefix: codePrefix, prefixes: prefixes, in: rows, to: words)
            }
        }
        return rows.indices()
    }

    /// Every row ordered by the folded `name` field (`Álvaro` among the a's), rows without a name last, ties by row
    /// id.
    public func sortedByName(ascending: Bool = true) -> [Int32] {
        let nameField = fields.first { $0.key == "name" }
        guard case .text(let names)? = nameField?.storage else { return (0..<Int32(count)).map { $0 } }
        return CustomerSort(column: names, rowIDs: rowIDs).sorted(ascending: ascending)
    }

    /// The externalCodes folded into a text column, built on first use.
    var externalCodeColumn: FoldedTextColumn {
        lock.lock()
        defer { lock.unlock() }
        if let foldedExternalCodes { return foldedExternalCodes }
        let column = FoldedTextColumn(externalCodes.map { Optional($0) })
        foldedExternalCodes = column
        return column
    }

    /// The first 16 hex digits of each externalCode as a number, for prefix search without touching the strings;
    /// built on first use.
    var externalCodePrefixes: [UInt64] {
        lock.lock()
        defer { lock.unlock() }
        if let externalCodePrefixStorage { return externalCodePrefixStorage }
        let prefixes = FilterIndex.prefixes(of: externalCodes)
        externalCodePrefixStorage = prefixes
        return prefixes
    }

    /// The field named `name`, matched case-insensitively.
    func field(named name: String) -> IndexedField? {
        let key = name.lowercased()
        return fields.first { $0.key == key }
    }

    private static func prefixes(of codes: [String]) -> [UInt64] {
        [UInt64](unsafeUninitializedCapacity: codes.count) { buffer, initialized in
            let buffer = buffer
            RowSet.forEachChunk(count: codes.count) { rows in
                for row in rows {
                    let prefix =
                        codes[row].utf8.withContiguousStorageIfAvailable(hexPrefix) ?? hexPrefix(Array(codes[row].utf8))
                    (buffer.baseAddress! + row).initialize(to: prefix)
                }
            }
            initialized = codes.count
        }
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

    private func addRows(
        withExternalCodePrefix prefix: ExternalCodePrefix, prefixes: [UInt64], in rows: Range<Int>,
        to words: UnsafeMutableBufferPointer<UInt64>
    ) {
        for row in rows where prefixes[row] & prefix.mask == prefix.value {
            if externalCodes[row].hasPrefix(prefix.text) { words[row >> 6] |= 1 << UInt64(row & 63) }
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
