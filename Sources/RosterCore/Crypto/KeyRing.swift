import Crypto
import CryptoExtras
import Foundation

/// The purpose keys of one unlocked store, all derived from its root key with HKDF.
///
/// One root key per store, never stored in clear; each use gets its own key so that a leak of
/// one (say, the blind-index key) reveals nothing sealed under another.
struct KeyRing: Sendable {
    /// Seals device records and the app key.
    let recordKey: SymmetricKey
    /// Authenticates the store header (region, time zone, format).
    let headerKey: SymmetricKey
    /// Chains the audit log: each entry's MAC covers the previous one.
    let auditKey: SymmetricKey
    /// `auditKey` keyed once: the sync server appends an entry per write.
    let auditMAC: KeyedSHA256
    /// Derives each customer's data key from the random salt kept in its row (erasure deletes the salt).
    let customerKeys: KeyedSHA256
    /// One blind-index key per identifier kind.
    let blindIndex: BlindIndexer
    /// Seals the names and values of the store's settings and saved segments.
    let settingKey: SymmetricKey
    /// Blind-indexes setting and segment names, so that one is found without unsealing the others.
    let settingIndex: KeyedSHA256

    init(root: SymmetricKey, storeID: [UInt8]) {
        func derive(_ purpose: String) -> SymmetricKey {
            HKDF<SHA256>.deriveKey(
                inputKeyMaterial: root, salt: storeID, info: Array("roster/v1/\(purpose)".utf8), outputByteCount: 32)
        }
        recordKey = derive("record")
        headerKey = derive("header")
        customerKeys = KeyedSHA256(key: derive("customer-key"))
        auditKey = derive("audit")
        auditMAC = KeyedSHA256(key: auditKey)
        blindIndex = BlindIndexer(
            identity: derive("blind-index/identity"), email: derive("blind-index/email"),
            phone: derive("blind-index/phone"), deviceId: derive("blind-index/device-id"))
        settingKey = derive("setting")
        settingIndex = KeyedSHA256(key: derive("blind-index/setting"))
    }
}

extension KeyRing {
    /// The data key of one customer: HMAC-SHA256(customer-key, salt of its row).
    func customerKey(salt: [UInt8]) -> SymmetricKey {
        salt.withUnsafeBytes { customerKey(salt: $0) }
    }

    /// `customerKey(salt:)` for a salt already in memory (the bulk import's random pool).
    func customerKey(salt: UnsafeRawBufferPointer) -> SymmetricKey {
        customerKeys.authenticate(salt) { SymmetricKey(data: $0) }
    }

    /// Calls `body` with the 32 bytes of a customer's data key, kept on the stack (no `SymmetricKey` made):
    /// the import and the full decrypt derive one per customer.
    @inline(__always)
    func withCustomerKey<Result>(salt: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) throws -> Result)
        rethrows -> Result
    {
        try customerKeys.authenticate(salt, body)
    }
}

/// How the root key is wrapped: the key-encryption key comes from a passphrase or a key file.
struct KeyWrapping {
    static let scryptLogN = 16
    static let scryptR = 8
    static let scryptP = 1

    /// The key that wraps the root key, from a passphrase (scrypt) or a key file (HKDF).
    static func keyEncryptionKey(for source: KeySource, salt: [UInt8], logN: Int) throws -> SymmetricKey {
        switch source {
        case .passphrase(let passphrase):
            return try KDF.Scrypt.deriveKey(
                from: Array(passphrase.utf8), salt: salt, outputByteCount: 32, rounds: 1 << logN,
                blockSize: scryptR, parallelism: scryptP)
        case .keyFile(let path):
            let secret = try KeyFile.read(at: path)
            return HKDF<SHA256>.deriveKey(
                inputKeyMaterial: secret, salt: salt, info: Array("roster/v1/key-file-kek".utf8), outputByteCount: 32)
        }
    }
}
