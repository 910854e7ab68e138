import Crypto

/// HMAC-SHA256 (RFC 2104) with the key's inner and outer hash states computed once.
///
/// swift-crypto's `HMAC<SHA256>` is right but generic and not inlinable: every use from this
/// module went through unspecialized code (type metadata lookups, `DataProtocol` regions) that
/// cost as much as the hashing itself — a third of a bulk import, which computes five MACs per
/// row. This type calls the concrete `SHA256` instead; tests check it against `HMAC<SHA256>` for
/// keys shorter than, as long as and longer than a block.
struct KeyedSHA256: Sendable {
    private let inner: SHA256
    private let outer: SHA256

    init(key: SymmetricKey) {
        var block = [UInt8](repeating: 0, count: SHA256.blockByteCount)
        key.withUnsafeBytes { raw in
            if raw.count > block.count {
                SHA256.hash(data: raw).withUnsafeBytes { block.replaceSubrange(0..<$0.count, with: $0) }
            } else {
                block.replaceSubrange(0..<raw.count, with: raw)
            }
        }
        var inner = SHA256()
        inner.update(data: block.map { $0 ^ 0x36 })
        var outer = SHA256()
        outer.update(data: block.map { $0 ^ 0x5c })
        self.inner = inner
        self.outer = outer
    }

    /// Calls `body` with the 32-byte MAC of `message`.
    func authenticate<Result>(
        _ message: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) throws -> Result
    ) rethrows -> Result {
        var inner = self.inner
        inner.update(bufferPointer: message)
        var outer = self.outer
        inner.finalize().withUnsafeBytes { outer.update(bufferPointer: $0) }
        return try outer.finalize().withUnsafeBytes(body)
    }

    /// Calls `body` with the 32-byte MAC of a string's UTF-8 bytes.
    func authenticate<Result>(_ text: String, _ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        var copy = text
        return try copy.withUTF8 { try authenticate(UnsafeRawBufferPointer($0), body) }
    }

    /// The MAC of some bytes.
    func code(_ message: [UInt8]) -> [UInt8] {
        message.withUnsafeBytes { authenticate($0) { Array($0) } }
    }
}
