import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A file a command writes at the user's request (`--out`, `--rejects`): every such file goes through here.
///
/// - It is never one of the `ProtectedFiles` (the store and its companions, the key file, the input), compared by
///   device and inode and by resolved path.
/// - A regular file (or a name that does not exist yet) is written to a temporary file in the same folder, created
///   `O_EXCL` with mode 0600, fsynced, and renamed over the target only by `commit()`; the folder is fsynced after.
///   A failure, or a `discard()`, leaves nothing behind and the old file untouched.
/// - A character device, a FIFO or a terminal (`/dev/null`, `/dev/tty`, a named pipe), `-` for standard output and
///   `/dev/stdout`, `/dev/fd/N` are written in place: never renamed over, never turned into a regular file.
/// - A symbolic link is followed: the file it points to is written by those rules and the link stays a link. A link
///   that points to nothing is refused (Roster does not create files through a link).
public final class OutputFile {
    /// The path as the user gave it (`-` for standard output).
    public let path: String
    private let descriptor: Int32
    /// The temporary file and the target it replaces at commit; nil when writing in place.
    private let replacement: (temporary: String, target: String)?
    private let ownsDescriptor: Bool
    private let protected: ProtectedFiles
    private var finished = false

    /// Opens `path` for writing (nil or `-`: standard output), refusing a protected file.
    public init(path: String?, protecting protected: ProtectedFiles) throws {
        let path = path ?? "-"
        self.path = path
        self.protected = protected
        if let inherited = Self.inheritedDescriptor(path) {
            var info = stat()
            guard fstat(inherited, &info) == 0 else {
                throw RosterError.io(path: path, detail: "cannot write: \(Self.lastError())")
            }
            // `roster export … >> store.roster`: the shell opened it, Roster refuses to write into it.
            if let entry = protected.conflict(resolvedPath: "", identity: FileIdentity(info)) {
                throw Self.refusal(path == "-" ? "standard output" : path, entry)
            }
            descriptor = inherited
            ownsDescriptor = false
            replacement = nil
            return
        }
        guard !path.isEmpty else {
            throw RosterError.io(path: "\"\"", detail: "an empty file name (nothing was written)")
        }
        try Self.refuseIfProtected(path, protected)
        let resolved = PathResolution.resolve(path)
        var info = stat()
        if stat(resolved, &info) == 0 {
            switch info.st_mode & S_IFMT {
            case S_IFREG:
                break
            case S_IFCHR, S_IFIFO:
                descriptor = try Self.openInPlace(path: path, resolved: resolved, expected: FileIdentity(info))
                ownsDescriptor = true
                replacement = nil
                return
            case S_IFDIR:
                throw RosterError.io(path: path, detail: "it is a folder; name a file inside it (nothing was written)")
            default:
                throw RosterError.io(
                    path: path,
                    detail: "it is neither a regular file nor a character device or pipe; Roster does not write "
                        + "there (nothing was written)")
            }
        } else if PathResolution.linkTarget(path) != nil {
            throw RosterError.io(
                path: path,
                detail: "it is a symbolic link to \(resolved), which does not exist; Roster does not create files "
                    + "through a link: name the file itself (nothing was written)")
        }
        let (temporary, descriptor) = try Self.createTemporary(beside: resolved, path: path)
        self.descriptor = descriptor
        ownsDescriptor = true
        replacement = (temporary, resolved)
    }

    deinit { discard() }

    /// Checks, without creating anything, that `path` may be written (nil or `-` always may).
    public static func check(_ path: String?, protecting protected: ProtectedFiles) throws {
        guard let path, inheritedDescriptor(path) == nil else { return }
        try refuseIfProtected(path, protected)
    }

    /// Appends bytes (to the temporary file when the target is replaced at commit).
    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard var base = bytes.baseAddress else { return }
        var remaining = bytes.count
        while remaining > 0 {
            let written = systemWrite(descriptor, base, remaining)
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { throw failure(writing: true) }
            base += written
            remaining -= written
        }
    }

    public func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try write($0) }
    }

    public func write(_ data: Data) throws {
        try data.withUnsafeBytes { try write($0) }
    }

    /// Flushes what was written to the disk without putting it in place yet: a full disk or an I/O error that the
    /// writes did not report surfaces here (so that a caller can record the export only once this succeeded).
    public func sync() throws {
        guard replacement != nil else { return }
        guard fsync(descriptor) == 0 else { throw failure(writing: true) }
    }

    /// Makes the output durable and, for a replaced file, puts it in place of the target.
    public func commit() throws {
        guard !finished else { return }
        defer { discard() }
        guard let replacement else {
            // A device or a pipe has no disk to flush to (fsync says EINVAL); a terminal neither.
            if fsync(descriptor) != 0 && errno != EINVAL && errno != EROFS && errno != ENOTSUP && errno != EBADF {
                throw failure(writing: true)
            }
            return
        }
        guard fsync(descriptor) == 0 else { throw failure(writing: true) }
        // The target may have been swapped for a protected file while this one was written (a hard link, a link).
        try Self.refuseIfProtected(path, protected)
        // Nor replaced by a device, a pipe or a link meanwhile: rename would put a regular file in its place.
        var info = stat()
        if lstat(replacement.target, &info) == 0 && info.st_mode & S_IFMT != S_IFREG {
            throw RosterError.io(
                path: path,
                detail: "it was replaced by something other than a regular file while it was written "
                    + "(nothing was written)")
        }
        guard rename(replacement.temporary, replacement.target) == 0 else {
            throw RosterError.io(
                path: path, detail: "cannot put the written file in place: \(Self.lastError()) (nothing was written)")
        }
        finished = true
        close(descriptor)
        let folder = PathResolution.parent(of: replacement.target)
        let folderDescriptor = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if folderDescriptor >= 0 {
            defer { close(folderDescriptor) }
            guard fsync(folderDescriptor) == 0 else {
                throw RosterError.io(
                    path: path,
                    detail: "the file was written, but its folder could not be flushed to disk: "
                        + Self.lastError())
            }
        }
    }

    /// Drops what was written: the temporary file is removed and the target left as it was.
    public func discard() {
        guard !finished else { return }
        finished = true
        if ownsDescriptor { close(descriptor) }
        if let replacement { unlink(replacement.temporary) }
    }

    /// Writes everything `body` gives and commits; on an error nothing replaces the target.
    public static func write<T>(
        to path: String?, protecting protected: ProtectedFiles, _ body: (OutputFile) throws -> T
    ) throws -> T {
        let file = try OutputFile(path: path, protecting: protected)
        defer { file.discard() }
        let result = try body(file)
        try file.commit()
        return result
    }

    // MARK: Opening

    /// Standard output and the names of descriptors this process inherited: written in place, never by path.
    private static func inheritedDescriptor(_ path: String) -> Int32? {
        switch path {
        case "-", "/dev/stdout": return STDOUT_FILENO
        case "/dev/stderr": return STDERR_FILENO
        default:
            for prefix in ["/dev/fd/", "/proc/self/fd/"] where path.hasPrefix(prefix) {
                if let number = Int32(path.dropFirst(prefix.count)), fcntl(number, F_GETFD) >= 0 { return number }
            }
            return nil
        }
    }

    private static func refuseIfProtected(_ path: String, _ protected: ProtectedFiles) throws {
        if let entry = protected.conflict(
            resolvedPath: PathResolution.resolve(path), identity: FileIdentity(path: path))
        {
            throw refusal(path, entry)
        }
    }

    private static func refusal(_ path: String, _ entry: ProtectedFiles.Entry) -> RosterError {
        RosterError.io(
            path: path,
            detail: "refusing to write there: it is \(entry.role); choose another file (nothing was written)")
    }

    /// Opens a device or a pipe as it is, checking it is still the file that was examined.
    private static func openInPlace(path: String, resolved: String, expected: FileIdentity) throws -> Int32 {
        let descriptor = open(resolved, O_WRONLY | O_NOCTTY | O_CLOEXEC)
        guard descriptor >= 0 else { throw RosterError.io(path: path, detail: "cannot open: \(lastError())") }
        var info = stat()
        guard fstat(descriptor, &info) == 0, FileIdentity(info) == expected else {
            close(descriptor)
            throw RosterError.io(path: path, detail: "it changed while it was being opened (nothing was written)")
        }
        return descriptor
    }

    /// A new, private temporary file in the target's folder (a rename is atomic only within one file system).
    private static func createTemporary(beside target: String, path: String) throws -> (String, Int32) {
        let folder = PathResolution.parent(of: target)
        let name = (target as NSString).lastPathComponent
        for _ in 0..<16 {
            let suffix = Random.bytes(6).map { String(format: "%02x", $0) }.joined()
            let temporary = folder + "/." + name + ".roster-" + suffix
            let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
            if descriptor >= 0 { return (temporary, descriptor) }
            if errno == EEXIST { continue }
            let reason = errno == ENOENT ? "its folder \(folder) does not exist" : lastError()
            throw RosterError.io(path: path, detail: "cannot create the file: \(reason) (nothing was written)")
        }
        throw RosterError.io(path: path, detail: "cannot create a temporary file in \(folder) (nothing was written)")
    }

    // MARK: Errors

    private func failure(writing: Bool) -> RosterError {
        let code = errno
        let kept = replacement == nil ? "" : " (nothing was written; any file already there is untouched)"
        return RosterError.io(path: path, detail: Self.sentence(errno: code, writing: path) + kept)
    }

    /// A system error as a sentence that says what to do.
    static func sentence(errno code: Int32, writing path: String) -> String {
        switch code {
        case ENOSPC: return "no space left on device writing \(path): free some space or write elsewhere"
        case EDQUOT: return "disk quota exceeded writing \(path): free some space or write elsewhere"
        case EFBIG: return "the file is too large for its file system: write elsewhere"
        case EROFS: return "the file system is read-only: write elsewhere"
        case EIO: return "an input/output error on the device writing \(path): check the disk"
        case EPIPE: return "the reader of the pipe went away"
        default: return "cannot write: \(String(cString: strerror(code)))"
        }
    }

    private static func lastError() -> String {
        String(cString: strerror(errno))
    }
}

private func systemWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
        Glibc.write(descriptor, bytes, count)
    #else
        Darwin.write(descriptor, bytes, count)
    #endif
}
