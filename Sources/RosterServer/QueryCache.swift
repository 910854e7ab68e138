import Foundation
import RosterCore
import Synchronization

/// The working set `POST /v2/query` filters, kept between calls for as long as the store's data does not change.
///
/// Building it decrypts or patches every customer (seconds on a million): it is built on a read-only connection,
/// off the store thread, once per change stamp (`meta.dataVersion`, moved by every committed change, whoever made
/// it), and the filter index's prepared columns are reused by every query on that version.
final class QueryCache: Sendable {
    private let cached = Mutex<CachedSegment?>(nil)
    private let builds = Mutex(0)

    /// How many times a working set was built (tests).
    var buildCount: Int { builds.withLock { $0 } }

    /// The segment for the store as it is now (`store` is a reader, used by this call alone).
    func segment(_ store: Store) throws -> Segment {
        let stamp = try store.changeStamp()
        if let current = cached.withLock({ $0 }), current.stamp == stamp, current.path == store.path {
            return current.segment
        }
        let segment = try Segment(store: store)
        builds.withLock { $0 += 1 }
        cached.withLock { $0 = CachedSegment(stamp: stamp, path: store.path, segment: segment) }
        return segment
    }
}

/// A built segment: its working set is immutable once made, and the index prepares columns under its own mutex.
private final class CachedSegment: Sendable {
    let stamp: Store.ChangeStamp
    let path: String
    let segment: Segment

    init(stamp: Store.ChangeStamp, path: String, segment: Segment) {
        self.stamp = stamp
        self.path = path
        self.segment = segment
    }
}
