#if canImport(Glibc)
    import Glibc
#endif

/// Asks the kernel to back a large buffer with 2 MiB pages where it can.
///
/// A sort's output at 10M rows (38 MB) is written out of order, bucket by bucket or rank by rank: with 4 KiB pages
/// nearly every such write also misses the TLB. Transparent huge pages are on "madvise" on the machines measured here,
/// so a buffer gets them only when asked. Not for the working set's own buffers: advising them as the snapshot was
/// decrypted into them made the first screen of a 10M store 1.5-2.5 s slower (the kernel compacts memory to find each
/// 2 MiB page when it faults in). Advice only: on failure, or where there is no such call, nothing changes. Only the
/// 2 MiB-aligned part of the buffer is advised, so no page reaches outside it and resident memory does not grow.
package enum HugePages {
    private static let size = 2 << 20
    /// Buffers smaller than this are left alone (a few huge pages would not matter).
    private static let minimum = 16 << 20

    /// Advises the pages of `buffer`, best before it is first written (the pages are then made huge as they fault in).
    package static func advise(_ buffer: UnsafeMutableRawBufferPointer) {
        #if canImport(Glibc)
            guard buffer.count >= minimum, let base = buffer.baseAddress else { return }
            let start = (Int(bitPattern: base) + size - 1) & ~(size - 1)
            let end = (Int(bitPattern: base) + buffer.count) & ~(size - 1)
            guard end > start, let pointer = UnsafeMutableRawPointer(bitPattern: start) else { return }
            _ = madvise(pointer, end - start, MADV_HUGEPAGE)
        #endif
    }
}
