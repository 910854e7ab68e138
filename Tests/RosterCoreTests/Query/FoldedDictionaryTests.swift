import Foundation
import Testing

@testable import RosterDemo
@testable import RosterModel

/// A text column of few distinct values is folded as a dictionary (each value once, a code per row); every question a
/// filter, a sort or a frequency table asks of it must get the answer the row-by-row folded copy gives.
struct FoldedDictionaryTests {
    /// Awkward values, repeated: case and accents that fold together, empty text, combining marks first, quotes,
    /// right-to-left, Thai, Hindi, emoji sequences, NUL inside a value, texts longer than a sort key.
    static let values: [String?] = [
        nil, "", "Madrid", "MADRID", "Málaga", "A Coruña", "a coruna", "\u{301}e", "O'Brien", "\"quoted\"",
        "שלום", "สวัสดี", "नमस्ते", "👩‍👩‍👧", "🇪🇸", "a\u{0}b", "van der Berg van der Berg", "Zürich", "ŉ", " ",
    ]

    private func column(rows: Int, seed: UInt64) -> TextColumn {
        var random = SplitMix64(seed: seed)
        return TextColumn((0..<rows).map { _ in Self.values[random.next(below: Self.values.count)] })
    }

    @Test("a dictionary column answers length, order, sort keys and contains exactly as the folded copy of every row")
    func sameAnswers() {
        for seed: UInt64 in 1...4 {
            let raw = column(rows: 300, seed: seed)
            let dictionary = FoldedTextColumn(raw, dictionaryLimit: .max)
            let plain = FoldedTextColumn(raw, dictionaryLimit: 0)
            #expect(dictionary.codes != nil)
            #expect(plain.codes == nil)
            #expect(dictionary.count == raw.count && plain.count == raw.count)
            dictionary.bytes.withUnsafeBufferPointer { dictionaryBytes in
                plain.bytes.withUnsafeBufferPointer { plainBytes in
                    for row in 0..<raw.count {
                        #expect(dictionary.length(row) == plain.length(row))
                        for offset in [0, 8] {
                            #expect(
                                dictionary.sortKey(row, from: offset, in: dictionaryBytes)
                                    == plain.sortKey(row, from: offset, in: plainBytes))
                        }
                        for other in stride(from: 0, to: raw.count, by: 7) {
                            #expect(
                                dictionary.compareRows(row, other, in: dictionaryBytes).signum()
                                    == plain.compareRows(row, other, in: plainBytes).signum())
                        }
                        for needle in ["madrid", "coruna", "", "berg van"].map(TextFolding.fold) {
                            needle.withUnsafeBufferPointer { needle in
                                #expect(
                                    dictionary.compare(row, with: needle, in: dictionaryBytes).signum()
                                        == plain.compare(row, with: needle, in: plainBytes).signum())
                            }
                        }
                    }
                }
            }
            for needle in ["mad", "a", "", "b", "👩", "berg van der", "\u{0}"].map(TextFolding.fold) {
                func rows(_ column: FoldedTextColumn) -> [Int32] {
                    RowSet.filled(count: raw.count) { rows, words in
                        column.addRows(containing: needle, in: rows, to: words)
                    }.indices()
                }
                #expect(rows(dictionary) == rows(plain))
            }
        }
    }

    @Test("a column of more distinct values than the limit is folded row by row; ASCII keeps the column's offsets")
    func limit() {
        let raw = TextColumn((0..<100).map { "CRM-\($0)" })
        let folded = FoldedTextColumn(raw, dictionaryLimit: 10, lowering: false)
        #expect(folded.codes == nil)
        #expect(folded.starts == raw.starts)
        #expect(folded.bytes == Array((0..<100).map { "crm-\($0)\u{0}" }.joined().utf8))
        let few = TextColumn((0..<100).map { ["Sevilla", "Köln", nil][$0 % 3] })
        let dictionary = FoldedTextColumn(few)
        #expect(dictionary.codes?.count == 100)
        #expect(dictionary.bytes == Array("sevilla\u{0}koln\u{0}".utf8))
    }

    @Test("filters, search, sorts and frequency tables on a field of few values match the row-by-row folded copy")
    func throughTheIndex() throws {
        var random = SplitMix64(seed: 9)
        let people = (0..<400).map { _ in
            Person(
                name: Self.values[random.next(below: Self.values.count)],
                city: Self.values[random.next(below: 6)].map { $0 + "x" })
        }
        let set = QueryFixtures.workingSet(people, fieldNames: ["name", "city"])
        let dictionary = FilterIndex(set)
        let plain = FilterIndex(set)
        plain.dictionaryLimit = 0
        for index in [dictionary, plain] { index.twoCoresFrom = 64 }
        guard case .text(let names) = dictionary.field(named: "name")?.storage,
            case .text(let plainNames) = plain.field(named: "name")?.storage
        else {
            Issue.record("name is not a text field")
            return
        }
        #expect(names.codes != nil && plainNames.codes == nil)
        let context = try FilterContext.fixed("2026-03-15")
        for expression in [
            "name = \"madrid\"", "name != \"madrid\"", "name ~ \"coru\"", "name ~ \"\"", "name < \"m\"",
            "name >= \"o'brien\"", "name = \"\"", "has name", "not has name", "city = \"madridx\" or name ~ a",
        ] {
            let filter = try Filter.parse(expression)
            #expect(
                try dictionary.evaluate(filter, context: context) == plain.evaluate(filter, context: context),
                "\(expression)")
        }
        for text in ["madrid", "zurich", "a", "👩", "berg"] {
            #expect(dictionary.search(text: text) == plain.search(text: text), "\(text)")
        }
        let everyThird = (0..<Int32(people.count)).filter { $0 % 3 == 0 }
        for key in [ColumnKey.field("name"), .field("city")] {
            for ascending in [true, false] {
                for rows in [nil, everyThird] {
                    dictionary.rankedSortLimit = nil
                    plain.rankedSortLimit = 0
                    #expect(
                        dictionary.sorted(rows, by: key, ascending: ascending)
                            == plain.sorted(rows, by: key, ascending: ascending))
                    dictionary.rankedSortLimit = 0
                    #expect(
                        dictionary.sorted(rows, by: key, ascending: ascending)
                            == plain.sorted(rows, by: key, ascending: ascending))
                }
            }
            let entries = dictionary.frequency(of: key)?.entries.map { "\($0.value) \($0.count) \($0.filter ?? "")" }
            let plainEntries = plain.frequency(of: key)?.entries.map { "\($0.value) \($0.count) \($0.filter ?? "")" }
            #expect(entries == plainEntries)
        }
    }
}
