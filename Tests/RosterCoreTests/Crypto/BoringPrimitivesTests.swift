import Crypto
import Foundation
import Testing

@testable import RosterCore
@testable import RosterModel

/// The AES-GCM that the import and the full decrypt call through BoringSSL's C API must be swift-crypto's
/// `AES.GCM`, byte for byte: each opens what the other seals, and a wrong key, nonce, associated data or an
/// altered byte is refused.
@Suite("AES-256-GCM through BoringSSL's C API")
struct BoringPrimitivesTests {
    let key = SymmetricKey(data: (0..<32).map { UInt8($0 &* 7 &+ 3) })
    let aad = Array("roster/v1|customer|42|record".utf8)

    /// Seals with `Sealer` (the C API), returns nonce + ciphertext + tag.
    func sealed(_ plain: [UInt8], context: SealContext) throws -> Data {
        try Sealer.seal(plain, key: key, context: context)
    }

    @Test(
        "swift-crypto opens what it seals, for empty to multi-block records", arguments: [0, 1, 15, 16, 17, 200, 5000])
    func swiftCryptoOpens(count: Int) throws {
        let plain = (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let context = SealContext(kind: "customer", id: 42, column: "record")
        let box = try sealed(plain, context: context)
        #expect(box.count == 12 + count + 16)
        let opened = try AES.GCM.open(AES.GCM.SealedBox(combined: box), using: key, authenticating: context.bytes)
        #expect(Array(opened) == plain)
    }

    @Test("it opens what swift-crypto seals", arguments: [0, 1, 16, 200, 5000])
    func opensSwiftCrypto(count: Int) throws {
        let plain = (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 13 &+ 1) }
        let context = SealContext(kind: "device", id: 7, column: "record")
        let box = try AES.GCM.seal(plain, using: key, authenticating: context.bytes).combined!
        #expect(try Sealer.open(box, key: key, context: context) == plain)
    }

    @Test("a wrong key, associated data or any altered byte is refused")
    func refusals() throws {
        let plain = Array("Jane Doe, jane@example.com".utf8)
        let context = SealContext(kind: "customer", id: 42, column: "record")
        let box = try sealed(plain, context: context)
        #expect(throws: RosterError.self) {
            try Sealer.open(box, key: SymmetricKey(size: .bits256), context: context)
        }
        #expect(throws: RosterError.self) {
            try Sealer.open(box, key: key, context: SealContext(kind: "customer", id: 43, column: "record"))
        }
        for index in [0, 11, 12, box.count - 17, box.count - 1] {
            var altered = box
            altered[altered.startIndex + index] ^= 0x01
            #expect(throws: RosterError.self) { try Sealer.open(altered, key: key, context: context) }
        }
        #expect(throws: RosterError.self) { try Sealer.open(box.prefix(27), key: key, context: context) }
    }

    @Test("two seals of the same record use different nonces")
    func freshNonces() throws {
        let context = SealContext(kind: "customer", id: 1, column: "record")
        let first = try sealed([1, 2, 3], context: context)
        let second = try sealed([1, 2, 3], context: context)
        #expect(first.prefix(12) != second.prefix(12))
        #expect(first != second)
    }

    @Test("the raw-key calls match: a customer's data key as HMAC bytes seals like the SymmetricKey of them")
    func rawKey() throws {
        let plain = Array("record".utf8)
        let box = try key.withUnsafeBytes {
            try Sealer.seal(
                plain, key: $0, associatedData: aad, context: SealContext(kind: "customer", id: 42, column: "record"))
        }
        let opened = try AES.GCM.open(AES.GCM.SealedBox(combined: box), using: key, authenticating: aad)
        #expect(Array(opened) == plain)
        let refused = box.withUnsafeBytes { raw in
            key.withUnsafeBytes { Sealer.open(raw, key: $0, associatedData: Array("other".utf8)) }
        }
        #expect(refused == nil)
    }
}
