import Foundation

/// glibc functions that Swift's Glibc module does not import (GNU extensions such as `malloc_trim` and
/// `sync_file_range`), looked up at run time: nil where the C library has no such symbol.
enum GlibcExtension {
    static func function<Function>(_ name: String, as type: Function.Type) -> Function? {
        // A null handle is glibc's RTLD_DEFAULT: the symbol is looked up in the process's libraries.
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), name) else { return nil }
        return unsafeBitCast(symbol, to: type)
    }
}
