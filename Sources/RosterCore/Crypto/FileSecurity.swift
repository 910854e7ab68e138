import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// File creation that never leaves personal data readable by other users.
enum FileSecurity {
    /// Creates `path` with mode 0600, failing if it exists, and writes `contents` to it.
    static func createPrivateFile(at path: String, contents: [UInt8]) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            let reason =
                errno == EEXIST ? "it already exists; nothing was overwritten" : String(cString: strerror(errno))
            throw RosterError.io(path: path, detail: "cannot create: \(reason)")
        }
        defer { close(fd) }
        var offset = 0
        while offset < contents.count {
            let written = contents[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            guard written > 0 else {
                throw RosterError.io(path: path, detail: "cannot write: \(String(cString: strerror(errno)))")
            }
            offset += written
        }
        guard fsync(fd) == 0 else {
            throw RosterError.io(path: path, detail: "cannot flush to disk: \(String(cString: strerror(errno)))")
        }
    }

    /// Flushes a file (or a directory's entries) to disk.
    static func sync(path: String, directory: Bool = false) throws {
        let fd = open(path.isEmpty ? "." : path, (directory ? O_RDONLY | O_DIRECTORY : O_RDWR) | O_CLOEXEC)
        guard fd >= 0 else {
            throw RosterError.io(path: path, detail: "cannot open to sync: \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        guard fsync(fd) == 0 else {
            throw RosterError.io(path: path, detail: "cannot flush to disk: \(String(cString: strerror(errno)))")
        }
    }

    /// Permission bits of a file, or nil when it does not exist.
    static func mode(of path: String) -> mode_t? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return info.st_mode & 0o777
    }
}
