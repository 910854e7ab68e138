import Foundation

/// The temporary files a writer keeps beside the store while it builds a replacement (`store.roster.import-<pid>`,
/// and the spill and journal files named after it).
///
/// The store owns their naming so that it can remove the ones a killed process left, when it opens, without
/// knowing which writer made them: a sealed copy must not outlive an erasure made after the kill.
enum StagingFile {
    /// The staging path of this process for the store at `storePath`.
    static func path(of storePath: String) -> String {
        storePath + marker + "\(getpid())"
    }

    private static let marker = ".import-"

    /// Removes the staging files of processes that no longer run (the running ones are still writing theirs).
    static func removeLeftovers(of storePath: String) {
        let directory = (storePath as NSString).deletingLastPathComponent
        let prefix = (storePath as NSString).lastPathComponent + marker
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.isEmpty ? "." : directory)) ?? []
        for name in names where name.hasPrefix(prefix) {
            let pidText = name.dropFirst(prefix.count).prefix { $0.isNumber }
            if let pid = Int32(pidText), pid != getpid(), kill(pid, 0) == 0 { continue }
            try? FileManager.default.removeItem(atPath: (directory.isEmpty ? "." : directory) + "/" + name)
        }
    }
}
