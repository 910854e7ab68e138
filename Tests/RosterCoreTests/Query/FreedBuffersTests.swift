import Testing

@testable import RosterModel

#if canImport(Glibc)
    import Glibc
#endif

/// `keep()` applies to the whole test process: harmless to the other tests (large buffers are kept for reuse).
@Suite("Large freed buffers kept by the C allocator for the console's next sort")
struct FreedBuffersTests {
    #if canImport(Glibc)
        /// Pages this thread has had the kernel supply so far.
        private func threadFaults() -> Int {
            var usage = rusage()
            // RUSAGE_THREAD (a GNU extension the Glibc module leaves out): this thread only, whatever others do.
            getrusage(__rusage_who_t(1), &usage)
            return usage.ru_minflt
        }

        @Test("after keep(), a 10M-row sort's output comes from the heap, and once freed is reused without new pages")
        func reusedWithoutNewPages() throws {
            #expect(FreedBuffers.keep())
            let bytes = 9_613_060 * 4
            let first = try #require(malloc(bytes))
            // glibc's chunk header, just before the buffer: its size, whose bit 1 says the chunk is a mapping of its
            // own (unmapped when freed, and zeroed afresh by the kernel at the next malloc).
            let header = first.load(fromByteOffset: -MemoryLayout<Int>.size, as: UInt.self)
            #expect(header & 2 == 0, "a 38 MB buffer is still mapped on its own")
            memset(first, 1, bytes)
            free(first)
            // Freed, the buffer stays with the heap (the trim threshold is above it): the next one of its size is
            // written without the kernel supplying its 9,388 pages again.
            let before = threadFaults()
            let second = try #require(malloc(bytes))
            memset(second, 2, bytes)
            let faults = threadFaults() - before
            free(second)
            #expect(faults < bytes / 4096 / 10, "\(faults) pages supplied anew")
        }
    #endif
}
