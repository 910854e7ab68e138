import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// The sidecar lock file `<store>.lock` that every roster process holds while it uses a store (docs/store.md,
/// "Many processes, one store").
///
/// - Shared (`flock(LOCK_SH)`): a process that reads or writes the store. Commands hold it from `Store.open` to
///   their exit; long-running processes (the console, a server) only during each call (`Store.use`).
/// - Exclusive (`LOCK_EX`): a bulk import, only while it checks that the store is still what its copy was made
///   from and renames the copy over it. While it is held nobody is inside the old file, and whoever takes the
///   shared lock next compares the store path's device and inode with the file it has open and reopens.
///
/// `flock` locks belong to the open file description: closing another descriptor of the lock file (or of the
/// store: SQLite's POSIX locks) does not drop them, and they go with the process when it dies.
///
/// The file's first bytes name the last process that took the store's write lock or replaced it (`pid command`),
/// for the message of a write that finds the store busy. Nothing personal: a pid and a command name.
///
/// `Sendable`: the descriptor is fixed at `init`, and the count of this process's shared holds lives in a mutex that
/// is held across every `flock` call, so that two threads never disagree about whether the file is locked.
final class StoreLock: Sendable {
    let path: String
    /// -1 when the lock file can be neither opened nor created (a read-only folder: nobody can swap a store there).
    private let fd: Int32
    /// How many shared holds this process has (nested calls count); the file is locked while it is above zero.
    private let holds = Mutex(0)
    /// The threads of this process inside `Store.use`: a swap waits for the others (`withExclusive`).
    let users = UseGate()

    /// How long a command waits for the store (`--wait`, `$ROSTER_WAIT`): for SQLite's write lock and for a swap.
    static let wait = Mutex<Double>(5)  // set by the command before its threads start, read by each lock

    /// The command recorded as holder: `roster` and its subcommand (`roster import`), never an argument's value.
    static let command: String = {
        let subcommands: Set = [
            "audit", "check", "console", "customer", "demo", "device", "export", "externalcode", "field", "generate",
            "import", "init", "preview", "query", "serve",
        ]
        guard let name = CommandLine.arguments.dropFirst().first(where: { subcommands.contains($0) }) else {
            return "roster"
        }
        return "roster \(name)"
    }()

    private static let recordSize = 96

    /// Why the lock file could not be opened, when that is not a read-only folder (a symlink planted there).
    private let failure: String?

    init(storePath: String) {
        path = storePath + ".lock"
        var descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0o600)
        if descriptor < 0 { descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK) }
        let readOnly = [EACCES, EROFS, EPERM, ENOENT].contains(errno)
        var failure = descriptor >= 0 || readOnly ? nil : String(cString: strerror(errno))
        // A directory, FIFO or device put there would take the lock but hold no record: refused like a symlink.
        var info = stat()
        if descriptor >= 0, fstat(descriptor, &info) != 0 || info.st_mode & S_IFMT != S_IFREG {
            close(descriptor)
            descriptor = -1
            failure = "it is not a regular file"
        }
        fd = descriptor
        self.failure = failure
    }

    deinit {
        if fd >= 0 { close(fd) }
    }

    /// Takes the shared lock (nested calls count); `fresh` runs on the first hold, to reopen a replaced store.
    func acquireShared(fresh: () throws -> Void) throws {
        try holds.withLock { holds in
            if holds == 0 {
                try lock(LOCK_SH, waiting: Self.wait.withLock { $0 })
                do {
                    try fresh()
                } catch {
                    _ = flock(fd, LOCK_UN)
                    throw error
                }
            }
            holds += 1
        }
    }

    /// Drops one hold; the last one unlocks the file.
    func releaseShared() {
        holds.withLock { holds in
            guard holds > 0 else { return }
            holds -= 1
            if holds == 0, fd >= 0 { _ = flock(fd, LOCK_UN) }
        }
    }

    /// Runs `body` under the exclusive lock, then goes back to what this process held before (reopening through
    /// `fresh` if another process replaced the store meanwhile).
    ///
    /// The shared hold is dropped before the exclusive lock is requested (`flock` converts that way): two
    /// processes that both hold it and both want to swap would otherwise wait for each other for ever.
    func withExclusive<T: Sendable>(waiting seconds: Double, fresh: () throws -> Void, _ body: () throws -> T) throws
        -> T
    {
        guard users.beginSwap(waiting: seconds) else {
            throw RosterError.busy(path: String(path.dropLast(5)), holder: "another task of this process")
        }
        defer { users.endSwap() }
        return try holds.withLock { holds in
            defer {
                if holds > 0 {
                    if (try? lock(LOCK_SH, waiting: .infinity)) == nil || (try? fresh()) == nil {
                        // The store could not be taken again: nothing this process reads is trusted any more.
                        holds = 0
                        _ = flock(fd, LOCK_UN)
                    }
                } else if fd >= 0 {
                    _ = flock(fd, LOCK_UN)
                }
            }
            if fd >= 0, holds > 0 { _ = flock(fd, LOCK_UN) }
            try lock(LOCK_EX, waiting: seconds)
            TestHook.stop(at: "swap-locked")
            return try body()
        }
    }

    private func lock(_ operation: Int32, waiting seconds: Double) throws {
        if let failure {
            throw RosterError.io(
                path: path,
                detail: "cannot open the store's lock file (\(failure)): remove it if it is not a plain file")
        }
        guard fd >= 0 else { return }
        let deadline = Date().addingTimeInterval(seconds)
        var pause: useconds_t = 1_000
        while flock(fd, operation | LOCK_NB) != 0 {
            guard errno == EAGAIN || errno == EINTR else {
                throw RosterError.io(
                    path: path, detail: "cannot lock the store's lock file: \(String(cString: strerror(errno)))")
            }
            guard Date() < deadline else {
                throw RosterError.busy(path: String(path.dropLast(5)), holder: holder())
            }
            // Polled rather than a blocking flock: a blocking call cannot give up at the deadline.
            usleep(pause)
            pause = min(pause * 2, 50_000)
        }
    }

    /// Records this process as the one holding the store's write lock.
    func recordHolder() {
        guard fd >= 0 else { return }
        var record = Array("\(getpid()) \(Self.command)\n".utf8.prefix(Self.recordSize))
        record += [UInt8](repeating: UInt8(ascii: " "), count: Self.recordSize - record.count)
        _ = record.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
    }

    /// The process last recorded as holder, in words (`` `roster import` (pid 4242) ``), if it still runs.
    func holder() -> String? {
        guard fd >= 0 else { return nil }
        var buffer = [UInt8](repeating: 0, count: Self.recordSize)
        let count = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return nil }
        let text = String(decoding: buffer.prefix(count), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let parts = text.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, let pid = Int32(parts[0]), pid != getpid(), kill(pid, 0) == 0 || errno == EPERM
        else { return nil }
        return "`\(parts[1])` (pid \(pid))"
    }
}

/// Named points where a test stops the process (`ROSTER_TEST_STOP_AT=<step>`, tests only): the process sends
/// itself SIGSTOP there, so that a test kills or resumes it exactly at that step instead of guessing with a sleep.
public enum TestHook {
    private static let step = ProcessInfo.processInfo.environment["ROSTER_TEST_STOP_AT"]
    private static let stopped = Mutex(false)

    /// Stops the process the first time it reaches `name`, when the test asked for that step.
    public static func stop(at name: String) {
        guard let step, step == name else { return }
        let first = stopped.withLock { stopped in
            defer { stopped = true }
            return !stopped
        }
        if first { raise(SIGSTOP) }
    }
}
