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
/// The HMAC state is keyed once and copied per use (it is a value type), which halves the cost
/// of re-keying on every call.
struct BlindIndexer: Sendable {
    private let identityKey: HMAC<SHA256>
    private let emailKey: HMAC<SHA256>
    private let phoneKey: HMAC<SHA256>
    private let deviceIdKey: HMAC<SHA256>

    init(identity: SymmetricKey, email: SymmetricKey, phone: SymmetricKey, deviceId: SymmetricKey) {
        identityKey = HMAC(key: identity)
        emailKey = HMAC(key: email)
        phoneKey = HMAC(key: phone)
        deviceIdKey = HMAC(key: deviceId)
    }

    // Copies the first 16 bytes directly: `Data(code.prefix(16))` goes through a generic sequence initializer.
    private static func truncated(_ code: HashedAuthenticationCode<SHA256>) -> Data {
        code.withUnsafeBytes { Data(bytes: $0.baseAddress!, count: 16) }
    }

    /// The 16-byte blind index of a customer's raw 32-byte externalCode.
    func identity(_ externalCode: [UInt8]) -> Data {
        var mac = identityKey
        mac.update(data: externalCode)
        return Self.truncated(mac.finalize())
    }

    /// The 16-byte blind index of an already normalized value.
    func index(_ kind: BlindIndexKind, _ value: String) -> Data {
        var mac: HMAC<SHA256>
        switch kind {
        case .identity: mac = identityKey
        case .email: mac = emailKey
        case .phone: mac = phoneKey
        case .deviceId: mac = deviceIdKey
        }
        var copy = value
        copy.withUTF8 { mac.update(data: UnsafeRawBufferPointer($0)) }
        return Self.truncated(mac.finalize())
    }
}
