import Crypto
import Dispatch
import Foundation
import GRDB
import RosterConcurrency
import RosterModel

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
struct CustomerRecordDecoder: Sendable {
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

extension WorkingSetLayout {
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
}
