import Crypto
import Foundation
import RosterModel

/// The last line of a jsonl export: how many lines come before it and their SHA-256, so that an import can tell a
/// whole export from a truncated or edited one.
///
/// `{"roster":"end","lines":N,"sha256":"…"}` — N counts every line before it, the header included; the digest is
/// over each of those lines' bytes followed by one line feed (so a file whose line breaks became CRLF still
/// matches). It guards against accidents (a copy cut short, a line edited by hand), not against someone who means
/// to forge an export: anyone can recompute a SHA-256.
struct JSONLTrailer {
    /// The export version whose files end with a trailer; version 1 files have none and import as before.
    static let firstVersion = 2

    private(set) var lines = 0
    private var hasher = SHA256()

    /// Counts one line (without its line break).
    mutating func add<Bytes: Collection<UInt8>>(line: Bytes) {
        hasher.update(data: Array(line))
        hasher.update(data: [0x0A])
        lines += 1
    }

    var digest: String {
        hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    /// The trailer line for the lines added so far, with its line break.
    var line: [UInt8] {
        let value = JSONValue.object([
            ("roster", .string("end")), ("lines", .int(Int64(lines))), ("sha256", .string(digest)),
        ])
        return Array((value.rendered() + "\n").utf8)
    }

    /// Whether a line is an export's end line (it names itself first, as the export's writer renders it).
    static func isTrailer(_ line: [UInt8]) -> Bool {
        line.starts(with: Array(#"{"roster":"end""#.utf8))
    }

    /// Checks an export line by line while it is read, before anything is imported.
    struct Verifier {
        let path: String
        let required: Bool
        private var trailer = JSONLTrailer()
        private var end: (line: Int, lines: Int, digest: String)?

        /// `version` is the export's, from its first line: a trailer is required from `firstVersion` on.
        init(path: String, version: Int) {
            self.path = path
            self.required = version >= JSONLTrailer.firstVersion
        }

        /// Takes line `number` (1-based); returns whether it is the end line (not a customer).
        mutating func add(_ line: [UInt8], number: Int) throws -> Bool {
            if let end, !line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) {
                throw refusal(
                    "line \(number) comes after the end line (line \(end.line)): lines were appended to the export")
            }
            guard JSONLTrailer.isTrailer(line) else {
                trailer.add(line: line)
                return false
            }
            guard let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any],
                let count = object["lines"] as? Int, let digest = object["sha256"] as? String
            else { throw refusal("line \(number), the end line, is damaged") }
            end = (number, count, digest)
            return true
        }

        /// After the last line: `lastLine` is its number, `endsWithLineBreak` whether the file ends with one.
        func finish(lastLine: Int, endsWithLineBreak: Bool) throws {
            guard let end else {
                guard required else { return }
                if !endsWithLineBreak && lastLine > 0 {
                    throw refusal("line \(lastLine) is cut off (the file ends inside it): the export was truncated")
                }
                throw refusal(
                    "it ends at line \(lastLine) without its end line: the export was truncated after line \(lastLine)")
            }
            guard end.lines == trailer.lines else {
                throw refusal(
                    "its end line (line \(end.line)) counts \(end.lines) lines before it, but the file has "
                        + "\(trailer.lines): lines were \(end.lines > trailer.lines ? "removed" : "added")")
            }
            guard end.digest == trailer.digest else {
                throw refusal(
                    "lines 1–\(end.line - 1) do not match the digest in its end line (line \(end.line)): the export "
                        + "was edited")
            }
        }

        private func refusal(_ reason: String) -> RosterError {
            RosterError.invalidValue(.incompleteExport(path: path, reason: reason))
        }
    }
}
