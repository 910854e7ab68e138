import CCryptoBoringSSL

/// The two primitives that a million-row import and a full decrypt spend their time in — HMAC-SHA256 and
/// AES-256-GCM with a fresh key per customer — called through BoringSSL's C API.
///
/// This is the only file that imports `CCryptoBoringSSL`, the BoringSSL copy that swift-crypto builds and
/// links: it is not one of swift-crypto's published products, so an upgrade of swift-crypto may rename or
/// move it (Package.swift pins the exact version). The need was measured (docs/import.md): through
/// swift-crypto's Swift API a 32-byte-key seal of a 200-byte record cost ~2.5 µs and an HMAC with a
/// precomputed key state 0.8–1.5 µs (a copy-on-write hash context allocated per use, `Data` and
/// `SealedBox` values), against ~0.4 µs and ~0.15 µs here, on the same BoringSSL code. Everything else in
/// Roster (key wrapping, HKDF, scrypt, snapshot chunks) uses the Swift API. Tests check both functions
/// against swift-crypto's `HMAC<SHA256>` and `AES.GCM` (each opens what the other seals) and RFC 4231.
enum BoringPrimitives {
    /// A SHA-256 state after some blocks: copied, not shared, so two threads can continue it at once.
    ///
    /// Invariant behind `@unchecked Sendable`: it wraps BoringSSL's C `SHA256_CTX`, plain words with no pointer
    /// inside, which every use copies (`var context = inner.context`) before it updates it; no two threads ever
    /// write the same context.
    struct HashState: @unchecked Sendable {
        fileprivate var context = SHA256_CTX()
    }

    /// The inner and outer states of HMAC-SHA256 for a key (RFC 2104).
    static func hmacStates(key: UnsafeRawBufferPointer) -> (inner: HashState, outer: HashState) {
        var block = [UInt8](repeating: 0, count: 64)
        if key.count > 64 {
            block.withUnsafeMutableBytes { _ = CCryptoBoringSSL_SHA256(key.baseAddress, key.count, $0.baseAddress) }
        } else if key.count > 0 {
            block.withUnsafeMutableBytes { $0.copyMemory(from: key) }
        }
        var inner = HashState()
        var outer = HashState()
        CCryptoBoringSSL_SHA256_Init(&inner.context)
        CCryptoBoringSSL_SHA256_Init(&outer.context)
        var pad = block.map { $0 ^ 0x36 }
        CCryptoBoringSSL_SHA256_Update(&inner.context, &pad, 64)
        wipe(&pad)
        pad = block.map { $0 ^ 0x5c }
        CCryptoBoringSSL_SHA256_Update(&outer.context, &pad, 64)
        wipe(&pad)
        wipe(&block)
        return (inner, outer)
    }

    /// Overwrites key material with zeros in a way the compiler does not remove.
    static func wipe(_ bytes: inout [UInt8]) {
        bytes.withUnsafeMutableBytes { wipe($0) }
    }

    static func wipe(_ bytes: UnsafeMutableRawBufferPointer) {
        guard let base = bytes.baseAddress else { return }
        CCryptoBoringSSL_OPENSSL_cleanse(base, bytes.count)
    }

    /// Writes HMAC-SHA256(key, message) — 32 bytes — to `mac`, from the key's two states.
    @inline(__always)
    static func hmac(
        inner: HashState, outer: HashState, _ message: UnsafeRawBufferPointer, into mac: UnsafeMutableRawPointer
    ) {
        var context = inner.context
        CCryptoBoringSSL_SHA256_Update(&context, message.baseAddress, message.count)
        let digest = mac.assumingMemoryBound(to: UInt8.self)
        CCryptoBoringSSL_SHA256_Final(digest, &context)
        context = outer.context
        CCryptoBoringSSL_SHA256_Update(&context, digest, 32)
        CCryptoBoringSSL_SHA256_Final(digest, &context)
        withUnsafeMutableBytes(of: &context) { wipe($0) }
    }

    /// AES-256-GCM with a 12-byte nonce and a 16-byte tag, the layout swift-crypto's `AES.GCM` uses.
    enum GCM {
        static let nonceCount = 12
        static let tagCount = 16

        /// Seals `plaintext` under a 32-byte key: writes ciphertext and tag (`plaintext.count + 16` bytes) to
        /// `out`. Returns false only if BoringSSL refuses the arguments (a wrong key or nonce length).
        static func seal(
            key: UnsafeRawBufferPointer, nonce: UnsafeRawBufferPointer, plaintext: UnsafeRawBufferPointer,
            associatedData: UnsafeRawBufferPointer, into out: UnsafeMutableRawPointer
        ) -> Bool {
            withContext(key: key) { context in
                var written = 0
                let sealed =
                    CCryptoBoringSSL_EVP_AEAD_CTX_seal(
                        context, out.assumingMemoryBound(to: UInt8.self), &written, plaintext.count + tagCount,
                        nonce.baseAddress?.assumingMemoryBound(to: UInt8.self), nonce.count,
                        plaintext.baseAddress?.assumingMemoryBound(to: UInt8.self), plaintext.count,
                        associatedData.baseAddress?.assumingMemoryBound(to: UInt8.self), associatedData.count) == 1
                if !sealed { CCryptoBoringSSL_ERR_clear_error() }
                return sealed && written == plaintext.count + tagCount
            }
        }

        /// Opens ciphertext + tag under a 32-byte key: writes `sealed.count - 16` bytes to `out`. Returns false
        /// when the tag does not verify (wrong key, nonce or associated data, or altered bytes).
        static func open(
            key: UnsafeRawBufferPointer, nonce: UnsafeRawBufferPointer, sealed: UnsafeRawBufferPointer,
            associatedData: UnsafeRawBufferPointer, into out: UnsafeMutableRawPointer
        ) -> Bool {
            guard sealed.count >= tagCount else { return false }
            return withContext(key: key) { context in
                var written = 0
                let opened =
                    CCryptoBoringSSL_EVP_AEAD_CTX_open(
                        context, out.assumingMemoryBound(to: UInt8.self), &written, sealed.count - tagCount,
                        nonce.baseAddress?.assumingMemoryBound(to: UInt8.self), nonce.count,
                        sealed.baseAddress?.assumingMemoryBound(to: UInt8.self), sealed.count,
                        associatedData.baseAddress?.assumingMemoryBound(to: UInt8.self), associatedData.count) == 1
                if !opened { CCryptoBoringSSL_ERR_clear_error() }
                return opened && written == sealed.count - tagCount
            }
        }

        /// A context for one key on the stack: AES-GCM's state lives inside `EVP_AEAD_CTX`, nothing is allocated.
        @inline(__always)
        private static func withContext(key: UnsafeRawBufferPointer, _ body: (UnsafePointer<EVP_AEAD_CTX>) -> Bool)
            -> Bool
        {
            guard key.count == 32 else { return false }
            return withUnsafeTemporaryAllocation(of: EVP_AEAD_CTX.self, capacity: 1) { buffer in
                let context = buffer.baseAddress!
                guard
                    CCryptoBoringSSL_EVP_AEAD_CTX_init(
                        context, CCryptoBoringSSL_EVP_aead_aes_256_gcm(),
                        key.baseAddress?.assumingMemoryBound(to: UInt8.self),
                        32, tagCount, nil) == 1
                else {
                    CCryptoBoringSSL_ERR_clear_error()
                    return false
                }
                defer {
                    CCryptoBoringSSL_EVP_AEAD_CTX_cleanup(context)
                    CCryptoBoringSSL_OPENSSL_cleanse(context, MemoryLayout<EVP_AEAD_CTX>.size)
                }
                return body(context)
            }
        }
    }
}
