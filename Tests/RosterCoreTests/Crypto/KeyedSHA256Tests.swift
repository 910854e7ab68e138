import Crypto
import Foundation
import Testing

@testable import RosterCore
@testable import RosterModel

@Suite("HMAC-SHA256 with precomputed key state")
struct KeyedSHA256Tests {
    @Test(
        "matches swift-crypto's HMAC<SHA256> for keys shorter than, as long as and longer than a block",
        arguments: [0, 1, 16, 32, 63, 64, 65, 200])
    func matchesHMAC(keyLength: Int) {
        let key = SymmetricKey(data: (0..<keyLength).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) })
        let keyed = KeyedSHA256(key: key)
        // Messages that end inside the first block, need a second block for the length, or span several.
        let messages: [[UInt8]] =
            [[], [0x61], Array("CRM-0000001".utf8)]
            + [55, 56, 64, 119, 120, 300].map {
                [UInt8](repeating: 0xab, count: $0)
            }
        for message in messages {
            let expected = Array(HMAC<SHA256>.authenticationCode(for: message, using: key))
            #expect(keyed.code(message) == expected)
            // A second use of the same keyed state gives the same answer (the state is copied, not consumed).
            #expect(keyed.code(message) == expected)
        }
    }

    @Test("RFC 4231 test case 2")
    func rfc4231() {
        let keyed = KeyedSHA256(key: SymmetricKey(data: Array("Jefe".utf8)))
        #expect(
            Hex.encode(keyed.code(Array("what do ya want for nothing?".utf8)))
                == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }
}
