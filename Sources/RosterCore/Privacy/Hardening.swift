import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Process hardening while a store is unlocked.
enum Hardening {
    /// No core dump may carry decrypted customers or keys to disk.
    static func disableCoreDumps() {
        var limit = rlimit(rlim_cur: 0, rlim_max: 0)
        setrlimit(Int32(RLIMIT_CORE.rawValue), &limit)
    }
}
