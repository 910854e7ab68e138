import Foundation
import Synchronization
import Testing

@testable import RosterDemo
@testable import RosterModel

/// The text sort of many distinct values (sampled splitters, buckets, 16 bytes at a time) must give exactly what a
/// slow comparison of the folded values gives, on every path: one leaf, buckets, buckets distributed again, one value
/// shared by most rows, values sharing more than 16 bytes, both cores, descending, a list of rows.
struct TextSortTests {
    /// Accents and case that fold together, equal prefixes of 15, 16, 17 and 32 bytes, empty and missing values,
    /// scripts past ASCII (Thai, Hindi, Hebrew, Arabic, emoji sequences, combining marks first), bytes that sort
    /// between the cases once lowered.
    static let texts: [String?] = [
        nil, "", " ", "a", "A", "á", "Á", "ab", "aB", "äb", "abcdefghijklmno", "abcdefghijklmnop",
        "ABCDEFGHIJKLMNOP", "abcdefghijklmnopq", "abcdefghijklmnopa", "abcdefghijklmnopabcdefghijklmnop",
        "abcdefghijklmnopabcdefghijklmnoq", "abcdefghijklmnopabcdefghijklmnopz", "francois.1234567@example.com",
        "François.1234567@example.com", "francois.123456@example.com", "francois.12345678@example.com",
        "zoë.1@example.org", "zoe.1@example.org", "ภาษาไทย", "हिन्दी", "שלום", "مرحبا", "👨‍👩‍👧", "👍🏽", "\u{301}e",
        "e\u{301}", "é", "ABC_DEF", "ABC[", "abc`", "~", "東京", "Straße", "strasse", "0123", "12345678901234567890",
    ]

    private func expected(_ column: FoldedTextColumn, _ list: [Int32]?, count: Int, ascending: Bool) -> [Int32] {
        column.referenceOrder(list, count: count, ascending: ascending)
    }

    private func check(_ column: FoldedTextColumn, count: Int, seed: UInt64, _ label: String) {
        var random = SplitMix64(seed: seed)
        let list = (0..<Int32(count)).filter { _ in random.next(below: 3) != 0 }.shuffled(using: &random)
        for (leafSize, bucketRows, sampleSize) in [(1 << 15, 2048, 1 << 16), (8, 4, 64), (2, 2, 5), (32, 16, 1000)] {
            var sort = TextSort(column: column)
            sort.leafSize = leafSize
            sort.bucketRows = bucketRows
            sort.sampleSize = sampleSize
            for ascending in [true, false] {
                for rows in [nil, list] {
                    for twoCoresFrom in [16, Int.max] {
                        #expect(
                            sort.sorted(rows, count: count, ascending: ascending, twoCoresFrom: twoCoresFrom)
                                == expected(column, rows, count: count, ascending: ascending),
                            "\(label): leaf \(leafSize), bucket \(bucketRows), sample \(sampleSize), ascending \(ascending), list \(rows != nil), two cores from \(twoCoresFrom)"
                        )
                    }
                }
            }
        }
    }

    @Test("tricky values sort as a slow comparison of their folded text does, on every path of the sort")
    func trickyValues() {
        for seed: UInt64 in 1...3 {
            var random = SplitMix64(seed: seed)
            let count = 600
            let raw = TextColumn((0..<count).map { _ in Self.texts[random.next(below: Self.texts.count)] })
            check(FoldedTextColumn(raw, dictionaryLimit: 0), count: count, seed: seed, "folded")
            check(FoldedTextColumn(raw, dictionaryLimit: .max), count: count, seed: seed, "dictionary")
        }
    }

    @Test("CRM ids kept raw and lowered as they are read sort as their folded copy does")
    func loweredColumn() {
        var random = SplitMix64(seed: 9)
        let count = 500
        let values = (0..<count).map { _ -> String? in
            switch random.next(below: 6) {
            case 0: nil
            case 1: "CRM-\(random.next(below: 50))"
            case 2: "CRM-0000001234-LONG-SUFFIX-\(random.next(below: 3))"
            case 3: "ABC_\(random.next(below: 5))[`"
            default: String(format: "CRM-%07ld", random.next(below: 1_000_000))
            }
        }
        let lowered = FoldedTextColumn(TextColumn(values), dictionaryLimit: 0)
        #expect(lowered.lowersOnRead)
        check(lowered, count: count, seed: 9, "lowered")
        check(
            FoldedTextColumn(TextColumn(values), dictionaryLimit: 0, lowering: false), count: count, seed: 9, "folded")
    }

    @Test("one value shared by most rows, all rows equal, and no value at all")
    func skewedValues() {
        let count = 400
        let cases: [(String, [String?])] = [
            ("mostly one value", (0..<count).map { $0 % 50 == 0 ? "b\($0)" : "the same value, longer than 16 bytes" }),
            ("all equal", Array(repeating: "same", count: count)),
            ("all equal and long", Array(repeating: String(repeating: "x", count: 40), count: count)),
            ("none", Array(repeating: nil, count: count)),
            ("mostly missing", (0..<count).map { $0 % 97 == 0 ? "v\($0 % 3)" : nil }),
            ("a long shared prefix", (0..<count).map { "a shared prefix of thirty-two b\(($0 * 7919) % count)" }),
        ]
        for (label, values) in cases {
            check(FoldedTextColumn(TextColumn(values), dictionaryLimit: 0), count: count, seed: 5, label)
        }
    }

    @Test("equal values of 40 KB and values sharing 300 bytes sort on a thread of 512 KiB, as a slow comparison does")
    func longSharedPrefixes() {
        let long = String(repeating: "x", count: 40_000)
        let shared = String(repeating: "y", count: 300)
        let values: [String?] = (0..<60).map { row in
            switch row % 6 {
            case 0: long
            case 1: long + "\(row % 4)"
            case 2: shared + "\(row % 5)"
            case 3: shared
            case 4: nil
            default: "a\u{0}b\(row % 3)"
            }
        }
        let raised = TextColumn(values.map { $0?.uppercased().replacingOccurrences(of: "\u{0}", with: "_") })
        let columns = [
            FoldedTextColumn(TextColumn(values), dictionaryLimit: 0), FoldedTextColumn(raised, dictionaryLimit: 0),
        ]
        #expect(columns[1].lowersOnRead)
        let configurations = [(1 << 15, 2048, 1 << 16), (2, 2, 5)]
        // A level of recursion per 16 bytes of shared prefix (2,500 here) would overflow this thread's stack.
        let results = Mutex<[[Int32]?]>([])
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            var sorted: [[Int32]?] = []
            for column in columns {
                for (leafSize, bucketRows, sampleSize) in configurations {
                    var sort = TextSort(column: column)
                    (sort.leafSize, sort.bucketRows, sort.sampleSize) = (leafSize, bucketRows, sampleSize)
                    for ascending in [true, false] {
                        sorted.append(sort.sorted(nil, count: values.count, ascending: ascending))
                    }
                }
            }
            results.withLock { $0 = sorted }
            done.signal()
        }
        thread.stackSize = 512 << 10
        thread.start()
        done.wait()
        var expectedResults: [[Int32]?] = []
        for column in columns {
            for _ in configurations {
                for ascending in [true, false] {
                    expectedResults.append(expected(column, nil, count: values.count, ascending: ascending))
                }
            }
        }
        #expect(results.withLock { $0 } == expectedResults)
    }

    @Test("a cancelled text sort returns nil")
    func cancelled() {
        let column = FoldedTextColumn(TextColumn((0..<100).map { "value \($0)" }), dictionaryLimit: 0)
        #expect(TextSort(column: column).sorted(nil, count: 100, ascending: true, isCancelled: { true }) == nil)
    }
}
