import Foundation
import RosterModel

#if canImport(Glibc)
    import Glibc
#endif

/// An import file received over the network: read to its end into the importer's sealed spill (AES-256-GCM under a
/// key that lives only in this process, in an unlinked file), so that no byte of it reaches the disk in clear.
///
/// Filled by `init` and read afterwards by the one import given it (the server hands it to the store's executor).
public final class SealedUpload: Sendable {
    let input: InputFile

    /// The number of bytes received.
    public var size: Int { input.size }

    /// Reads the pipe `descriptor` (the upload as it arrives) to its end into a sealed spill beside `storePath`;
    /// the descriptor stays the caller's.
    public init(readingPipe descriptor: Int32, storePath: String) throws {
        // A pipe is not a regular file, so the input is read once into the spill, as standard input is.
        input = try InputFile(path: "/dev/fd/\(descriptor)", spillFolder: PathResolution.parent(of: storePath))
    }
}

extension Store {
    /// Imports an upload as `roster import KIND` imports a file: the same importer, summary and rejects; the audit
    /// log names `actor`.
    public func importUpload(
        _ upload: SealedUpload, kind: ImportKind, dryRun: Bool, strict: Bool, actor: String
    ) throws -> ImportSummary {
        var options = ImportOptions(kind: kind, path: "the upload")
        options.dryRun = dryRun
        options.strict = strict
        let importer = Importer(store: self, options: options)
        importer.input = upload.input
        return try attributed(to: actor) { _ in try importer.run() }
    }
}
