import Crypto
import Dispatch
import Foundation
import GRDB
import RosterConcurrency
import RosterModel

/// The working set kept on disk between commands, sealed, in the layout it has in memory.
///
/// Part 0 is a small manifest (row count, fields, the byte size of each buffer); then each buffer of the compact
/// working set (row ids as varint deltas, raw externalCodes, consent bits, device counts, and for every text column
/// its offsets and its UTF-8 bytes) is cut into chunks of at most 4 MiB, each sealed as its own AES-GCM message
/// under a random key of this snapshot (kept in the manifest, which is sealed under the record key), bound to the
/// snapshot's data version and part number. Loading is then one decryption and
/// one copy per chunk, both cores at a time, straight into the final arrays: no parsing, no `String`, and at most a
/// few chunks in flight beside the working set.
///
/// A snapshot reflects one data version; the `workingSetChange` table (filled by triggers, emptied when a snapshot is
/// saved) lists the customers written since, so a later load patches it instead of decrypting every customer.
enum WorkingSetSnapshot {
    static let format: UInt8 = 2
    static let chunkSize = 4 << 20

    static func context(_ version: Int64, part: Int) -> SealContext {
        SealContext(kind: "working-set", id: version, column: "part\(part)")
    }

    /// What part 0 says.
    struct Manifest {
        let version: Int64
        let count: Int
        let layout: WorkingSetLayout
        /// The byte size of each buffer, in the order `buffers(of:)` gives them.
        let bufferSizes: [Int]
        /// The random key this snapshot's chunks are sealed under.
        let key: SymmetricKey

        var chunkCounts: [Int] {
            bufferSizes.map { ($0 + WorkingSetSnapshot.chunkSize - 1) / WorkingSetSnapshot.chunkSize }
        }
    }

    // MARK: - Saving

    /// One buffer of a snapshot: the raw bytes of an array of the working set, read a chunk at a time (copying a
    /// whole column's offsets first put ~60 MB on the peak of a bulk import's last step, at a million customers).
    struct Buffer {
        let count: Int
        private let copyBytes: (Range<Int>) -> [UInt8]

        init<Element>(_ values: [Element]) {
            count = values.count * MemoryLayout<Element>.stride
            copyBytes = { range in values.withUnsafeBytes { Array($0[range]) } }
        }

        func bytes(_ range: Range<Int>) -> [UInt8] { copyBytes(range) }
    }

    /// The buffers of a working set, in snapshot order (each the raw bytes of an array it holds, but the row ids,
    /// written as varint deltas).
    private static func buffers(of set: WorkingSet) -> [Buffer] {
        var ids = RecordWriter(version: 0, capacity: set.count * 2)
        var previous: Int64 = 0
        for rowID in set.rowIDs {
            ids.write(rowID - previous)
            previous = rowID
        }
        var result = [
            Buffer(Array(ids.bytes.dropFirst())), Buffer(set.externalCodes.raw), Buffer(set.consent.bits),
            Buffer(set.deviceCounts),
        ]
        for column in [set.crmIds, set.emails, set.phones] + set.columns.map(\.values) {
            result.append(Buffer(column.starts))
            result.append(Buffer(column.bytes))
        }
        return result
    }

    /// Saves `set` as the snapshot of data version `version` and empties the change table, in one transaction that
    /// does nothing if another write came first. Chunks are sealed inside the transaction on all cores but one, the
    /// next ones while the ones before are inserted: at most two batches of them exist at once.
    static func save(_ set: WorkingSet, version: Int64, to store: Store) throws {
        try store.db.write { db in
            guard try store.dataVersion(db) == version else { return }
            try save(set, version: version, keys: store.keys, db)
        }
    }

    /// Saves inside the caller's write transaction (the caller checks the data version).
    static func save(_ set: WorkingSet, version: Int64, keys: KeyRing, _ db: Database) throws {
        let buffers = buffers(of: set)
        var manifest = RecordWriter(version: format)
        manifest.write(UInt64(set.count))
        manifest.write(UInt64(set.columns.count))
        for column in set.columns {
            manifest.write(column.key)
            manifest.write(column.name)
            manifest.write(column.type.rawValue)
        }
        manifest.write(UInt64(buffers.count))
        for buffer in buffers { manifest.write(UInt64(buffer.count)) }

        // Each snapshot's chunks have their own random key, kept only in its manifest: zeroing the old manifest (with
        // secure_delete) shreds the whole old snapshot, so its chunks are freed without being overwritten with
        // zeros. An erasure still deletes, and zeroes, every part.
        let snapshotKey = SymmetricKey(size: .bits256)
        let manifestBytes = manifest.bytes + snapshotKey.withUnsafeBytes { Array($0) }
        try db.execute(sql: "DELETE FROM snapshot WHERE part = 0")
        try db.execute(sql: "PRAGMA secure_delete = OFF")
        let deleted = Result { try db.execute(sql: "DELETE FROM snapshot") }
        try db.execute(sql: "PRAGMA secure_delete = ON")
        try deleted.get()
        try db.execute(sql: "DELETE FROM workingSetChange")
        Trace.mark("save: old snapshot and changes deleted")
        let insert = try db.cachedStatement(sql: "INSERT INTO snapshot(part, version, data) VALUES (?, ?, ?)")
        try insert.execute(
            arguments: [
                0, version, try Sealer.seal(manifestBytes, key: keys.recordKey, context: context(version, part: 0)),
            ])
        let chunks: [(buffer: Int, range: Range<Int>)] = buffers.enumerated().flatMap { index, buffer in
            stride(from: 0, to: buffer.count, by: chunkSize).map { start in
                (index, start..<min(buffer.count, start + chunkSize))
            }
        }
        // The next chunks are sealed on the other cores while this thread inserts the ones before (SQLite copying
        // 4 MB into its pages takes about as long as sealing them): at most two batches are held at once.
        let lanes = Parallel.lanesBesideWriter
        func seal(_ batch: Range<Int>) -> Parallel.Background<[Data]> {
            Parallel.Background {
                try Parallel.tryMap(batch.count, lanes: lanes) { offset in
                    let chunk = chunks[batch.lowerBound + offset]
                    return try Sealer.seal(
                        buffers[chunk.buffer].bytes(chunk.range), key: snapshotKey,
                        context: context(version, part: batch.lowerBound + offset + 1))
                }
            }
        }
        let batches = stride(from: 0, to: chunks.count, by: lanes).map { $0..<min(chunks.count, $0 + lanes) }
        var sealing = batches.first.map(seal)
        defer { _ = try? sealing?.wait() }  // on an error too: no sealing outlives the save
        for (index, batch) in batches.enumerated() {
            let sealed = try sealing!.wait()
            sealing = index + 1 < batches.count ? seal(batches[index + 1]) : nil
            for (offset, data) in sealed.enumerated() {
                try insert.execute(arguments: [batch.lowerBound + offset + 1, version, data])
            }
        }
        Trace.mark("save: \(chunks.count) chunks sealed and inserted")
    }

    // MARK: - Loading

    /// The manifest of the stored snapshot, or nil when there is none, it is of an older format or it does not open
    /// (the snapshot is a cache of the sealed records: a damaged one is rebuilt from them, never trusted).
    static func manifest(_ db: Database, keys: KeyRing) throws -> Manifest? {
        guard let row = try Row.fetchOne(db, sql: "SELECT version, data FROM snapshot WHERE part = 0") else {
            return nil
        }
        let version: Int64 = row["version"]
        guard let plain = try? Sealer.open(row["data"], key: keys.recordKey, context: context(version, part: 0)),
            plain.first == format
        else { return nil }
        do {
            var reader = try RecordReader(plain)
            let count = Int(try reader.readUInt())
            var fields: [WorkingSetLayout.Field] = []
            for _ in 0..<(try reader.readUInt()) {
                let key = try reader.readString()
                let name = try reader.readString()
                guard let type = FieldType(rawValue: try reader.readString()) else { throw RecordReader.Malformed() }
                fields.append(WorkingSetLayout.Field(key: key, name: name, type: type))
            }
            var sizes: [Int] = []
            for _ in 0..<(try reader.readUInt()) { sizes.append(Int(try reader.readUInt())) }
            guard sizes.count == 4 + 2 * (3 + fields.count), plain.count - reader.offset == 32 else { return nil }
            return Manifest(
                version: version, count: count, layout: WorkingSetLayout(fields: fields), bufferSizes: sizes,
                key: SymmetricKey(data: plain[reader.offset...]))
        } catch {
            return nil
        }
    }

    /// The snapshot's working set, or nil when any part is missing, does not open or does not add up.
    static func load(_ manifest: Manifest, _ db: Database, keys: KeyRing) throws -> WorkingSet? {
        let parts = try Int.fetchOne(
            db, sql: "SELECT COUNT(*) FROM snapshot WHERE version = ?", arguments: [manifest.version])
        guard parts == 1 + manifest.chunkCounts.reduce(0, +) else { return nil }
        var reader = PartReader(db: db, key: manifest.key, version: manifest.version)
        do {
            let sizes = manifest.bufferSizes
            let count = manifest.count
            let idBytes: [UInt8] = try reader.read(byteCount: sizes[0])
            let codes: [UInt8] = try reader.read(byteCount: sizes[1])
            let consent: [UInt8] = try reader.read(byteCount: sizes[2])
            let devices: [Int32] = try reader.read(byteCount: sizes[3])
            guard codes.count == 32 * count, consent.count == count, devices.count == count else { return nil }
            var texts: [TextColumn] = []
            for column in 0..<(3 + manifest.layout.fields.count) {
                let starts: [UInt32] = try reader.read(byteCount: sizes[4 + 2 * column])
                let bytes: [UInt8] = try reader.read(byteCount: sizes[5 + 2 * column])
                guard let text = validated(starts: starts, bytes: bytes, count: count) else { return nil }
                texts.append(text)
            }
            guard let rowIDs = decodeRowIDs(idBytes, count: count) else { return nil }
            return WorkingSet(
                rowIDs: rowIDs, externalCodes: ExternalCodeColumn(raw: codes), crmIds: texts[0], emails: texts[1],
                phones: texts[2], consent: ConsentColumn(bits: consent), deviceCounts: devices,
                columns: manifest.layout.fields.enumerated().map { index, field in
                    WorkingSet.Column(name: field.name, type: field.type, values: texts[3 + index])
                })
        } catch is PartReader.Unreadable {
            return nil
        }
    }

    private static func validated(starts: [UInt32], bytes: [UInt8], count: Int) -> TextColumn? {
        guard starts.count == count + 1, starts.first == 0, Int(starts[count]) == bytes.count else { return nil }
        let ordered = starts.withUnsafeBufferPointer { starts in
            var ordered = true
            for index in 0..<count where starts[index] > starts[index + 1] { ordered = false }
            return ordered
        }
        return ordered ? TextColumn(bytes: bytes, starts: starts) : nil
    }

    private static func decodeRowIDs(_ bytes: [UInt8], count: Int) -> [Int64]? {
        var reader = RecordBytes(UnsafeBufferPointer(start: nil, count: 0))
        return bytes.withUnsafeBufferPointer { buffer -> [Int64]? in
            reader = RecordBytes(buffer)
            var rowIDs: [Int64] = []
            rowIDs.reserveCapacity(count)
            var previous: Int64 = 0
            for _ in 0..<count {
                guard let raw = try? reader.uint() else { return nil }
                let delta = Int64(bitPattern: raw >> 1) ^ -Int64(bitPattern: raw & 1)
                guard delta > 0 || rowIDs.isEmpty else { return nil }
                previous &+= delta
                rowIDs.append(previous)
            }
            return reader.isAtEnd ? rowIDs : nil
        }
    }

    /// Opens one sealed chunk (nonce, ciphertext, tag: swift-crypto's combined form) into `output`, which must be
    /// exactly its plaintext size; false when it does not open.
    static func open(_ sealed: Data, key: [UInt8], context: [UInt8], into output: UnsafeMutableRawBufferPointer)
        -> Bool
    {
        let nonce = BoringPrimitives.GCM.nonceCount
        guard sealed.count == nonce + output.count + BoringPrimitives.GCM.tagCount, let base = output.baseAddress
        else { return false }
        return sealed.withUnsafeBytes { sealed in
            key.withUnsafeBytes { key in
                context.withUnsafeBytes { context in
                    BoringPrimitives.GCM.open(
                        key: key, nonce: UnsafeRawBufferPointer(rebasing: sealed[..<nonce]),
                        sealed: UnsafeRawBufferPointer(rebasing: sealed[nonce...]), associatedData: context, into: base)
                }
            }
        }
    }

    /// Reads the sealed chunks of one buffer after another, in part order.
    private struct PartReader {
        struct Unreadable: Error {}

        let db: Database
        let key: SymmetricKey
        let version: Int64
        var nextPart = 1

        /// The next buffer, `byteCount` bytes, decrypted chunk by chunk (one per core at a time) into its array.
        mutating func read<Element>(byteCount: Int) throws -> [Element] {
            let stride = MemoryLayout<Element>.stride
            guard byteCount % stride == 0 else { throw Unreadable() }
            let chunks = (byteCount + chunkSize - 1) / chunkSize
            let firstPart = nextPart
            nextPart += chunks
            let statement = try db.cachedStatement(sql: "SELECT data FROM snapshot WHERE part = ? AND version = ?")
            let (key, version) = (self.key, self.version)
            let lanes = max(1, ProcessInfo.processInfo.activeProcessorCount)
            var keyBytes = key.withUnsafeBytes { Array($0) }
            defer { BoringPrimitives.wipe(&keyBytes) }
            return try [Element](unsafeUninitializedCapacity: byteCount / stride) { buffer, initialized in
                let target = UnsafeMutableRawBufferPointer(buffer)
                // One batch is opened on every core, straight into its place in the array, while this thread reads
                // the next batch from the database: reading and decrypting overlap, and no chunk is copied twice.
                var opening: Parallel.Background<Bool>?
                defer { _ = try? opening?.wait() }  // on an error too: nothing writes into the array after it is gone
                var chunk = 0
                while chunk < chunks {
                    let batch = chunk..<min(chunks, chunk + lanes)
                    var sealed: [Data] = []
                    for index in batch {
                        guard let data = try Data.fetchOne(statement, arguments: [firstPart + index, version]) else {
                            throw Unreadable()
                        }
                        sealed.append(data)
                    }
                    guard try opening?.wait() ?? true else { throw Unreadable() }
                    let shared = UncheckedSendable((sealed, target, keyBytes))  // each part writes its own range
                    opening = Parallel.Background {
                        let opened = Parallel.map(batch.count) { offset -> Bool in
                            let index = batch.lowerBound + offset
                            let range = index * chunkSize..<min(byteCount, (index + 1) * chunkSize)
                            let context = WorkingSetSnapshot.context(version, part: firstPart + index).bytes
                            return WorkingSetSnapshot.open(
                                shared.value.0[offset], key: shared.value.2, context: context,
                                into: UnsafeMutableRawBufferPointer(rebasing: shared.value.1[range]))
                        }
                        return !opened.contains(false)
                    }
                    chunk = batch.upperBound
                }
                guard try opening?.wait() ?? true else { throw Unreadable() }
                opening = nil
                initialized = byteCount / stride
            }
        }
    }
}
