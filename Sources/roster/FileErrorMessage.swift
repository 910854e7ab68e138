import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Foundation's file errors (`NSCocoaErrorDomain Code=640 …`) as a sentence that names the file and says what to do.
///
/// Roster's own file code throws `RosterError.io` with such sentences; this catches what still comes from Foundation
/// (a library call, a path this build did not route through `OutputFile`), so that no user sees an error code.
enum FileErrorMessage {
    static func sentence(for error: Error) -> String? {
        let error = error as NSError
        guard error.domain == NSCocoaErrorDomain || error.domain == NSPOSIXErrorDomain else { return nil }
        let path =
            error.userInfo[NSFilePathErrorKey] as? String ?? (error.userInfo[NSURLErrorKey] as? URL)?.path
            ?? "a file"
        let posix = (error.userInfo[NSUnderlyingErrorKey] as? NSError).flatMap {
            $0.domain == NSPOSIXErrorDomain ? Int32($0.code) : nil
        }
        switch (error.domain, error.code) {
        case (NSCocoaErrorDomain, CocoaError.fileWriteOutOfSpace.rawValue), (NSPOSIXErrorDomain, Int(ENOSPC)):
            return "no space left on device writing \(path): free some space or write elsewhere"
        case (NSCocoaErrorDomain, CocoaError.fileWriteVolumeReadOnly.rawValue), (NSPOSIXErrorDomain, Int(EROFS)):
            return "\(path) is on a read-only file system: write elsewhere"
        case (NSCocoaErrorDomain, CocoaError.fileWriteNoPermission.rawValue):
            return "permission denied writing \(path): choose a folder you can write to"
        case (NSCocoaErrorDomain, CocoaError.fileReadNoPermission.rawValue):
            return "permission denied reading \(path)"
        case (NSCocoaErrorDomain, CocoaError.fileNoSuchFile.rawValue),
            (NSCocoaErrorDomain, CocoaError.fileReadNoSuchFile.rawValue):
            return "\(path) does not exist"
        default:
            let code = posix ?? (error.domain == NSPOSIXErrorDomain ? Int32(error.code) : nil)
            guard let code else { return "cannot use \(path): \(error.localizedDescription)" }
            return "cannot use \(path): \(String(cString: strerror(code)))"
        }
    }
}
