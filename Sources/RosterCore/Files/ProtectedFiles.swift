import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The files a command's output must never replace: the store with its WAL, shared-memory, journal and lock
/// files, the key file, and the command's own input.
///
/// A target is compared with each of them twice: by device and inode (a hard link, a symlink or another spelling
/// of the same file), and by its resolved path (a file that does not exist yet, such as the WAL of a closed store,
/// but would be that file once created).
public struct ProtectedFiles: Sendable {
    struct Entry: Sendable {
        let path: String
        /// What the file is, for the refusal: "the store /data/crm.roster".
        let role: String
    }

    private(set) var entries: [Entry] = []

    public init() {}

    /// The store at `path` and every file SQLite and Roster keep beside it.
    public mutating func addStore(_ path: String) {
        entries.append(Entry(path: path, role: "the store \(path)"))
        for (suffix, role) in [
            ("-wal", "write-ahead log"), ("-shm", "shared-memory file"), ("-journal", "journal"),
            (".lock", "lock file"),
        ] {
            entries.append(Entry(path: path + suffix, role: "the \(role) of the store \(path)"))
        }
    }

    /// The key file that unlocks the store.
    public mutating func addKeyFile(_ path: String?) {
        guard let path, !path.isEmpty else { return }
        entries.append(Entry(path: path, role: "the key file \(path)"))
    }

    /// A file the command reads (`-`, standard input, is not a file name).
    public mutating func addInput(_ path: String) {
        guard path != "-" else { return }
        entries.append(Entry(path: path, role: "the input file \(path)"))
    }

    /// What `target` would overwrite, or nil when it is none of the protected files.
    ///
    /// `identity` is the target's device and inode when it exists (for an open descriptor, its `fstat`).
    func conflict(resolvedPath: String, identity: FileIdentity?) -> Entry? {
        for entry in entries {
            if let identity, let other = FileIdentity(path: entry.path), other == identity { return entry }
            if PathResolution.resolve(entry.path) == resolvedPath { return entry }
        }
        return nil
    }
}

/// A file's device and inode: the same pair is the same file, whatever path leads to it.
struct FileIdentity: Equatable {
    let device: UInt64
    let inode: UInt64

    /// The file `path` names, following symbolic links; nil when it does not exist.
    init?(path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        self.init(info)
    }

    init(_ info: stat) {
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
    }
}

/// Absolute paths with every symbolic link resolved, also for a file that does not exist yet.
enum PathResolution {
    /// `path` made absolute with every existing symbolic link followed (a dangling link is followed to the path it
    /// names); the components that do not exist are kept as written.
    static func resolve(_ path: String) -> String {
        var current = absolute(path)
        for _ in 0..<40 {
            if let real = realPath(current) { return real }
            // A dangling link: follow it to the file it names.
            if let target = linkTarget(current) {
                current = target.hasPrefix("/") ? target : parent(of: current) + "/" + target
                current = absolute(current)
                continue
            }
            let folder = parent(of: current)
            let name = (current as NSString).lastPathComponent
            if folder == current { return current }
            let resolvedFolder = resolve(folder)
            return (resolvedFolder == "/" ? "" : resolvedFolder) + "/" + name
        }
        return current
    }

    /// The text of the symbolic link at `path`, or nil when it is not one.
    static func linkTarget(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink(path, &buffer, buffer.count - 1)
        guard count >= 0 else { return nil }
        return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func parent(of path: String) -> String {
        let folder = (path as NSString).deletingLastPathComponent
        return folder.isEmpty ? "." : folder
    }

    private static func absolute(_ path: String) -> String {
        // Kept as written otherwise: `..` after a symbolic link is resolved by realpath, not by cutting text.
        path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    }

    private static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
