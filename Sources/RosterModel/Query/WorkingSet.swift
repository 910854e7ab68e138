import Foundation

/// A decrypted, columnar, in-memory view of every customer of a store, for filters, sorting and the console.
///
/// It is built at unlock (from the store's encrypted snapshot) and never written to disk in clear.
/// Row `i` of every column describes the same customer; rows are in store order (row id).
///
/// The columns are compact: text is one UTF-8 buffer per column with a start offset per row, externalCodes are
/// 32 raw bytes each, consent is one byte per row. Nothing holds a `String` per row; `set.email(at: row)`,
/// `set.emails[row]` and the like make one on demand.
public struct WorkingSet: Sendable {
    /// One customer field as a column: a value (or nil) per row.
    public struct Column: Sendable {
        /// The field name as first written (`Name`).
        public let name: String
        /// The lower-cased name fields are matched by (`name`).
        public let key: String
        public let type: FieldType
        public var values: TextColumn

        public init(name: String, type: FieldType, values: TextColumn) {
            self.name = name
            self.key = name.lowercased()
            self.type = type
            self.values = values
        }

        public init(name: String, type: FieldType, values: [String?]) {
            self.init(name: name, type: type, values: TextColumn(values))
        }
    }

    public var rowIDs: [Int64]
    public var externalCodes: ExternalCodeColumn
    /// Every customer has a CRM id: `crmId(at:)` reads it as a non-optional `String`.
    public var crmIds: TextColumn
    public var emails: TextColumn
    public var phones: TextColumn
    public var consent: ConsentColumn
    /// Devices logged in as each customer.
    public var deviceCounts: [Int32]
    /// One column per known field, sorted by key.
    public var columns: [Column]

    /// The number of customers.
    public var count: Int { rowIDs.count }

    public init(
        rowIDs: [Int64], externalCodes: ExternalCodeColumn, crmIds: TextColumn, emails: TextColumn,
        phones: TextColumn, consent: ConsentColumn, deviceCounts: [Int32], columns: [Column]
    ) {
        precondition(
            [externalCodes.count, crmIds.count, emails.count, phones.count, consent.count, deviceCounts.count]
                .allSatisfy { $0 == rowIDs.count } && columns.allSatisfy { $0.values.count == rowIDs.count },
            "every column of a working set has one entry per customer")
        self.rowIDs = rowIDs
        self.externalCodes = externalCodes
        self.crmIds = crmIds
        self.emails = emails
        self.phones = phones
        self.consent = consent
        self.deviceCounts = deviceCounts
        self.columns = columns.sorted { $0.key < $1.key }
    }

    /// A working set from values as strings (tests, benchmarks, small stores); externalCodes are 64 hex digits.
    public init(
        rowIDs: [Int64], externalCodes: [String], crmIds: [String], emails: [String?], phones: [String?],
        consent: [Consent], deviceCounts: [Int32], columns: [Column]
    ) {
        self.init(
            rowIDs: rowIDs, externalCodes: ExternalCodeColumn(externalCodes), crmIds: TextColumn(crmIds.map { $0 }),
            emails: TextColumn(emails), phones: TextColumn(phones), consent: ConsentColumn(consent),
            deviceCounts: deviceCounts, columns: columns)
    }

    /// A working set of a few customers, for tests and small stores: fields become columns by name.
    public init(customers: [Customer], deviceCounts: [Int64: Int] = [:], fieldNames: [String: String] = [:]) {
        var types: [String: FieldType] = [:]
        for customer in customers {
            for (key, value) in customer.fields where types[key] == nil { types[key] = value.type }
        }
        let columns = types.keys.sorted().map { key in
            Column(
                name: fieldNames[key] ?? key, type: types[key]!, values: customers.map { $0.fields[key]?.value })
        }
        self.init(
            rowIDs: customers.map(\.rowID), externalCodes: customers.map(\.externalCode),
            crmIds: customers.map(\.crmId), emails: customers.map(\.email), phones: customers.map(\.phone),
            consent: customers.map(\.consent),
            deviceCounts: customers.map { Int32(deviceCounts[$0.rowID] ?? 0) }, columns: columns)
    }

    /// The column of a field, matched case-insensitively (`$Name` finds `name`).
    public func column(named name: String) -> Column? {
        let key = name.lowercased()
        return columns.first { $0.key == key }
    }

    /// The index of a field's column, matched case-insensitively.
    public func columnIndex(named name: String) -> Int? {
        let key = name.lowercased()
        return columns.firstIndex { $0.key == key }
    }

    // MARK: - One customer's values

    /// The store row id of row `row`.
    public func rowID(at row: Int) -> Int64 { rowIDs[row] }
    /// The externalCode of row `row`, as 64 lowercase hex digits.
    public func externalCode(at row: Int) -> String { externalCodes[row] }
    /// The CRM id of row `row`.
    public func crmId(at row: Int) -> String { crmIds[row] ?? "" }
    public func email(at row: Int) -> String? { emails[row] }
    public func phone(at row: Int) -> String? { phones[row] }
    public func consent(at row: Int) -> Consent { consent[row] }
    public func deviceCount(at row: Int) -> Int { Int(deviceCounts[row]) }
    /// The value of field column `column` (an index into `columns`) at row `row`.
    public func value(column: Int, at row: Int) -> String? { columns[column].values[row] }
}

/// A column of optional text: the UTF-8 of every present value, each followed by a NUL, in one buffer, and where
/// each row starts. A missing value has no bytes at all (not even the NUL), so a row is present exactly when it is
/// not empty, and `""` is one NUL. Values may contain NUL themselves: their length comes from the offsets.
///
/// The layout is the one filters scan: a column whose values are already folded (lower-case ASCII, like emails and
/// phones) is searched in place, without a folded copy.
public struct TextColumn: Sendable {
    /// The values' UTF-8, each present one followed by a NUL.
    public internal(set) var bytes: [UInt8]
    /// Where each row starts in `bytes`; `starts[count]` is the end of the buffer.
    public internal(set) var starts: [UInt32]

    /// The number of rows.
    public var count: Int { starts.count - 1 }

    package init(bytes: [UInt8], starts: [UInt32]) {
        precondition(!starts.isEmpty && Int(starts[starts.count - 1]) == bytes.count, "offsets end at the buffer end")
        self.bytes = bytes
        self.starts = starts
    }

    public init(_ values: [String?]) {
        var builder = TextColumnBuilder(capacity: values.count)
        for value in values { builder.append(value) }
        self = builder.build()
    }

    /// The value of `row`, or nil when it is missing.
    public subscript(row: Int) -> String? {
        let start = Int(starts[row])
        let end = Int(starts[row + 1])
        guard end > start else { return nil }
        return bytes.withUnsafeBufferPointer {
            String(decoding: UnsafeBufferPointer(rebasing: $0[start..<end - 1]), as: UTF8.self)
        }
    }

    /// Whether `row` has a value (possibly empty).
    @inline(__always)
    public func isPresent(_ row: Int) -> Bool { starts[row + 1] > starts[row] }

    /// The UTF-8 length of the value at `row`; 0 when missing or empty.
    @inline(__always)
    public func length(_ row: Int) -> Int { max(0, Int(starts[row + 1]) - Int(starts[row]) - 1) }

    /// Calls `body` with the UTF-8 of `row` (nil when missing), without making a `String`.
    public func withUTF8<Result>(_ row: Int, _ body: (UnsafeBufferPointer<UInt8>?) throws -> Result) rethrows
        -> Result
    {
        let start = Int(starts[row])
        let end = Int(starts[row + 1])
        guard end > start else { return try body(nil) }
        return try bytes.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[start..<end - 1])) }
    }

    /// Whether the value of `row` is missing or only white space, as templates count a value as absent.
    public func isBlank(_ row: Int) -> Bool {
        withUTF8(row) { utf8 in
            guard let utf8 else { return true }
            return Template.isBlank(utf8: utf8)
        }
    }

    /// Whether every value is already in folded form (lower-case ASCII without NUL), so filters can scan it as is.
    var isFolded: Bool { isASCII(withoutLettersFrom: 0x41) }
}

/// Accumulates a `TextColumn` row by row.
package struct TextColumnBuilder {
    private(set) var bytes: [UInt8] = []
    private(set) var starts: [UInt32] = [0]

    package init(capacity: Int, bytesPerRow: Int = 12) {
        starts.reserveCapacity(capacity + 1)
        bytes.reserveCapacity(capacity * bytesPerRow)
    }

    var count: Int { starts.count - 1 }

    mutating func append(_ value: String?) {
        guard var value else { return appendMissing() }
        value.withUTF8 { append(utf8: $0) }
    }

    package mutating func append(utf8: UnsafeBufferPointer<UInt8>) {
        bytes.append(contentsOf: utf8)
        bytes.append(0)
        endRow()
    }

    package mutating func appendMissing() {
        starts.append(starts[starts.count - 1])
    }

    /// Appends rows `range` of `column`, their bytes copied in one piece.
    package mutating func appendRows(of column: TextColumn, _ range: Range<Int>) {
        guard !range.isEmpty else { return }
        let first = Int(column.starts[range.lowerBound])
        let last = Int(column.starts[range.upperBound])
        let shift = bytes.count - first
        bytes.append(contentsOf: column.bytes[first..<last])
        precondition(bytes.count < Int(UInt32.max), "a text column holds less than 4 GiB")
        column.starts.withUnsafeBufferPointer { source in
            for row in range { starts.append(UInt32(Int(source[row + 1]) + shift)) }
        }
    }

    package mutating func reserveBytes(_ count: Int) { bytes.reserveCapacity(count) }

    mutating func reserve(rows: Int, bytes count: Int) {
        starts.reserveCapacity(rows + 1)
        bytes.reserveCapacity(count)
    }

    package mutating func appendMissing(count: Int) {
        starts.append(contentsOf: repeatElement(starts[starts.count - 1], count: count))
    }

    /// Appends every row of `other` after these.
    mutating func append(contentsOf other: TextColumnBuilder) {
        let base = UInt32(bytes.count)
        bytes.append(contentsOf: other.bytes)
        // Grown as `append` grows it (doubling): reserving the exact count here reallocated it for every part.
        if starts.capacity < starts.count + other.count {
            starts.reserveCapacity(max(starts.count + other.count, 2 * starts.capacity))
        }
        for index in 1..<other.starts.count { starts.append(base + other.starts[index]) }
        precondition(bytes.count < Int(UInt32.max), "a text column holds less than 4 GiB")
    }

    @inline(__always)
    private mutating func endRow() {
        precondition(bytes.count < Int(UInt32.max), "a text column holds less than 4 GiB")
        starts.append(UInt32(truncatingIfNeeded: bytes.count))
    }

    package func build() -> TextColumn { TextColumn(bytes: bytes, starts: starts) }
}

/// externalCodes as their 32 raw bytes each (the hex text is made on demand): 32 MB for a million customers, where
/// a `String` each took 100.
public struct ExternalCodeColumn: Sendable {
    /// 32 bytes per row.
    public internal(set) var raw: [UInt8]

    public var count: Int { raw.count / 32 }

    package init(raw: [UInt8]) {
        precondition(raw.count % 32 == 0, "32 bytes per externalCode")
        self.raw = raw
    }

    /// Codes given as 64 hex digits each.
    public init(_ codes: [String]) {
        var raw: [UInt8] = []
        raw.reserveCapacity(codes.count * 32)
        for code in codes { raw += ExternalCodeColumn.bytes(of: code) }
        self.init(raw: raw)
    }

    /// The code of `row` as 64 lowercase hex digits.
    public subscript(row: Int) -> String {
        raw.withUnsafeBufferPointer { buffer in
            String(unsafeUninitializedCapacity: 64) { text in
                let digits: StaticString = "0123456789abcdef"
                for index in 0..<32 {
                    let byte = buffer[row * 32 + index]
                    text[index * 2] = digits.utf8Start[Int(byte >> 4)]
                    text[index * 2 + 1] = digits.utf8Start[Int(byte & 15)]
                }
                return 64
            }
        }
    }

    /// The first 8 bytes of `row`'s code as a big-endian number: its first 16 hex digits.
    @inline(__always)
    func prefix(_ row: Int) -> UInt64 {
        raw.withUnsafeBufferPointer { buffer in
            var value: UInt64 = 0
            for index in 0..<8 { value = value << 8 | UInt64(buffer[row * 32 + index]) }
            return value
        }
    }

    static func bytes(of code: String) -> [UInt8] {
        guard code.utf8.count == 64, let bytes = Hex.decode(code) else {
            preconditionFailure("an externalCode is 64 hex digits")
        }
        return bytes
    }
}

/// Consent as three bits per customer: email 1, sms 2, push 4.
public struct ConsentColumn: Sendable {
    public internal(set) var bits: [UInt8]

    public var count: Int { bits.count }

    package init(bits: [UInt8]) { self.bits = bits }

    public init(_ consent: [Consent]) { bits = consent.map(ConsentColumn.bits) }

    public subscript(row: Int) -> Consent {
        let value = bits[row]
        return Consent(email: value & 1 != 0, sms: value & 2 != 0, push: value & 4 != 0)
    }

    @inline(__always)
    package static func bits(_ consent: Consent) -> UInt8 {
        (consent.email ? 1 : 0) | (consent.sms ? 2 : 0) | (consent.push ? 4 : 0)
    }
}
