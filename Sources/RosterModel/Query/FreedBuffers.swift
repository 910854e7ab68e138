#if canImport(Glibc)
    import CMemory
#endif

/// Has the C allocator keep large freed buffers for the next ones instead of handing them back to the kernel.
///
/// The console makes and drops buffers of 4 bytes a row at every sort and filter: 38 MB at 10M rows. glibc serves
/// a request over 32 MiB (its highest automatic threshold) with a fresh mapping and unmaps it when freed, so every
/// sort of every row wrote into memory the kernel had to zero first (and, in a virtual machine, the host to back):
/// at 10M rows that was 6 ms of a 13 ms sort. Below 32 MiB glibc already keeps freed memory, which is why a 1M sort
/// never paid it. With `keep()` buffers up to `mappedFrom` come from the allocator's heaps, and freed memory stays
/// with the process: all of it in the worker threads' heaps (64 MiB each at most, never trimmed below `keptOnTop`),
/// up to `keptOnTop` at the top of the main one. `release()` hands it back after one-off work (loading and
/// preparing a working set, an import), so that only what sorts and filters reuse stays resident.
///
/// For the console, whose buffers come and go at each key, not for the CLI or the server. Thresholds above 32 MiB
/// need glibc 2.35 or later; elsewhere nothing changes.
package enum FreedBuffers {
    /// Requests at least this large still get a mapping of their own (in worker threads, past 64 MiB, anyway).
    package static let mappedFrom = 128 << 20
    /// How much free memory the main heap keeps at its top: twice `mappedFrom`, glibc's own ratio.
    package static let keptOnTop = 256 << 20

    /// Applies the settings to the whole process; true when the allocator took them.
    @discardableResult
    package static func keep() -> Bool {
        #if canImport(Glibc)
            // Setting the trim threshold also stops glibc from moving the mapping threshold by itself: without a
            // mapping threshold of our own (an older glibc refuses one over 32 MiB) it would stay at 128 KiB, and
            // every buffer past that be mapped afresh. So the second only after the first.
            return mallopt(M_MMAP_THRESHOLD, Int32(mappedFrom)) == 1 && mallopt(M_TRIM_THRESHOLD, Int32(keptOnTop)) == 1
        #else
            return false
        #endif
    }

    /// Gives every heap's free memory back to the system (`malloc_trim`). Also for the bulk import: glibc keeps freed
    /// heap memory for reuse and, after arrays of tens of megabytes are freed, raises its threshold for mapping large
    /// blocks separately, so the import's blind-index entries (~70 MB at 1M rows) stayed resident while the working set
    /// was built, and the peak was the sum of both.
    package static func release() {
        #if canImport(Glibc)
            _ = malloc_trim(0)
        #endif
    }
}
