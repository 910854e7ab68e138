import Foundation
import Testing

@testable import RosterDemo
@testable import RosterModel

/// The sample that spares a dictionary or a ranking that would give up: it must say "clearly more" for values that are
/// all distinct, and never for a column within the limit, however its values are spread.
struct DistinctSampleTests {
    private let count = 100_000

    private func clearlyMore(than limit: Int, _ value: (Int) -> Int?) -> Bool {
        DistinctSample.clearlyMore(than: limit, count: count) { position in
            value(position).map { UInt64(truncatingIfNeeded: $0) &* 0x9E37_79B9_7F4A_7C15 }
        }
    }

    @Test("values all distinct, or twice the limit, are clearly more; values within the limit never are")
    func decides() {
        #expect(clearlyMore(than: count / 4) { $0 })
        #expect(clearlyMore(than: count / 8) { $0 % (count / 2) })
        // Exactly the limit, spread evenly, in runs (a sorted column), or a few values most rows share.
        #expect(!clearlyMore(than: count / 4) { $0 % (count / 4) })
        #expect(!clearlyMore(than: count / 4) { $0 / 4 })
        #expect(!clearlyMore(than: count / 4) { $0 % 3 == 0 ? $0 / 3 : 7 })
        #expect(!clearlyMore(than: count / 4) { $0 % 10 })
        // Too few rows to judge, or too few values in the sample.
        #expect(!DistinctSample.clearlyMore(than: 100, count: 4 * DistinctSample.size - 1) { UInt64($0) })
        #expect(!clearlyMore(than: count / 4) { $0 % 100 == 0 ? $0 : nil })
    }

    @Test("a column of distinct values is not made a dictionary, one within the limit still is, both fold the same")
    func dictionaryChoice() {
        let distinct = TextColumn((0..<count).map { "Ünïque \($0)" })
        let folded = FoldedTextColumn(distinct)
        #expect(folded.codes == nil)
        #expect(folded.bytes == FoldedTextColumn(distinct, dictionaryLimit: 0).bytes)
        let repeated = TextColumn((0..<count).map { "Répété \(($0 * 7919) % (count / 5))" })
        let dictionary = FoldedTextColumn(repeated)
        #expect(dictionary.codes != nil)
        let plain = FoldedTextColumn(repeated, dictionaryLimit: 0)
        dictionary.bytes.withUnsafeBufferPointer { dictionaryBytes in
            plain.bytes.withUnsafeBufferPointer { plainBytes in
                for row in stride(from: 0, to: count, by: 997) {
                    #expect(
                        dictionary.sortKey(row, from: 0, in: dictionaryBytes)
                            == plain.sortKey(row, from: 0, in: plainBytes))
                    #expect(dictionary.length(row) == plain.length(row))
                }
            }
        }
    }

    @Test("a text sort of distinct values skips the ranking and gives the same order as with it")
    func sortSkipsRanking() {
        let values = (0..<count).map { row -> String? in row % 11 == 0 ? nil : "mail.\((row * 7919) % count)@x.org" }
        let set = WorkingSet(
            rowIDs: (0..<count).map { Int64($0 + 1) },
            externalCodes: (0..<count).map { QueryFixtures.externalCode(row: $0 % 100) },
            crmIds: (0..<count).map { "CRM-\($0)" }, emails: values, phones: Array(repeating: nil, count: count),
            consent: Array(repeating: .allEnabled, count: count), deviceCounts: Array(repeating: 0, count: count),
            columns: [])
        let index = FilterIndex(set)
        let sorted = index.sorted(by: .email)
        index.rankedSortLimit = count
        #expect(sorted == index.sorted(by: .email), "ranked (the limit allows every value) and compared agree")
        let emails = (sorted ?? []).map { set.email(at: Int($0)).map { Array($0.utf8) } }
        let present = emails.prefix { $0 != nil }.map { $0! }
        #expect(present.count == values.count { $0 != nil } && emails.count == count)
        #expect(zip(present, present.dropFirst()).allSatisfy { $0.lexicographicallyPrecedes($1) })
    }
}
