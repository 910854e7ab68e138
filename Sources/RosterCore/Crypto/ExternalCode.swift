import Crypto
import Foundation

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

/// Lowercase hexadecimal, as externalCodes are written.
public enum Hex {
    /// The lowercase hex digit of a value below 16.
    @inline(__always)
    static func digit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? nibble &+ 0x30 : nibble &+ 0x57
    }

    /// Lowercase hex of some bytes.
    public static func encode<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        var out = [UInt8]()
        out.reserveCapacity(64)
        for byte in bytes {
            out.append(digit(byte >> 4))
            out.append(digit(byte & 0x0f))
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Bytes of a hex string (either case), or nil if it is not hex.
    public static func decode(_ text: String) -> [UInt8]? {
        let utf8 = Array(text.utf8)
        guard utf8.count % 2 == 0 else { return nil }
        func nibble(_ char: UInt8) -> UInt8? {
            switch char {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): return char - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): return char - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): return char - UInt8(ascii: "A") + 10
            default: return nil
            }
        }
        var out = [UInt8]()
        out.reserveCapacity(utf8.count / 2)
        var index = 0
        while index < utf8.count {
            guard let high = nibble(utf8[index]), let low = nibble(utf8[index + 1]) else { return nil }
            out.append(high << 4 | low)
            index += 2
        }
        return out
    }
}
