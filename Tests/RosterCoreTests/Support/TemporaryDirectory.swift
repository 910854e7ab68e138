import Foundation
import RosterCore

/// A directory under the system temp folder, removed when the value is released.
final class TemporaryDirectory {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "roster-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func file(_ name: String) -> String { path + "/" + name }

    /// A new store locked by a fresh key file (key files keep tests fast: no scrypt).
    func makeStore(region: String = "eu", appKey: String? = "ak-123456", timeZone: String = "Europe/Madrid") throws
        -> Store
    {
        let keyFile = file("store.key")
        if !FileManager.default.fileExists(atPath: keyFile) { try KeyFile.create(at: keyFile) }
        return try Store.create(
            at: file("store.roster"), region: region, appKey: appKey, timeZone: timeZone,
            key: .keyFile(path: keyFile))
    }

    /// Every byte of the store file and its WAL, as they are on disk now.
    func storeBytes() -> [UInt8] {
        ["store.roster", "store.roster-wal", "store.roster-journal"].flatMap { name in
            FileManager.default.contents(atPath: file(name)).map(Array.init) ?? []
        }
    }
}

extension Array where Element == UInt8 {
    /// Whether `needle` occurs anywhere in these bytes.
    func contains(bytes needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, needle.count <= count else { return false }
        let first = needle[0]
        var index = 0
        while index <= count - needle.count {
            if self[index] == first, Array(self[index..<index + needle.count]) == needle { return true }
            index += 1
        }
        return false
    }
}
