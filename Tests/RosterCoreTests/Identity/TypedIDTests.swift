import Testing

@testable import RosterCore

@Suite("Typed IDs: the prefix read over bytes decides as characters would")
struct TypedIDTests {
    @Test("prefixes in any case, bare IDs, and characters that only look like a prefix")
    func examples() {
        #expect(parts("CRM:42") == (.crmId, "42"))
        #expect(parts("  Email: a@b.eu ") == (.email, "a@b.eu"))
        #expect(parts("crm:code:x") == (.crmId, "code:x"))
        #expect(parts("device:") == (.deviceId, ""))
        #expect(TypedID("bench-1-2").kind == nil)
        // A combining mark on the colon makes one character that is not `:`: a bare ID.
        #expect(TypedID("crm:\u{301}42").kind == nil)
        // Letters outside ASCII that resemble the prefix's.
        #expect(TypedID("\u{421}RM:42").kind == nil)  // Cyrillic Es
        #expect(TypedID("\u{0130}phone:1").kind == nil)
        #expect(TypedID("crm:é").kind == .crmId)
    }

    @Test("over generated text the byte reading agrees with the character reading")
    func agreesWithCharacters() {
        let pieces = [
            "crm", "CRM", "Crm", "code", "email", "EMAIL", "phone", "device", ":", "::", " ", "\u{301}", "\u{212A}",
            "é", "e\u{301}", "\u{0130}", "ß", "a", "1", "@", "\r\n", "\u{1F600}", "\u{200D}", "c", "r", "m",
        ]
        var generator = SplitMix(seed: 7)
        for _ in 0..<20_000 {
            var text = ""
            for _ in 0..<Int(generator.next() % 5) + 1 { text += pieces[Int(generator.next() % UInt64(pieces.count))] }
            for (prefix, _) in TypedID.prefixes {
                #expect(
                    TypedID.starts(text, with: prefix) == TypedID.startsByCharacters(text, with: prefix),
                    "\(text.unicodeScalars.map { String($0.value, radix: 16) }) \(prefix)")
            }
        }
    }
}

private func parts(_ raw: String) -> (IDKind?, String) {
    let typed = TypedID(raw)
    return (typed.kind, typed.value)
}

/// A small deterministic generator for the test's text.
private struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
