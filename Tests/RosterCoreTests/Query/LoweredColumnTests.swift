import Foundation
import Testing

@testable import RosterDemo
@testable import RosterModel

/// A text column that is ASCII without a lower-case letter (CRM ids) is kept raw and lowered as it is read, instead of
/// a folded copy; and the comparing sort distributes rows into buckets before sorting each. Both must give exactly
/// what the folded copy and a plain sort give.
struct LoweredColumnTests {
    /// Upper-case ASCII with the bytes that sit between the cases (`[`, `\`, `]`, `^`, `_`, `` ` ``), which order
    /// differently once lowered; equal prefixes longer than a sort key; empty and missing values.
    static let values: [String?] = [
        nil, "", "CRM-0001", "CRM-0001 ", "CRM-0002", "ABC_DEF", "ABC[", "ABC@", "ABCZ", "ABC`", "ABC^",
        "CRM-0000001234-LONG-SUFFIX-A", "CRM-0000001234-LONG-SUFFIX-B", "CRM-0000001234-LONG", "Z", "0123", " ", "~",
        "CRM-", "C", "CR", "CRM", "12345678901234567890",
    ]

    private func column(rows: Int, seed: UInt64) -> TextColumn {
        var random = SplitMix64(seed: seed)
        return TextColumn((0..<rows).map { _ in Self.values[random.next(below: Self.values.count)] })
    }

    @Test("a column kept raw answers length, order, sort keys, contains and equality as its folded copy does")
    func sameAnswersAsTheFoldedCopy() {
        for seed: UInt64 in 1...3 {
            let raw = column(rows: 200, seed: seed)
            let lowered = FoldedTextColumn(raw, dictionaryLimit: 0)
            let folded = FoldedTextColumn(raw, dictionaryLimit: 0, lowering: false)
            #expect(lowered.lowersOnRead && !folded.lowersOnRead)
            #expect(lowered.bytes == raw.bytes, "no copy is made")
            lowered.bytes.withUnsafeBufferPointer { loweredBytes in
                folded.bytes.withUnsafeBufferPointer { foldedBytes in
                    for row in 0..<raw.count {
                        #expect(lowered.length(row) == folded.length(row))
                        for offset in [0, 4, 8] {
                            #expect(
                                lowered.sortKey(row, from: offset, in: loweredBytes)
                                    == folded.sortKey(row, from: offset, in: foldedBytes))
                        }
                        #expect(TextSortKeys(column: lowered).key(row)?.0 == TextSortKeys(column: folded).key(row)?.0)
                        #expect(TextSortKeys(column: lowered).key(row)?.1 == TextSortKeys(column: folded).key(row)?.1)
                        for other in stride(from: 0, to: raw.count, by: 3) {
                            #expect(
                                lowered.compareRows(row, other, in: loweredBytes).signum()
                                    == folded.compareRows(row, other, in: foldedBytes).signum())
                        }
                        for needle in ["abc_", "abc[", "abc", "crm-0001", "é", "", "abcz", "~"].map(TextFolding.fold) {
                            needle.withUnsafeBufferPointer { needle in
                                #expect(
                                    lowered.compare(row, with: needle, in: loweredBytes).signum()
                                        == folded.compare(row, with: needle, in: foldedBytes).signum())
                            }
                        }
                    }
                }
            }
            for needle in ["crm", "_", "[", "0001", "", "Crm-0001", "é", "suffix-a", "ß"].map(TextFolding.fold) {
                func rows(_ column: FoldedTextColumn) -> [Int32] {
                    RowSet.filled(count: raw.count) { rows, words in
                        column.addRows(containing: needle, in: rows, to: words)
                    }.indices()
                }
                #expect(rows(lowered) == rows(folded), "\(needle)")
            }
        }
    }

    @Test("a column with a lower-case letter, a byte past ASCII or a NUL inside a value is folded as before")
    func onlyUpperCaseASCII() {
        for values: [String?] in [["CRM-1", "crm-2"], ["CRM-1", "ÉCOLE"], ["CRM\u{0}1", "CRM-2"]] {
            #expect(!FoldedTextColumn(TextColumn(values), dictionaryLimit: 0).lowersOnRead, "\(values)")
        }
        #expect(FoldedTextColumn(TextColumn(["CRM-1", nil, "", "CRM-2"]), dictionaryLimit: 0).lowersOnRead)
    }

    @Test("filters, search, sorts and frequency tables on CRM ids match a slow reference on their folded text")
    func throughTheIndex() throws {
        var random = SplitMix64(seed: 5)
        let count = 300
        // Distinct enough not to be folded as a dictionary.
        let crmIds = (0..<count).map { row in
            (Self.values[random.next(below: Self.values.count)] ?? "CRM") + (row % 3 == 0 ? "" : "-\(row)")
        }
        let set = WorkingSet(
            rowIDs: (0..<count).map { Int64($0 + 1) },
            externalCodes: (0..<count).map { QueryFixtures.externalCode(row: $0) }, crmIds: crmIds,
            emails: Array(repeating: nil, count: count), phones: Array(repeating: nil, count: count),
            consent: Array(repeating: .allEnabled, count: count), deviceCounts: Array(repeating: 0, count: count),
            columns: [])
        let index = FilterIndex(set)
        index.twoCoresFrom = 64
        #expect(index.crmIds.lowersOnRead)
        let folded = crmIds.map { TextFolding.fold($0) }
        let context = try FilterContext.fixed("2026-03-15")
        for (operator_, test) in [
            ("=", { (a: [UInt8], b: [UInt8]) in a == b }), ("!=", { $0 != $1 }),
            ("<", { $0.lexicographicallyPrecedes($1) }), (">", { $1.lexicographicallyPrecedes($0) }),
            (
                "~",
                { a, b in
                    b.isEmpty
                        ? !a.isEmpty : String(decoding: a, as: UTF8.self).contains(String(decoding: b, as: UTF8.self))
                }
            ),
        ] {
            for operand in ["CRM-0001", "abc_def", "ABC[", "crm-0000001234-long", "_", "0123"] {
                let expression = "crmId \(operator_) \"\(operand)\""
                let needle = TextFolding.fold(operand)
                let expected = folded.indices.filter { row in
                    let value = folded[row]
                    if operator_ == "<" || operator_ == ">" { return !value.isEmpty && test(value, needle) }
                    return test(value, needle)
                }.map { Int32($0) }
                #expect(try index.evaluate(Filter.parse(expression), context: context) == expected, "\(expression)")
            }
        }
        #expect(
            index.search(text: "crm-0001")
                == folded.indices.filter {
                    String(decoding: folded[$0], as: UTF8.self).contains("crm-0001")
                }.map { Int32($0) })
        for ascending in [true, false] {
            let present = folded.indices.filter { !folded[$0].isEmpty }.sorted { left, right in
                folded[left] != folded[right]
                    ? (ascending
                        ? folded[left].lexicographicallyPrecedes(folded[right])
                        : folded[right].lexicographicallyPrecedes(folded[left])) : left < right
            }
            let expected = (present + folded.indices.filter { folded[$0].isEmpty }).map { Int32($0) }
            #expect(index.sorted(by: .crmId, ascending: ascending) == expected)
        }
        let table = try #require(index.frequency(of: .crmId))
        let distinct = Set(folded.filter { !$0.isEmpty })
        #expect(table.entries.count == distinct.count + (folded.contains([]) ? 1 : 0))
    }

    @Test(
        "the bucketed comparing sort gives the plain order at every bucket size, long equal prefixes included",
        arguments: [1, 2, 3, 1 << 18])
    func bucketedSort(leafSize: Int) {
        var random = SplitMix64(seed: UInt64(leafSize))
        let texts: [String?] = [
            "a common prefix of more than sixteen bytes", "a common prefix of more than sixteen bytes é",
            "A COMMON PREFIX", "Álvaro", "alvaro", "b", "", nil, "東京", "שלום", "👨‍👩‍👧", "ab", "aa", "zz",
        ]
        let count = 500
        let raw = TextColumn((0..<count).map { _ in texts[random.next(below: texts.count)] })
        let column = FoldedTextColumn(raw, dictionaryLimit: 0)
        let rows = (0..<Int32(count)).filter { $0 % 3 != 1 }.reversed().map { $0 }
        for ascending in [true, false] {
            for list in [nil, rows] {
                let expected = column.referenceOrder(list, count: count, ascending: ascending)
                for twoCoresFrom in [16, Int.max] {
                    var sort = CustomerSort(keys: TextSortKeys(column: column))
                    sort.leafSize = leafSize
                    #expect(
                        sort.sorted(list, count: count, ascending: ascending, twoCoresFrom: twoCoresFrom) == expected,
                        "ascending \(ascending), list \(list != nil), two cores from \(twoCoresFrom)")
                }
            }
        }
    }
}

extension FoldedTextColumn {
    /// `list` (every row when nil) in the order a plain comparison of folded values gives: stable, missing and empty
    /// last. The reference the sorts are checked against.
    func referenceOrder(_ list: [Int32]?, count: Int, ascending: Bool) -> [Int32] {
        let positions = list.map { $0.map(Int.init) } ?? Array(0..<count)
        let present = positions.indices.filter { length(positions[$0]) > 0 }
        let ordered = bytes.withUnsafeBufferPointer { buffer in
            present.sorted { left, right in
                let order = compareRows(positions[left], positions[right], in: buffer)
                return order != 0 ? (ascending ? order < 0 : order > 0) : left < right
            }
        }
        let missing = positions.indices.filter { length(positions[$0]) == 0 }
        return (ordered + missing).map { Int32(positions[$0]) }
    }
}
