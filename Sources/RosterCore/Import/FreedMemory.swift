import Foundation

/// Gives the memory freed so far back to the system.
///
/// glibc keeps freed heap memory for reuse, and after arrays of tens of megabytes are freed it raises its
/// threshold for mapping large blocks separately: a bulk import's blind-index entries (~70 MB at 1M rows) then
/// stayed resident while the working set was built, and the peak was the sum of both. `malloc_trim` is a glibc
/// extension, looked up at run time (`GlibcExtension`); elsewhere this does nothing.
enum FreedMemory {
    private typealias Trim = @convention(c) (Int) -> Int32
    private static let trim = GlibcExtension.function("malloc_trim", as: Trim.self)

    static func release() {
        _ = trim?(0)
    }
}
