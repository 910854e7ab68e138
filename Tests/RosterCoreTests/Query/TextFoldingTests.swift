import Testing

@testable import RosterCore
@testable import RosterModel

struct TextFoldingTests {
    private func folded(_ text: String) -> String {
        String(decoding: TextFolding.fold(text), as: UTF8.self)
    }

    @Test func removesCaseAndAccents() {
        #expect(folded("José") == "jose")
        #expect(folded("ZOË") == "zoe")
        #expect(folded("ÀÉÎÕÜ àéîõü ÇÑ") == "aeiou aeiou cn")
        #expect(folded("Ἀθῆναι") == "αθηναι")
        #expect(folded("МОСКВА") == "москва")
    }

    @Test func expandsLettersPeopleTypeAsTwo() {
        #expect(folded("Straße") == "strasse")
        #expect(folded("STRASSE") == "strasse")
        #expect(folded("Æsir Œuvre") == "aesir oeuvre")
    }

    @Test func dropsStrokesPeopleDoNotType() {
        #expect(folded("Łódź") == "lodz")
        #expect(folded("Ørsted") == "orsted")
        #expect(folded("Đorđe") == "dorde")
    }

    @Test func leavesScriptsWithoutCaseAlone() {
        #expect(folded("山田太郎") == "山田太郎")
        #expect(folded("한국") == "한국")
        #expect(folded("がぎ") == "がぎ")
    }

    @Test func dropsCombiningAccentsOfDecomposedText() {
        #expect(folded("Jose\u{301}") == "jose")
        #expect(folded("Zoe\u{308}") == "zoe")
    }

    @Test func dropsNULBytes() {
        #expect(folded("a\u{0}b") == "ab")
        #expect(folded("ABCDEFGH\u{0}IJKLMNOP") == "abcdefghijklmnop")
    }

    @Test func lowersOnlyLettersInLongASCII() {
        #expect(folded("ABCDEFGHIJKLMNOPQRSTUVWXYZ@[`{") == "abcdefghijklmnopqrstuvwxyz@[`{")
        #expect(folded("MARÍA-JOSÉ FERNÁNDEZ DE CÓRDOBA") == "maria-jose fernandez de cordoba")
    }

    @Test func keepsEmojiAndOtherSymbols() {
        #expect(folded("Ana 🎂") == "ana 🎂")
        #expect(folded("ﬁnca") == "finca")
    }
}
