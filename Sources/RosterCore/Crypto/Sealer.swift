import Crypto
import Foundation

/// AES-256-GCM with associated data that names the record and column a ciphertext belongs to.
///
/// A sealed box is stored as nonce (12) + ciphertext + tag (16). Opening with another record's
/// associated data fails, so a ciphertext swapped between rows or columns is detected.
enum Sealer {
    static func seal(_ plaintext: [UInt8], key: SymmetricKey, context: SealContext) throws -> Data {
        // The nonce comes from BoringSSL's generator: the default one reads the kernel per call.
        let nonce = try AES.GCM.Nonce(data: Random.bytes(12))
        let box = try AES.GCM.seal(plaintext, using: key, nonce: nonce, authenticating: context.bytes)
        return box.combined!
    }

    static func open(_ sealed: Data, key: SymmetricKey, context: SealContext) throws -> [UInt8] {
        do {
            let box = try AES.GCM.SealedBox(combined: sealed)
            return Array(try AES.GCM.open(box, using: key, authenticating: context.bytes))
        } catch {
            throw RosterError.integrity(what: context.description)
        }
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
