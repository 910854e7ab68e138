import Dispatch
import Foundation
import GRDB

/// The working set kept on disk between commands, sealed: one AES-GCM message per column.
///
/// Decrypting every customer costs about a second per million; opening a dozen large sealed
/// blobs and splitting them into strings costs a fraction of that. A snapshot carries the data
/// version it was made at and is ignored once any write has bumped the version.
enum WorkingSetSnapshot {
    static func context(_ version: Int64, part: Int) -> SealContext {
        SealContext(kind: "snapshot", id: version, column: "part\(part)")
    }

    static func save(_ set: WorkingSet, version: Int64, to store: Store) throws {
        var parts: [[UInt8]] = []
        var meta = RecordWriter(version: 1)
        meta.write(UInt64(set.count))
        meta.write(UInt64(set.columns.count))
        for column in set.columns {
            meta.write(column.name)
            meta.write(column.type.rawValue)
        }
        parts.append(meta.bytes)
        var ids = RecordWriter(version: 1, capacity: set.count * 2)
        var previous: Int64 = 0
        for rowID in set.rowIDs {
            ids.write(rowID - previous)
            previous = rowID
        }
        parts.append(ids.bytes)
        parts.append(encode(set.externalCodes.map { Optional($0) }))
        parts.append(encode(set.crmIds.map { Optional($0) }))
        parts.append(encode(set.emails))
        parts.append(encode(set.phones))
        parts.append(
            [1] + set.consent.map { UInt8($0.email ? 1 : 0) | ($0.sms ? 2 : 0) | ($0.push ? 4 : 0) })
        var devices = RecordWriter(version: 1, capacity: set.count)
        for count in set.deviceCounts { devices.write(UInt64(count)) }
        parts.append(devices.bytes)
        for column in set.columns { parts.append(encode(column.values)) }

        let sealed = try parts.enumerated().map { index, bytes in
            try Sealer.seal(bytes, key: store.keys.recordKey, context: context(version, part: index))
        }
        try store.db.write { db in
            guard try store.dataVersion(db) == version else { return }
            try db.execute(sql: "DELETE FROM snapshot")
            for (index, data) in sealed.enumerated() {
                try db.execute(
                    sql: "INSERT INTO snapshot(part, version, data) VALUES (?, ?, ?)",
                    arguments: [index, version, data])
            }
        }
    }

    /// The snapshot, if there is one for the current data version.
    static func load(from store: Store) throws -> WorkingSet? {
        // Each part is fetched, opened and decoded on its own, and its sealed and clear bytes are dropped
        // as soon as its column exists: peak memory is the working set plus a part or two, not three copies.
        let fetched: (version: Int64, sealed: [Data])? = try store.db.read { db in
            let version = try store.dataVersion(db)
            var sealed: [Data] = []
            let cursor = try Row.fetchCursor(db, sql: "SELECT part, version, data FROM snapshot ORDER BY part")
            while let row = try cursor.next() {
                guard (row["version"] as Int64) == version, (row["part"] as Int) == sealed.count else { return nil }
                sealed.append(row["data"])
            }
            return sealed.count >= 8 ? (version, sealed) : nil
        }
        guard let fetched else { return nil }
        var sealed = fetched.sealed
        var opened = [Result<[UInt8], Error>](repeating: .success([]), count: sealed.count)
        opened.withUnsafeMutableBufferPointer { results in
            sealed.withUnsafeMutableBufferPointer { blobs in
                let shared = UnsafeSendableBox((results, blobs))
                DispatchQueue.concurrentPerform(iterations: blobs.count) { index in
                    let (results, blobs) = shared.value
                    results[index] = Result {
                        try Sealer.open(
                            blobs[index], key: store.keys.recordKey, context: context(fetched.version, part: index))
                    }
                    blobs[index] = Data()
                }
            }
        }
        let plain = UnsafeSendableBox(try opened.map { try $0.get() })
        opened = []
        do {
            return try decode(plain)
        } catch is RecordReader.Malformed {
            throw RosterError.integrity(what: "the working-set snapshot")
        }
    }

    private static func decode(_ box: UnsafeSendableBox<[[UInt8]]>) throws -> WorkingSet {
        var meta = try RecordReader(box.value[0])
        let count = Int(try meta.readUInt())
        let columnCount = Int(try meta.readUInt())
        guard box.value.count == 8 + columnCount else { throw RecordReader.Malformed() }
        var columnHeads: [(String, FieldType)] = []
        for _ in 0..<columnCount {
            let name = try meta.readString()
            guard let type = FieldType(rawValue: try meta.readString()) else { throw RecordReader.Malformed() }
            columnHeads.append((name, type))
        }
        var ids = try RecordReader(box.value[1])
        var rowIDs: [Int64] = []
        rowIDs.reserveCapacity(count)
        var previous: Int64 = 0
        for _ in 0..<count {
            previous += try ids.readInt()
            rowIDs.append(previous)
        }
        let stringParts = [2, 3, 4, 5] + (0..<columnCount).map { 8 + $0 }
        var decoded = [[String?]?](repeating: nil, count: stringParts.count)
        // Each iteration touches only its own slots, through pointers taken once: no thread reads or
        // copies the arrays while another writes them.
        decoded.withUnsafeMutableBufferPointer { results in
            box.value.withUnsafeMutableBufferPointer { parts in
                let shared = UnsafeSendableBox((results, parts))
                DispatchQueue.concurrentPerform(iterations: stringParts.count) { index in
                    let (results, parts) = shared.value
                    results[index] = try? decodeStrings(parts[stringParts[index]], count: count)
                    parts[stringParts[index]] = []
                }
            }
        }
        guard decoded.allSatisfy({ $0 != nil }), box.value[6].count == count + 1 else { throw RecordReader.Malformed() }
        let consent = box.value[6].dropFirst().map {
            Consent(email: $0 & 1 != 0, sms: $0 & 2 != 0, push: $0 & 4 != 0)
        }
        var devices = try RecordReader(box.value[7])
        var deviceCounts: [Int32] = []
        deviceCounts.reserveCapacity(count)
        for _ in 0..<count { deviceCounts.append(Int32(try devices.readUInt())) }
        let strings = decoded.map { $0! }
        guard strings[0].allSatisfy({ $0 != nil }), strings[1].allSatisfy({ $0 != nil }) else {
            throw RecordReader.Malformed()
        }
        return WorkingSet(
            rowIDs: rowIDs, externalCodes: strings[0].map { $0! }, crmIds: strings[1].map { $0! }, emails: strings[2],
            phones: strings[3], consent: consent, deviceCounts: deviceCounts,
            columns: columnHeads.enumerated().map { index, head in
                WorkingSet.Column(name: head.0, type: head.1, values: strings[4 + index])
            })
    }

    /// Optional strings as (length + 1, 0 for nil) varints, then all their bytes.
    private static func encode(_ values: [String?]) -> [UInt8] {
        var lengths = RecordWriter(version: 1, capacity: values.count + 8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(values.count * 12)
        for value in values {
            guard var value else {
                lengths.write(UInt64(0))
                continue
            }
            value.withUTF8 { utf8 in
                lengths.write(UInt64(utf8.count + 1))
                bytes.append(contentsOf: utf8)
            }
        }
        var out = lengths.bytes
        out += bytes
        return out
    }

    private static func decodeStrings(_ part: [UInt8], count: Int) throws -> [String?] {
        var reader = try RecordReader(part)
        var lengths: [Int] = []
        lengths.reserveCapacity(count)
        for _ in 0..<count { lengths.append(Int(try reader.readUInt())) }
        var offset = reader.offset
        var values: [String?] = []
        values.reserveCapacity(count)
        try part.withUnsafeBufferPointer { buffer in
            for length in lengths {
                if length == 0 {
                    values.append(nil)
                    continue
                }
                let size = length - 1
                guard offset + size <= buffer.count else { throw RecordReader.Malformed() }
                values.append(
                    String(decoding: UnsafeBufferPointer(rebasing: buffer[offset..<offset + size]), as: UTF8.self))
                offset += size
            }
        }
        guard offset == part.count else { throw RecordReader.Malformed() }
        return values
    }
}
