import Crypto
import Foundation
import RosterModel

/// Derives externalCodes: lowercase hex HMAC-SHA256(app key, CRM id), as the platform's web SDK `logIn` does.
public struct ExternalCodeDeriver: Sendable {
    private let keyed: KeyedSHA256

    /// `appKey` is used as its UTF-8 bytes, exactly like the SDK.
    public init(appKey: String) {
        keyed = KeyedSHA256(key: SymmetricKey(data: Array(appKey.utf8)))
    }

    /// The raw 32-byte code for a CRM id (trimmed first).
    public func code(for crmId: String) -> [UInt8] {
        keyed.authenticate(CRMID.trim(crmId)) { Array($0) }
    }

    /// Calls `body` with the raw 32-byte code of a CRM id (trimmed first), without allocating it.
    func withCode<Result>(for crmId: String, _ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try keyed.authenticate(CRMID.trim(crmId), body)
    }

    /// The raw code of a CRM id (trimmed first) as a value.
    func rawCode(for crmId: String) -> RawCode {
        withCode(for: crmId, RawCode.init)
    }

    /// The externalCode of a CRM id as lowercase hex.
    public func externalCode(for crmId: String) -> String {
        Hex.encode(code(for: crmId))
    }
}

/// A raw 32-byte externalCode held in a value: no allocation, and a closure needing it captures 32 bytes, not the
/// row it came from. (An externalCode is an identifier, not key material: nothing to wipe.)
struct RawCode {
    private var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

    init(_ raw: UnsafeRawBufferPointer) {
        precondition(raw.count == 32, "an externalCode has 32 bytes")
        withUnsafeMutableBytes(of: &words) { $0.copyMemory(from: raw) }
    }

    func withUnsafeBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try Swift.withUnsafeBytes(of: words, body)
    }
}
