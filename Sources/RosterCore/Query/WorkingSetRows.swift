import Crypto
import Dispatch
import Foundation
import GRDB

/// Rows of a working set being built: sealed customer records are opened and decoded straight into these compact
/// columns, with no `Customer`, dictionary or `String` per row.
struct WorkingSetRows {
    var rowIDs: [Int64] = []
    /// 32 bytes per row.
    var codes: [UInt8] = []
    var crmIds: TextColumnBuilder
    var emails: TextColumnBuilder
    var phones: TextColumnBuilder
    var consent: [UInt8] = []
    /// One per field of the layout, in its order.
    var fields: [TextColumnBuilder]

    init(fieldCount: Int, capacity: Int) {
        rowIDs.reserveCapacity(capacity)
        codes.reserveCapacity(capacity * 32)
        consent.reserveCapacity(capacity)
        crmIds = TextColumnBuilder(capacity: capacity, bytesPerRow: 12)
        emails = TextColumnBuilder(capacity: capacity, bytesPerRow: 28)
        phones = TextColumnBuilder(capacity: capacity, bytesPerRow: 14)
        fields = (0..<fieldCount).map { _ in TextColumnBuilder(capacity: capacity, bytesPerRow: 10) }
    }

    var count: Int { rowIDs.count }

    mutating func append(contentsOf other: WorkingSetRows) {
        rowIDs += other.rowIDs
        codes += other.codes
        crmIds.append(contentsOf: other.crmIds)
        emails.append(contentsOf: other.emails)
        phones.append(contentsOf: other.phones)
        consent += other.consent
        for index in fields.indices { fields[index].append(contentsOf: other.fields[index]) }
    }

    /// Reserves room for `total` rows (an exact count), in the text columns at the bytes per row they hold so far
    /// and 5% more, but never more than `maximumBytes` for one column: the first guesses are small, and a column
    /// that outgrows its room doubles it, copying itself (at a million customers a spike of ~40 MB at the end of
    /// a bulk import, and up to twice the room kept).
    mutating func reserve(rows total: Int, maximumBytes: Int) {
        guard count > 0, total > count else { return }
        rowIDs.reserveCapacity(total)
        codes.reserveCapacity(total * 32)
        consent.reserveCapacity(total)
        let rows = Double(count)
        func reserve(_ column: inout TextColumnBuilder) {
            let projected = Double(column.bytes.count) / rows * Double(total) * 1.05
            column.reserve(rows: total, bytes: Int(min(projected, Double(maximumBytes))) + 4096)
        }
        reserve(&crmIds)
        reserve(&emails)
        reserve(&phones)
        for index in fields.indices { reserve(&fields[index]) }
    }

    /// The working set of these rows, with the device count of each.
    func build(layout: WorkingSetLayout, deviceCounts: [Int32]) -> WorkingSet {
        WorkingSet(
            rowIDs: rowIDs, externalCodes: ExternalCodeColumn(raw: codes), crmIds: crmIds.build(),
            emails: emails.build(), phones: phones.build(), consent: ConsentColumn(bits: consent),
            deviceCounts: deviceCounts,
            columns: layout.fields.indices.map {
                WorkingSet.Column(
                    name: layout.fields[$0].name, type: layout.fields[$0].type, values: fields[$0].build())
            })
    }
}

/// The fields of a working set: the store's field registry, sorted by key.
struct WorkingSetLayout: Equatable {
    struct Field: Equatable {
        let key: String
        let name: String
        let type: FieldType
    }

    let fields: [Field]
    /// The keys' UTF-8, to match a record's field keys without making strings.
    let keyBytes: [[UInt8]]

    init(fields: [Field]) {
        self.fields = fields.sorted { $0.key < $1.key }
        keyBytes = self.fields.map { Array($0.key.utf8) }
    }

    /// The field registry as it is in the database now.
    static func current(_ db: Database) throws -> WorkingSetLayout {
        var fields: [Field] = []
        for row in try Row.fetchAll(db, sql: "SELECT key, name, type FROM field") {
            let key: String = row["key"]
            guard let type = FieldType(rawValue: row["type"]) else {
                throw RosterError.integrity(what: "the type of field \(key)")
            }
            fields.append(Field(key: key, name: row["name"], type: type))
        }
        return WorkingSetLayout(fields: fields)
    }

    /// The column of a record's field key, trying `hint` first (records and layouts both sort keys).
    func index(of key: UnsafeBufferPointer<UInt8>, hint: Int) -> Int? {
        func matches(_ index: Int) -> Bool {
            keyBytes[index].withUnsafeBufferPointer { $0.elementsEqual(key) }
        }
        if hint < keyBytes.count, matches(hint) { return hint }
        return keyBytes.indices.first(where: matches)
    }
}

/// A batch of sealed customer rows copied out of SQLite into two flat buffers.
struct SealedCustomerBatch {
    var rowIDs: [Int64] = []
    var salts: [UInt8] = []
    var saltEnds: [Int] = []
    var records: [UInt8] = []
    var recordEnds: [Int] = []

    var count: Int { rowIDs.count }

    mutating func removeAll() {
        rowIDs.removeAll(keepingCapacity: true)
        salts.removeAll(keepingCapacity: true)
        saltEnds.removeAll(keepingCapacity: true)
        records.removeAll(keepingCapacity: true)
        recordEnds.removeAll(keepingCapacity: true)
    }

    /// Appends the current row of a `SELECT id, keySalt, record` cursor, without an intermediate `Data` per value.
    mutating func append(_ row: Row) throws {
        rowIDs.append(row[0])
        try row.withUnsafeData(atIndex: 1) { data in
            if let data { salts.append(contentsOf: data) }
        }
        saltEnds.append(salts.count)
        try row.withUnsafeData(atIndex: 2) { data in
            if let data { records.append(contentsOf: data) }
        }
        recordEnds.append(records.count)
    }
}

/// Opens and decodes sealed customers into `WorkingSetRows`.
struct CustomerRecordDecoder: @unchecked Sendable {
    let keys: KeyRing
    let layout: WorkingSetLayout

    /// Decodes `batch` on all cores (halves in order) and appends the rows to `rows`.
    func decode(_ batch: SealedCustomerBatch, into rows: inout WorkingSetRows) throws {
        let parts = batch.count < 512 ? 1 : max(1, min(ProcessInfo.processInfo.activeProcessorCount, 8))
        let chunk = (batch.count + parts - 1) / parts
        let decoder = self
        let results = try Parallel.tryMap(parts) { part in
            try decoder.decode(batch, min(batch.count, part * chunk)..<min(batch.count, (part + 1) * chunk))
        }
        for result in results { rows.append(contentsOf: result) }
    }

    /// Decodes rows `range` of a batch.
    func decode(_ batch: SealedCustomerBatch, _ range: Range<Int>) throws -> WorkingSetRows {
        var rows = WorkingSetRows(fieldCount: layout.fields.count, capacity: range.count)
        var aad = CustomerRecordAAD()
        var slots = [(start: Int, count: Int)?](repeating: nil, count: layout.fields.count)
        var plain: [UInt8] = []
        plain.reserveCapacity(512)
        try batch.salts.withUnsafeBufferPointer { salts in
            try batch.records.withUnsafeBufferPointer { records in
                for index in range {
                    let rowID = batch.rowIDs[index]
                    let saltStart = index == 0 ? 0 : batch.saltEnds[index - 1]
                    let recordStart = index == 0 ? 0 : batch.recordEnds[index - 1]
                    aad.set(rowID: rowID)
                    let salt = UnsafeRawBufferPointer(
                        UnsafeBufferPointer(rebasing: salts[saltStart..<batch.saltEnds[index]]))
                    let box = UnsafeRawBufferPointer(
                        UnsafeBufferPointer(rebasing: records[recordStart..<batch.recordEnds[index]]))
                    guard box.count > Sealer.overhead else {
                        throw RosterError.integrity(what: "customer #\(rowID) (record)")
                    }
                    plain.removeAll(keepingCapacity: true)
                    plain.appendZeros(box.count - Sealer.overhead)
                    let opened = plain.withUnsafeMutableBytes { out in
                        aad.withUnsafeBytes { aadBytes in
                            keys.withCustomerKey(salt: salt) { key in
                                BoringPrimitives.GCM.open(
                                    key: key, nonce: UnsafeRawBufferPointer(rebasing: box[..<12]),
                                    sealed: UnsafeRawBufferPointer(rebasing: box[12...]), associatedData: aadBytes,
                                    into: out.baseAddress!)
                            }
                        }
                    }
                    guard opened else { throw RosterError.integrity(what: "customer #\(rowID) (record)") }
                    try plain.withUnsafeBytes { bytes in
                        do {
                            try append(
                                record: bytes.bindMemory(to: UInt8.self), rowID: rowID, to: &rows, slots: &slots)
                        } catch {
                            throw RosterError.integrity(what: "customer #\(rowID) (record layout)")
                        }
                    }
                }
            }
        }
        return rows
    }

    /// Decodes plain records (`RecordSpill.Part` layout: the bulk import keeps them) into rows, except those in
    /// `removed`.
    func decode(plain: [UInt8], skipping removed: Bitset) throws -> WorkingSetRows {
        var rows = WorkingSetRows(fieldCount: layout.fields.count, capacity: plain.count / 100)
        var slots = [(start: Int, count: Int)?](repeating: nil, count: layout.fields.count)
        let complete = try plain.withUnsafeBytes { bytes in
            try RecordSpill.Part.forEach(in: bytes) { rowID, record in
                guard !removed.contains(Int(rowID)) else { return }
                do {
                    try append(record: record, rowID: rowID, to: &rows, slots: &slots)
                } catch {
                    throw RosterError.integrity(what: "customer #\(rowID) (record layout)")
                }
            }
        }
        guard complete else { throw RosterError.integrity(what: "the import's record spill") }
        return rows
    }

    /// Decodes one record (the layout of `RecordCodec.encode(_: Customer)`) into `rows`.
    func append(
        record: UnsafeBufferPointer<UInt8>, rowID: Int64, to rows: inout WorkingSetRows,
        slots: inout [(start: Int, count: Int)?]
    ) throws {
        var reader = RecordBytes(record)
        guard try reader.byte() == RecordCodec.customerVersion else { throw RecordReader.Malformed() }
        let crmId = try reader.string()
        let code = try reader.string()
        _ = try reader.string()  // origin
        let email = try reader.optionalString()
        let phone = try reader.optionalString()
        let consent = Consent(email: try reader.bool(), sms: try reader.bool(), push: try reader.bool())
        for index in slots.indices { slots[index] = nil }
        var hint = 0
        for _ in 0..<(try reader.uint()) {
            let key = try reader.string()
            _ = try reader.string()  // the type, as in the registry
            let value = try reader.string()
            if let column = layout.index(of: UnsafeBufferPointer(rebasing: record[key]), hint: hint) {
                slots[column] = (value.lowerBound, value.count)
                hint = column + 1
            }
        }
        for _ in 0..<(try reader.uint()) {
            _ = try reader.uint()
            _ = try reader.string()
            _ = try reader.string()
        }
        _ = try reader.uint()
        _ = try reader.uint()
        guard reader.isAtEnd, code.count == 64 else { throw RecordReader.Malformed() }
        try Hex.appendDecoded(UnsafeBufferPointer(rebasing: record[code]), to: &rows.codes)
        rows.rowIDs.append(rowID)
        rows.crmIds.append(utf8: UnsafeBufferPointer(rebasing: record[crmId]))
        if let email {
            rows.emails.append(utf8: UnsafeBufferPointer(rebasing: record[email]))
        } else {
            rows.emails.appendMissing()
        }
        if let phone {
            rows.phones.append(utf8: UnsafeBufferPointer(rebasing: record[phone]))
        } else {
            rows.phones.appendMissing()
        }
        rows.consent.append(ConsentColumn.bits(consent))
        for index in slots.indices {
            if let slot = slots[index] {
                rows.fields[index].append(
                    utf8: UnsafeBufferPointer(rebasing: record[slot.start..<slot.start + slot.count]))
            } else {
                rows.fields[index].appendMissing()
            }
        }
    }
}

/// Reads `RecordWriter`'s encoding from a buffer, giving strings as ranges of it.
struct RecordBytes {
    let buffer: UnsafeBufferPointer<UInt8>
    var position = 0

    init(_ buffer: UnsafeBufferPointer<UInt8>) { self.buffer = buffer }

    var isAtEnd: Bool { position == buffer.count }

    mutating func byte() throws -> UInt8 {
        guard position < buffer.count else { throw RecordReader.Malformed() }
        defer { position += 1 }
        return buffer[position]
    }

    mutating func bool() throws -> Bool {
        let value = try byte()
        guard value <= 1 else { throw RecordReader.Malformed() }
        return value == 1
    }

    mutating func uint() throws -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard position < buffer.count, shift < 64 else { throw RecordReader.Malformed() }
            let byte = buffer[position]
            position += 1
            result |= UInt64(byte & 0x7f) << shift
            if byte < 0x80 { return result }
            shift += 7
        }
    }

    mutating func string() throws -> Range<Int> {
        let count = try uint()
        guard count <= UInt64(buffer.count - position) else { throw RecordReader.Malformed() }
        defer { position += Int(count) }
        return position..<position + Int(count)
    }

    mutating func optionalString() throws -> Range<Int>? {
        try bool() ? try string() : nil
    }
}

extension Hex {
    /// Each byte's value as a hex digit (either case), or 0xFF.
    private static let nibbles: [UInt8] = (0..<256).map { byte in
        switch byte {
        case 0x30...0x39: return UInt8(byte - 0x30)
        case 0x61...0x66: return UInt8(byte - 0x61 + 10)
        case 0x41...0x46: return UInt8(byte - 0x41 + 10)
        default: return 0xFF
        }
    }

    /// Appends the bytes of 64 hex digits (an externalCode); throws when they are not that.
    static func appendDecoded(_ text: UnsafeBufferPointer<UInt8>, to bytes: inout [UInt8]) throws {
        guard text.count == 64 else { throw RecordReader.Malformed() }
        let valid = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 32) { decoded in
            nibbles.withUnsafeBufferPointer { nibbles in
                var invalid: UInt8 = 0
                for index in 0..<32 {
                    let high = nibbles[Int(text[index * 2])]
                    let low = nibbles[Int(text[index * 2 + 1])]
                    invalid |= (high | low) & 0xF0
                    decoded[index] = high << 4 | (low & 0x0F)
                }
                if invalid == 0 { bytes.append(contentsOf: decoded) }
                return invalid == 0
            }
        }
        guard valid else { throw RecordReader.Malformed() }
    }
}

/// Builds a working set from customers a caller already holds in clear (the bulk import, as it seals them), so the
/// snapshot can be saved without decrypting them again. Rows must come in ascending row id.
struct WorkingSetBuilder {
    private let layout: WorkingSetLayout
    private var rows: WorkingSetRows
    private var slots: [String?]

    /// `fields`: the store's field registry as it will be when the rows are committed.
    init(fields: [(key: String, name: String, type: FieldType)], capacity: Int = 0) {
        layout = WorkingSetLayout(fields: fields.map { .init(key: $0.key, name: $0.name, type: $0.type) })
        rows = WorkingSetRows(fieldCount: layout.fields.count, capacity: capacity)
        slots = Array(repeating: nil, count: layout.fields.count)
    }

    var count: Int { rows.count }

    /// Appends one customer; `externalCode` is the raw 32-byte code, `fields` are (lower-cased key, value).
    mutating func append(
        rowID: Int64, externalCode: [UInt8], crmId: String, email: String?, phone: String?, consent: Consent,
        fields: [(key: String, value: String)]
    ) {
        precondition(externalCode.count == 32, "an externalCode is 32 bytes")
        precondition(rows.rowIDs.last.map { $0 < rowID } ?? true, "rows come in ascending row id")
        for index in slots.indices { slots[index] = nil }
        for field in fields {
            if let column = layout.fields.firstIndex(where: { $0.key == field.key }) { slots[column] = field.value }
        }
        rows.rowIDs.append(rowID)
        rows.codes += externalCode
        rows.crmIds.append(crmId)
        rows.emails.append(email)
        rows.phones.append(phone)
        rows.consent.append(ConsentColumn.bits(consent))
        for index in slots.indices { rows.fields[index].append(slots[index]) }
    }

    /// The working set (no customer has a device yet in a first import; pass counts otherwise).
    func build(deviceCounts: [Int32]? = nil) -> WorkingSet {
        rows.build(layout: layout, deviceCounts: deviceCounts ?? Array(repeating: 0, count: rows.count))
    }
}
