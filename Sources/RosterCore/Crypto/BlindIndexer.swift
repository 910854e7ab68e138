import Crypto
import Foundation

/// The kinds of identifier that can be looked up without storing them in clear.
enum BlindIndexKind: String, CaseIterable, Sendable {
    /// A customer's externalCode (so its CRM id too: the code is derived from it).
    case identity
    case email, phone, deviceId

    /// The `WITHOUT ROWID` table that maps this kind's blind indexes to row ids.
    var table: String { "\(rawValue)Index" }
}

/// Blind indexes: HMAC-SHA256 of a normalized identifier under a per-kind key, truncated to 128 bits.
///
/// The HMAC state is keyed once and copied per use (`KeyedSHA256`), not re-keyed on every call.
struct BlindIndexer: Sendable {
    private let identityKey: KeyedSHA256
    private let emailKey: KeyedSHA256
    private let phoneKey: KeyedSHA256
    private let deviceIdKey: KeyedSHA256

    init(identity: SymmetricKey, email: SymmetricKey, phone: SymmetricKey, deviceId: SymmetricKey) {
        identityKey = KeyedSHA256(key: identity)
        emailKey = KeyedSHA256(key: email)
        phoneKey = KeyedSHA256(key: phone)
        deviceIdKey = KeyedSHA256(key: deviceId)
    }

    /// The 16-byte blind index of a customer's raw 32-byte externalCode.
    func identity(_ externalCode: [UInt8]) -> Data {
        externalCode.withUnsafeBytes { identityKey.authenticate($0) { Data($0.prefix(16)) } }
    }

    /// The 16-byte blind index of an already normalized value.
    func index(_ kind: BlindIndexKind, _ value: String) -> Data {
        key(kind).authenticate(value) { Data($0.prefix(16)) }
    }

    /// A blind index as two big-endian words, for sorting without allocating (the bulk import).
    struct Words: Hashable, Sendable {
        let high: UInt64
        let low: UInt64

        init(high: UInt64, low: UInt64) {
            self.high = high
            self.low = low
        }

        init(_ mac: UnsafeRawBufferPointer) {
            high = UInt64(bigEndian: mac.loadUnaligned(fromByteOffset: 0, as: UInt64.self))
            low = UInt64(bigEndian: mac.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
        }
    }

    /// `identity(_:)` as words.
    func identityWords(_ externalCode: UnsafeRawBufferPointer) -> Words {
        identityKey.authenticate(externalCode, Words.init)
    }

    /// `index(_:_:)` as words.
    func indexWords(_ kind: BlindIndexKind, _ value: String) -> Words {
        key(kind).authenticate(value, Words.init)
    }

    private func key(_ kind: BlindIndexKind) -> KeyedSHA256 {
        switch kind {
        case .identity: identityKey
        case .email: emailKey
        case .phone: phoneKey
        case .deviceId: deviceIdKey
        }
    }
}
