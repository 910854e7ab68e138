import Crypto
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The file an import reads, opened once: every pass reads the same bytes, or the import stops.
///
/// - A regular file is opened once and every pass reads that descriptor (`pread`), so a file renamed over the path
///   meanwhile is never read. Each 1 MiB block's SHA-256 is kept from the first pass that reads it and checked by
///   every later one, and `checkUnchanged()` compares size, times and inode (`fstat`) before anything is written:
///   a file edited in place between passes is refused.
/// - Anything else — a FIFO, `-` (standard input), `/dev/stdin`, a process substitution (`<(…)`) — can be read only
///   once: it is read to its end into a spill file, sealed block by block (AES-256-GCM) under a random key that
///   exists only in this process's memory, unlinked as soon as it is created, and every pass reads that.
///
/// `Sendable`: the spill key and the digests are behind their mutexes; every other property is a constant.
final class InputFile: Sendable {
    static let blockSize = 1 << 20

    /// The path as the user gave it (`-` for standard input).
    let path: String
    /// The bytes a pass reads: the regular file's size when it was opened, or what the spill holds.
    let size: Int
    /// Whether the input was a pipe, a device or standard input, read once into the spill.
    let isSpilled: Bool
    private let descriptor: Int32
    private let opened: Status?
    /// The spill's key (empty for a regular file): behind a mutex only so that `deinit` can wipe it in place; a
    /// reader takes the array (the same storage, not a copy of the bytes) and reads it outside.
    private let key: Mutex<[UInt8]>
    /// Each block's SHA-256, from the first pass that read it (passes may run on different threads).
    private let digests = Mutex<[Int: [UInt8]]>([:])

    /// What `fstat` says of a regular file: any write changes its size, modification or status-change time.
    private struct Status: Equatable {
        let identity: FileIdentity
        let size: Int
        let modified: [Int]
        let changed: [Int]

        init(_ info: stat) {
            identity = FileIdentity(info)
            size = Int(info.st_size)
            modified = [Int(info.st_mtim.tv_sec), Int(info.st_mtim.tv_nsec)]
            changed = [Int(info.st_ctim.tv_sec), Int(info.st_ctim.tv_nsec)]
        }
    }

    /// Opens `path` (`-`: standard input); an input that is not a regular file is spilled into `spillFolder`.
    init(path: String, spillFolder: String) throws {
        self.path = path == "-" ? "standard input" : path
        let source = path == "-" ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC)
        guard source >= 0 else {
            let reason = errno == ENOENT ? "no such file" : String(cString: strerror(errno))
            throw RosterError.io(path: path, detail: "cannot open the file: \(reason) (nothing was imported)")
        }
        var info = stat()
        guard fstat(source, &info) == 0 else {
            let reason = String(cString: strerror(errno))
            if source != STDIN_FILENO { close(source) }
            throw RosterError.io(path: path, detail: "cannot read the file: \(reason)")
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG:
            // Standard input redirected from a file (`< file.csv`) is read through its own descriptor, from the start.
            descriptor = path == "-" ? dup(source) : source
            key = Mutex([])
            opened = Status(info)
            size = Int(info.st_size)
            isSpilled = false
        case S_IFDIR:
            if source != STDIN_FILENO { close(source) }
            throw RosterError.io(path: path, detail: "it is a folder, not a file (nothing was imported)")
        default:
            defer { if source != STDIN_FILENO { close(source) } }
            let spillKey = Random.bytes(32)
            key = Mutex(spillKey)
            let spill = try Self.createSpill(in: spillFolder, for: path)
            descriptor = spill
            opened = nil
            isSpilled = true
            do {
                size = try Self.fill(spill, from: source, key: spillKey, path: path)
            } catch {
                close(spill)
                throw error
            }
        }
    }

    deinit {
        close(descriptor)
        key.withLock { BoringPrimitives.wipe(&$0) }
    }

    /// A new pass over the input, from its first byte.
    func reader() -> Reader { Reader(input: self) }

    /// Throws when the regular file was written to since it was opened (a no-op for a spilled input).
    func checkUnchanged() throws {
        guard let opened else { return }
        var info = stat()
        guard fstat(descriptor, &info) == 0, Status(info) == opened else { throw changed() }
    }

    /// What identifies the input's content as opened: device, inode, size and times (a spill cannot change).
    func fingerprint() throws -> [String] {
        guard opened != nil else { return ["spilled", String(size)] }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw changed() }
        let status = Status(info)
        return [status.identity.device, status.identity.inode].map(String.init) + [String(status.size)]
            + (status.modified + status.changed).map(String.init)
    }

    /// The error for an input that changed while it was read.
    func changed() -> RosterError {
        RosterError.io(
            path: path,
            detail: "the file changed while it was being imported (it was written to between or during the passes of "
                + "the import); the import stopped before using the changed bytes: run it again once the file is "
                + "complete")
    }

    /// One pass's position in the input.
    final class Reader {
        let input: InputFile
        private var block: [UInt8] = []
        private var blockIndex = -1
        private var offset = 0

        init(input: InputFile) { self.input = input }

        /// Reads up to `count` bytes; 0 at the end of the input.
        func read(into destination: UnsafeMutablePointer<UInt8>, count: Int) throws -> Int {
            guard offset < input.size, count > 0 else { return 0 }
            let index = offset / InputFile.blockSize
            if index != blockIndex {
                block = try input.block(index)
                blockIndex = index
            }
            let start = offset - index * InputFile.blockSize
            let length = min(count, block.count - start)
            guard length > 0 else { throw input.changed() }
            block.withUnsafeBufferPointer { destination.update(from: $0.baseAddress! + start, count: length) }
            offset += length
            return length
        }
    }

    // MARK: Blocks

    /// The bytes of block `index`: read and checked against the first pass's digest, or opened from the spill.
    private func block(_ index: Int) throws -> [UInt8] {
        let start = index * Self.blockSize
        let count = min(Self.blockSize, size - start)
        if isSpilled {
            let sealed = try readFully(count: count + Sealer.overhead, at: index * (Self.blockSize + Sealer.overhead))
            let key = self.key.withLock { $0 }
            let plain = sealed.withUnsafeBytes { box in
                key.withUnsafeBytes { key in Sealer.open(box, key: key, associatedData: context(index).bytes) }
            }
            guard let plain else {
                throw RosterError.integrity(what: "the sealed copy of the input \(path)")
            }
            return plain
        }
        let bytes = try readFully(count: count, at: start)
        guard bytes.count == count else { throw changed() }
        let digest = Array(SHA256.hash(data: bytes))
        let known = digests.withLock { digests in
            if let known = digests[index] { return known }
            digests[index] = digest
            return digest
        }
        guard known == digest else { throw changed() }
        return bytes
    }

    /// Up to `count` bytes at `offset` (fewer only at the end of the file).
    private func readFully(count: Int, at offset: Int) throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let result = bytes.withUnsafeMutableBytes {
                pread(descriptor, $0.baseAddress! + done, count - done, off_t(offset + done))
            }
            if result < 0 && errno == EINTR { continue }
            guard result >= 0 else {
                throw RosterError.io(path: path, detail: "cannot read the file: \(String(cString: strerror(errno)))")
            }
            if result == 0 { break }
            done += result
        }
        bytes.removeLast(count - done)
        return bytes
    }

    private func context(_ index: Int) -> SealContext {
        SealContext(kind: "import-input", id: Int64(index), column: "bytes")
    }

    // MARK: The spill

    /// An unlinked file in the store's folder, else in the temporary folder (a dry run of a store on a read-only
    /// medium still reads a pipe).
    private static func createSpill(in folder: String, for path: String) throws -> Int32 {
        var reason = ""
        for candidate in [folder, NSTemporaryDirectory()] {
            let spillPath =
                (candidate.hasSuffix("/") ? candidate : candidate + "/") + ".roster-input-\(getpid())-"
                + Random.bytes(6).map { String(format: "%02x", $0) }.joined()
            let descriptor = open(spillPath, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
            if descriptor >= 0 {
                unlink(spillPath)
                return descriptor
            }
            reason += (reason.isEmpty ? "" : "; ") + "\(candidate): \(String(cString: strerror(errno)))"
        }
        throw RosterError.io(
            path: path, detail: "cannot keep a sealed copy of the input (\(reason)); nothing was imported")
    }

    /// Reads `source` to its end into the spill, one sealed block at a time; returns the number of plain bytes.
    private static func fill(_ spill: Int32, from source: Int32, key: [UInt8], path: String) throws -> Int {
        var total = 0
        var index = 0
        var block = [UInt8](repeating: 0, count: blockSize)
        while true {
            var filled = 0
            while filled < blockSize {
                let result = block.withUnsafeMutableBytes { read(source, $0.baseAddress! + filled, blockSize - filled) }
                if result < 0 && errno == EINTR { continue }
                guard result >= 0 else {
                    throw RosterError.io(path: path, detail: "cannot read: \(String(cString: strerror(errno)))")
                }
                if result == 0 { break }
                filled += result
            }
            guard filled > 0 else { break }
            let context = SealContext(kind: "import-input", id: Int64(index), column: "bytes")
            let sealed = try key.withUnsafeBytes {
                try Sealer.seal(Array(block[..<filled]), key: $0, associatedData: context.bytes, context: context)
            }
            try sealed.withUnsafeBytes { raw in
                var written = 0
                while written < raw.count {
                    let result = pwrite(
                        spill, raw.baseAddress! + written, raw.count - written,
                        off_t(index * (blockSize + Sealer.overhead) + written))
                    if result < 0 && errno == EINTR { continue }
                    guard result > 0 else {
                        throw RosterError.io(
                            path: path,
                            detail: "cannot keep a sealed copy of the input: "
                                + OutputFile.sentence(errno: errno, writing: "the copy"))
                    }
                    written += result
                }
            }
            total += filled
            index += 1
            if filled < blockSize { break }
        }
        BoringPrimitives.wipe(&block)
        return total
    }
}
