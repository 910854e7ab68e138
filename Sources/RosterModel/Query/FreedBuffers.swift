#if canImport(Glibc)
    import CMemory
#endif

/// Has the C allocator keep large freed buffers for the next ones instead of handing them back to the kernel.
///
/// The console makes and drops buffers of 4 bytes a row at every sort and filter: 38 MB at 10M rows. glibc serves
/// a request over 32 MiB (its highest automatic threshold) with a fresh mapping and unmaps it when freed, so every
/// sort of every row wrote into memory the kernel had to zero first (and, in a virtual machine, the host to back):
/// at 10M rows that was 6 ms of a 13 ms sort. Below 32 MiB glibc already keeps freed memory, which is why a 1M sort
/// never paid it. With these settings buffers up to `mappedFrom` come from the allocator's heaps and stay with the
/// process once freed (up to `keptOnTop` at the top of a heap), ready for the next sort: the peak grows by about one
/// buffer (28 MiB at 10M rows), and the resident size no longer falls back after a large operation.
///
/// For the console, whose buffers come and go at each key, not for the CLI or the server. On other C libraries,
/// nothing changes.
package enum FreedBuffers {
    /// Requests at least this large still get a mapping of their own. Threads' heaps hold at most 64 MiB, so past
    /// that glibc maps them anyway.
    package static let mappedFrom = 128 << 20
    /// How much free memory a heap keeps at its top instead of returning it.
    package static let keptOnTop = 1 << 30

    /// Applies the settings to the whole process; true when the allocator took them.
    @discardableResult
    package static func keep() -> Bool {
        #if canImport(Glibc)
            // Setting the trim threshold also stops glibc from moving the mapping threshold by itself.
            return mallopt(M_MMAP_THRESHOLD, Int32(mappedFrom)) == 1 && mallopt(M_TRIM_THRESHOLD, Int32(keptOnTop)) == 1
        #else
            return false
        #endif
    }
}
