/// One pass over an input that is read several times from its start (an import's file: once to plan, once to
/// write), as the CSV and line readers take it.
///
/// The readers do not know how the bytes are kept between passes (a descriptor read with `pread`, a sealed spill of
/// a pipe): the importer gives each pass as this value, so the CSV reader stands alone.
package struct BytePass {
    /// The input's path, for error messages.
    let name: String
    /// The bytes the pass will read.
    let size: Int
    /// Reads up to `count` bytes into the buffer, in order; 0 at the end of the input.
    let read: (_ into: UnsafeMutablePointer<UInt8>, _ count: Int) throws -> Int

    package init(
        name: String, size: Int, read: @escaping (_ into: UnsafeMutablePointer<UInt8>, _ count: Int) throws -> Int
    ) {
        self.name = name
        self.size = size
        self.read = read
    }
}
