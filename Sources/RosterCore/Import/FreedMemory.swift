import Foundation
import RosterModel

/// Gives the memory freed so far back to the system.
///
/// glibc keeps freed heap memory for reuse, and after arrays of tens of megabytes are freed it raises its
/// threshold for mapping large blocks separately: a bulk import's blind-index entries (~70 MB at 1M rows) then
/// stayed resident while the working set was built, and the peak was the sum of both (more so in the console,
/// which keeps freed memory on purpose: `FreedBuffers`).
enum FreedMemory {
    static func release() {
        FreedBuffers.release()
    }
}
