import Foundation
import Synchronization

/// The plain records of a bulk import, kept until the end so that the working-set snapshot is built from them
/// instead of opening every customer again (at 1M customers that was 1.8 s of key derivations, AES-GCM opens and
/// SQLite reads after the import proper).
///
/// Nothing personal reaches the disk in clear: each part is sealed (AES-256-GCM) under a random key that exists only
/// in this process's memory, into a file unlinked as soon as it is opened. It has no name, no other process can
/// open it, and the kernel frees it when the process ends, even by SIGKILL. Memory stays bounded: a part is written
/// when its batch is, and read back one group of parts at a time.
///
/// `Sendable` by construction: the layout of the parts is behind a mutex (taken once per part, not per record), the
/// descriptor is written and read with `pwrite`/`pread` at explicit offsets from any thread, which the kernel allows,
/// and the key is behind a mutex only so that `deinit` can wipe it in place.
final class RecordSpill: Sendable {
    /// Plain records of one part, in row order: per record its row id (8 bytes), length (4 bytes) and bytes.
    struct Part: Sendable {
        var bytes: [UInt8] = []

        mutating func append(rowID: Int64, record: UnsafeRawBufferPointer) {
            withUnsafeBytes(of: rowID.littleEndian) { bytes.append(contentsOf: $0) }
            withUnsafeBytes(of: UInt32(record.count).littleEndian) { bytes.append(contentsOf: $0) }
            bytes.append(contentsOf: record)
        }

        /// Calls `body` with each record's row id and bytes; false if the layout does not add up.
        static func forEach(
            in bytes: UnsafeRawBufferPointer, _ body: (Int64, UnsafeBufferPointer<UInt8>) throws -> Void
        ) rethrows -> Bool {
            var offset = 0
            while offset < bytes.count {
                guard offset + 12 <= bytes.count else { return false }
                let rowID = Int64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: Int64.self))
                let count = Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset + 8, as: UInt32.self)))
                offset += 12
                guard offset + count <= bytes.count else { return false }
                try body(
                    rowID, UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + count]).bindMemory(to: UInt8.self))
                offset += count
            }
            return true
        }
    }

    private let path: String
    private let descriptor: Int32
    private let key: Mutex<[UInt8]>
    /// Where each sealed part lies in the file, and where the next one goes.
    private let layout = Mutex<(extents: [Extent], end: Int)>(([], 0))

    private struct Extent {
        let offset: Int
        let count: Int
    }

    /// A spill file in `directory`'s file system (the store's), already unlinked.
    init(nextTo storePath: String) throws {
        path = StagingFile.path(of: storePath) + ".spill"
        descriptor = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw RosterError.io(path: path, detail: String(cString: strerror(errno)))
        }
        unlink(path)
        key = Mutex(Random.bytes(32))
    }

    deinit {
        close(descriptor)
        key.withLock { BoringPrimitives.wipe(&$0) }
    }

    var partCount: Int { layout.withLock { $0.extents.count } }
    /// The bytes written (sealed plain records): more than any one column of their working set can take.
    var byteCount: Int { layout.withLock { $0.end } }

    /// Seals and appends one part. One thread appends: the part's number and place are read before it is sealed and
    /// written, and recorded after.
    func append(_ part: Part) throws {
        guard !part.bytes.isEmpty else { return }
        let (index, end) = layout.withLock { ($0.extents.count, $0.end) }
        // The array's storage, not a copy of its bytes: `deinit` wipes it once no part is being sealed or opened.
        let key = key.withLock { $0 }
        let sealed = try key.withUnsafeBytes { key in
            try Sealer.seal(part.bytes, key: key, associatedData: context(index).bytes, context: context(index))
        }
        try sealed.withUnsafeBytes { raw in
            var written = 0
            while written < raw.count {
                let result = pwrite(descriptor, raw.baseAddress! + written, raw.count - written, off_t(end + written))
                if result < 0 && errno == EINTR { continue }
                guard result > 0 else {
                    throw RosterError.io(
                        path: path, detail: result == 0 ? "short write" : String(cString: strerror(errno)))
                }
                written += result
            }
        }
        layout.withLock { layout in
            precondition(layout.extents.count == index, "two threads appended to one import spill")
            layout.extents.append(Extent(offset: end, count: sealed.count))
            layout.end = end + sealed.count
        }
    }

    /// The plain bytes of part `index` (any thread).
    func read(_ index: Int) throws -> [UInt8] {
        let extent = layout.withLock { $0.extents[index] }
        let key = key.withLock { $0 }
        var sealed = Data(count: extent.count)
        try sealed.withUnsafeMutableBytes { raw in
            var read = 0
            while read < raw.count {
                let result = pread(descriptor, raw.baseAddress! + read, raw.count - read, off_t(extent.offset + read))
                if result < 0 && errno == EINTR { continue }
                guard result > 0 else {
                    throw RosterError.io(
                        path: path,
                        detail: result == 0 ? "unexpected end of the file" : String(cString: strerror(errno)))
                }
                read += result
            }
        }
        return try key.withUnsafeBytes { try Sealer.open(sealed, key: $0, context: context(index)) }
    }

    private func context(_ index: Int) -> SealContext {
        SealContext(kind: "import-spill", id: Int64(index), column: "records")
    }
}
