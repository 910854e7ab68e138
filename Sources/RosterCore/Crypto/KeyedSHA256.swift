import Crypto

/// HMAC-SHA256 (RFC 2104) with the key's inner and outer hash states computed once.
///
/// A bulk import computes five MACs per row (externalCode, data key, three blind indexes). Through
/// swift-crypto's `HMAC<SHA256>` or even its concrete `SHA256` each cost 0.8–1.5 µs — a hash context
/// allocated and copied per use around two SHA-256 blocks — so the states are BoringSSL's plain
/// structs here (`BoringPrimitives`), copied on the stack. Tests check it against `HMAC<SHA256>` for keys
/// shorter than, as long as and longer than a block, and against RFC 4231.
struct KeyedSHA256: Sendable {
    private let inner: BoringPrimitives.HashState
    private let outer: BoringPrimitives.HashState

    init(key: SymmetricKey) {
        (inner, outer) = key.withUnsafeBytes { BoringPrimitives.hmacStates(key: $0) }
    }

    /// Calls `body` with the 32-byte MAC of `message`.
    @inline(__always)
    func authenticate<Result>(
        _ message: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) throws -> Result
    ) rethrows -> Result {
        var mac = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        return try withUnsafeMutableBytes(of: &mac) { raw in
            // The MAC may be key material (a customer's data key): wiped when `body` is done with it.
            defer { BoringPrimitives.wipe(raw) }
            BoringPrimitives.hmac(inner: inner, outer: outer, message, into: raw.baseAddress!)
            return try body(UnsafeRawBufferPointer(raw))
        }
    }

    /// Calls `body` with the 32-byte MAC of a string's UTF-8 bytes.
    func authenticate<Result>(_ text: String, _ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try text.withUTF8Bytes { try authenticate(UnsafeRawBufferPointer($0), body) }
    }

    /// The MAC of some bytes.
    func code(_ message: [UInt8]) -> [UInt8] {
        message.withUnsafeBytes { authenticate($0) { Array($0) } }
    }
}
