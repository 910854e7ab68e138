import Testing

@testable import RosterModel

@Suite("Counts kept with a field for the counting sorts of every row")
struct ColumnCountsTests {
    @Test("dates: the smallest day, each day's count in the first half and in all, the missing last")
    func dates() throws {
        let missing = IndexedField.missingDate
        let dates: [Int32] = [105, missing, 100, 105, 102, missing, 100]
        let counts = try #require(ColumnCounts(dates: dates, missing: missing))
        #expect(counts.low == 100)
        #expect(counts.values == 6)
        // Rows 0..<3 are the first half (of 7); slots are days 100…105, then missing.
        #expect(counts.firstHalf == [1, 0, 0, 0, 0, 1, 1])
        #expect(counts.all == [2, 0, 1, 0, 0, 2, 2])
        let ranked = counts.ranked(count: 6) { UInt32($0) }
        #expect(ranked.all == counts.all)
    }

    @Test("no date at all, and days spanning more than the limit")
    func edges() {
        let missing = IndexedField.missingDate
        let none = ColumnCounts(dates: [Int32](repeating: missing, count: 5), missing: missing)
        #expect(none?.values == 0)
        #expect(none?.all == [5])
        let wide: [Int32] = [0, Int32(ColumnCounts.maxValues)]
        #expect(ColumnCounts(dates: wide, missing: missing) == nil)
    }

    @Test("codes: each code's count; ranks shared by two codes add up, code 0 (missing) goes last")
    func codes() throws {
        let codes: [UInt16] = [1, 2, 0, 1, 3, 3, 3, 0]
        let counts = try #require(codes.withUnsafeBufferPointer { ColumnCounts(codes: $0, values: 4) })
        #expect(counts.firstHalf == [1, 2, 1, 0, 0])
        #expect(counts.all == [2, 2, 1, 3, 0])
        // Codes 1 and 3 fold alike (rank 0), code 2 is rank 1, code 0 is missing.
        let valueRanks: [UInt32] = [UInt32.max, 0, 1, 0]
        let ranked = counts.ranked(count: 2) { valueRanks[$0] }
        #expect(ranked.firstHalf == [2, 1, 1])
        #expect(ranked.all == [5, 1, 2])
    }
}
