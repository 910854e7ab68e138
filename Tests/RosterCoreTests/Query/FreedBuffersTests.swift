import Testing

@testable import RosterModel

#if canImport(Glibc)
    import Glibc
#endif

@Suite("Large freed buffers kept by the C allocator for the console's next sort")
struct FreedBuffersTests {
    #if canImport(Glibc)
        @Test("after keep(), a sort's output at 10M rows comes from the allocator's heap, not a mapping of its own")
        func heapNotMapping() throws {
            #expect(FreedBuffers.keep())
            let bytes = 9_613_060 * 4
            let buffer = try #require(malloc(bytes))
            defer { free(buffer) }
            // glibc's chunk header, just before the buffer: its size, whose bit 1 says the chunk is a mapping of its
            // own (unmapped, hence zeroed afresh by the kernel, at each free and malloc).
            let header = buffer.load(fromByteOffset: -MemoryLayout<Int>.size, as: UInt.self)
            #expect(header & 2 == 0, "a 38 MB buffer is still mapped on its own")
            #expect(Int(header & ~7) >= bytes)
        }
    #endif
}
