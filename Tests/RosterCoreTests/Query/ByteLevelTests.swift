import Foundation
import Testing

@testable import RosterCore
@testable import RosterModel

/// The byte-level pieces under the filters: substring search, number parsing, bitsets.
struct ByteLevelTests {
    private func naiveFirstMatch(_ haystack: [UInt8], _ needle: [UInt8], from start: Int, to end: Int) -> Int? {
        guard end - start >= needle.count else { return nil }
        return (start...(end - needle.count)).first { Array(haystack[$0..<($0 + needle.count)]) == needle }
    }

    @Test func substringSearchAgreesWithANaiveScan() {
        var state: UInt64 = 7
        func random(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        let alphabet = Array("abc\u{0}".utf8)
        for _ in 0..<2_000 {
            let haystack = (0..<random(40)).map { _ in alphabet[random(alphabet.count)] }
            let needle = (0..<(1 + random(4))).map { _ in alphabet[random(3)] }
            let start = haystack.isEmpty ? 0 : random(haystack.count)
            let end = start + random(haystack.count - start + 1)
            let found = haystack.withUnsafeBufferPointer { buffer in
                needle.withUnsafeBufferPointer { needle in
                    ByteSubstringSearch(needle: needle).firstMatch(in: buffer, from: start, to: end)
                }
            }
            #expect(found == naiveFirstMatch(haystack, needle, from: start, to: end))
        }
    }

    @Test(arguments: ["0", "-0", "0.1", "-12.345", "7.50", "123456789012345", "1234567890123456789", "0.000001"])
    func numbersParseToWhatDoubleParses(text: String) {
        var text = text
        #expect(text.withUTF8(IndexedField.number) == Double(text))
    }

    @Test func numbersRejectWhatIsNotOne() {
        for text in ["", "-", ".", "1.2.3", "abc", "1,5"] {
            var text = text
            #expect(text.withUTF8(IndexedField.number) == nil)
        }
    }

    @Test func rowSetsCombineAndCount() {
        var evens = RowSet.matching(count: 130) { $0 % 2 == 0 }
        let thirds = RowSet.matching(count: 130) { $0 % 3 == 0 }
        #expect(evens.cardinality == 65)
        var union = evens
        union.formUnion(thirds)
        #expect(union.cardinality == 65 + 44 - 22)
        evens.formIntersection(thirds)
        #expect(evens.indices() == stride(from: 0, to: 130, by: 6).map(Int32.init))
        evens.invert()
        #expect(evens.cardinality == 130 - 22)
        #expect(RowSet(count: 130, filled: true).cardinality == 130)
        #expect(RowSet(count: 0, filled: true).indices() == [])
    }
}
