import Crypto
import Foundation

/// AES-256-GCM with associated data that names the record and column a ciphertext belongs to.
///
/// A sealed box is stored as nonce (12) + ciphertext + tag (16), swift-crypto's `AES.GCM` combined layout.
/// Opening with another record's associated data fails, so a ciphertext swapped between rows or columns
/// is detected.
enum Sealer {
    static let overhead = BoringPrimitives.GCM.nonceCount + BoringPrimitives.GCM.tagCount

    static func seal(_ plaintext: [UInt8], key: SymmetricKey, context: SealContext) throws -> Data {
        try key.withUnsafeBytes { try seal(plaintext, key: $0, associatedData: context.bytes, context: context) }
    }

    /// `seal` with a raw 32-byte key (a customer's data key, never held as a `SymmetricKey`).
    static func seal(
        _ plaintext: [UInt8], key: UnsafeRawBufferPointer, associatedData: [UInt8], context: SealContext
    ) throws -> Data {
        var sealed = Data(count: overhead + plaintext.count)
        let done = sealed.withUnsafeMutableBytes { out in
            arc4random_buf(out.baseAddress!, BoringPrimitives.GCM.nonceCount)
            return plaintext.withUnsafeBytes { plain in
                associatedData.withUnsafeBytes { aad in
                    BoringPrimitives.GCM.seal(
                        key: key, nonce: UnsafeRawBufferPointer(rebasing: out[..<BoringPrimitives.GCM.nonceCount]),
                        plaintext: plain, associatedData: aad,
                        into: out.baseAddress! + BoringPrimitives.GCM.nonceCount)
                }
            }
        }
        // Only a key or nonce of the wrong length makes BoringSSL refuse to seal: a programming error.
        precondition(done, "AES-GCM refused to seal \(context)")
        return sealed
    }

    static func open(_ sealed: Data, key: SymmetricKey, context: SealContext) throws -> [UInt8] {
        try key.withUnsafeBytes { try open(sealed, key: $0, context: context) }
    }

    /// `open` with a raw 32-byte key.
    static func open(_ sealed: Data, key: UnsafeRawBufferPointer, context: SealContext) throws -> [UInt8] {
        let plain = sealed.withUnsafeBytes { box in open(box, key: key, associatedData: context.bytes) }
        guard let plain else { throw RosterError.integrity(what: context.description) }
        return plain
    }

    /// Opens nonce + ciphertext + tag; nil when it does not verify.
    static func open(_ box: UnsafeRawBufferPointer, key: UnsafeRawBufferPointer, associatedData: [UInt8]) -> [UInt8]? {
        guard box.count >= overhead else { return nil }
        let count = box.count - overhead
        var opened = false
        let plain = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            opened = associatedData.withUnsafeBytes { aad in
                BoringPrimitives.GCM.open(
                    key: key, nonce: UnsafeRawBufferPointer(rebasing: box[..<BoringPrimitives.GCM.nonceCount]),
                    sealed: UnsafeRawBufferPointer(rebasing: box[BoringPrimitives.GCM.nonceCount...]),
                    associatedData: aad, into: UnsafeMutableRawPointer(buffer.baseAddress ?? .init(bitPattern: 1)!))
            }
            if !opened, let base = buffer.baseAddress { base.initialize(repeating: 0, count: count) }
            initialized = opened ? count : 0
        }
        return opened ? plain : nil
    }
}

/// What a ciphertext is bound to: the kind of record, its row id and the column.
struct SealContext: CustomStringConvertible {
    let kind: String
    let id: Int64
    let column: String

    var bytes: [UInt8] { Array("roster/v1|\(kind)|\(id)|\(column)".utf8) }
    var description: String { "\(kind) #\(id) (\(column))" }
}
