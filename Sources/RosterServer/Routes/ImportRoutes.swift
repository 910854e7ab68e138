import Foundation
import Hummingbird
import NIOCore
import RosterCSV
import RosterCore
import RosterModel

#if canImport(Glibc)
    import Glibc
#endif

extension SyncServer {
    /// `POST /v2/import?kind=`: a file streamed into the importer, as `roster import KIND FILE --json`.
    func addImportRoutes(_ router: Router<BasicRequestContext>, _ endpoints: Endpoints) {
        let executor = executor
        let limit = configuration.maxCSVBytes
        let storePath = storeFacts.path
        let deadline = configuration.uploadTimeout
        endpoints.add(router, .post, "/v2/import", role: .write) { call in
            let kindName = try call.requiredQuery("kind")
            guard let kind = ImportKind(rawValue: kindName.lowercased()) else {
                throw APIError.invalid(
                    "kind \"\(kindName)\" is not an import kind (expected: "
                        + ImportKind.allCases.map(\.rawValue).joined(separator: ", ") + "); nothing was imported")
            }
            let dryRun = try ImportUpload.flag(call, "dryRun")
            let strict = try ImportUpload.flag(call, "strict")
            let body = call.request.body
            let upload = try await Deadline.run(deadline) {
                try await ImportUpload.receive(body, limit: limit, storePath: storePath)
            }
            let actor = call.actor
            do {
                let summary = try await executor.run { store in
                    try store.importUpload(upload, kind: kind, dryRun: dryRun, strict: strict, actor: actor)
                }
                return Reply(ImportUpload.json(summary))
            } catch let refused as ImportRefused {
                throw APIError(status: .unprocessableContent, code: 4220, message: refused.description)
            } catch let error as CSVReaderError {
                throw APIError.invalid("the upload cannot be read: \(error.description); nothing was imported")
            } catch let error as MappingError {
                // The file's header does not fit the kind (a missing column, a column named twice).
                throw APIError.invalid("the upload cannot be imported: \(error.description); nothing was imported")
            } catch RosterError.io(_, let detail) {
                // The upload's own problem (an encoding, a missing column): the importer's words, nothing imported.
                throw APIError.invalid("the upload cannot be imported: \(detail)")
            }
        }
    }
}

/// Receiving an upload and answering with the importer's summary.
enum ImportUpload {
    /// At most this many rejected rows are listed in an answer; `rejected` counts them all.
    static let maxRejectsShown = 1000

    /// `true` or `false` (absent: false).
    static func flag(_ call: Call, _ name: String) throws -> Bool {
        switch call.query(name)?.lowercased() {
        case nil, "false", "0": return false
        case "true", "1": return true
        case let other?:
            throw APIError.invalid("\(name) must be true or false (got \"\(other)\"); nothing was imported")
        }
    }

    /// Streams the body through a pipe into the importer's sealed spill, as it arrives; over `limit` bytes, the
    /// spill is discarded and the answer is 413.
    static func receive(_ body: RequestBody, limit: Int, storePath: String) async throws -> SealedUpload {
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else {
            throw RosterError.io(
                path: storePath, detail: "cannot receive an upload: \(String(cString: strerror(errno)))")
        }
        let (readEnd, writeEnd) = (ends[0], ends[1])
        // Sealing reads the pipe on a thread of its own while this task writes it.
        async let sealed: SealedUpload = withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                let result = Result { try SealedUpload(readingPipe: readEnd, storePath: storePath) }
                close(readEnd)
                continuation.resume(with: result)
            }
        }
        var failure: (any Error)?
        var received = 0
        do {
            for try await buffer in body {
                received += buffer.readableBytes
                guard received <= limit else {
                    failure = APIError.tooLarge(limit: limit)
                    break
                }
                try write(buffer, to: writeEnd)
            }
        } catch let error as APIError {
            failure = error
        } catch let error as SealingStopped {
            failure = error
        } catch is CancellationError {
            failure = CancellationError()
        } catch {
            // The connection broke before the body's end (the client went away): the client's doing, not a server
            // error, and nothing is imported.
            failure = APIError.invalid("the upload ended before its end; nothing was imported")
        }
        close(writeEnd)
        // The spill ends at the end of the pipe either way; a cut-off upload's spill is dropped, never imported.
        let upload: SealedUpload
        do {
            upload = try await sealed
        } catch {
            if let failure, !(failure is SealingStopped) { throw failure }
            throw error
        }
        if let failure { throw failure }
        return upload
    }

    private static func write(_ buffer: ByteBuffer, to descriptor: Int32) throws {
        try buffer.withUnsafeReadableBytes { bytes in
            var written = 0
            while written < bytes.count {
                let result = Glibc.write(descriptor, bytes.baseAddress! + written, bytes.count - written)
                if result < 0 && errno == EINTR { continue }
                // The sealing side stopped (its error is the answer).
                guard result > 0 else { throw SealingStopped() }
                written += result
            }
        }
    }

    private struct SealingStopped: Error {}

    /// The importer's `--json` summary, its list of rejected rows cut to `maxRejectsShown`.
    static func json(_ summary: ImportSummary) -> JSONValue {
        var shown = summary
        shown.rejects = Array(summary.rejects.prefix(maxRejectsShown))
        guard case .object(let members) = shown.json else { return shown.json }
        return .object(
            members.map { $0.0 == "rejected" ? ("rejected", .int(Int64(summary.rejected))) : $0 }
                + [("rejectsShown", .int(Int64(shown.rejects.count)))])
    }
}
