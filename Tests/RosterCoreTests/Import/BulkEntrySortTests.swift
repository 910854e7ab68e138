import Testing

@testable import RosterCore
@testable import RosterModel

@Suite("Sorting blind-index entries for the bulk import")
struct BulkEntrySortTests {
    /// A small deterministic generator (xorshift), so a failure can be replayed.
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return state
        }
    }

    func entry(_ high: UInt64, _ low: UInt64, _ rowID: Int64) -> BulkLoader.Entry {
        BulkLoader.Entry(BlindIndexer.Words(high: high, low: low), rowID)
    }

    func expectSorted(_ entries: [BulkLoader.Entry]) {
        var sorted = entries
        BulkLoader.Entry.sort(&sorted)
        let expected = entries.sorted(by: BulkLoader.Entry.inOrder)
        #expect(sorted.map(\.high) == expected.map(\.high))
        #expect(sorted.map(\.low) == expected.map(\.low))
        #expect(sorted.map(\.rowID) == expected.map(\.rowID))
    }

    @Test(
        "random indexes with repeated keys sort as the standard library sorts them",
        arguments: [0, 1, 2, 63, 65, 5000, 200_000])
    func random(count: Int) {
        var generator = Generator(state: 0x9E37_79B9_7F4A_7C15 &+ UInt64(count))
        var entries: [BulkLoader.Entry] = []
        for row in 0..<count {
            if row > 0, generator.next() % 10 == 0 {
                // The same key again on a later row (last row wins needs file order within a key).
                let earlier = entries[Int(generator.next() % UInt64(entries.count))]
                entries.append(entry(earlier.high, earlier.low, Int64(row + 1)))
            } else {
                entries.append(entry(generator.next(), generator.next(), Int64(row + 1)))
            }
        }
        expectSorted(entries)
    }

    @Test("one key on many rows, and indexes that share their top bits, keep file order within a key")
    func crowdedBuckets() {
        var generator = Generator(state: 42)
        var entries: [BulkLoader.Entry] = []
        for row in 0..<3000 {
            switch row % 3 {
            case 0: entries.append(entry(0xABCD_0000_0000_0001, 7, Int64(3000 - row)))
            case 1:
                entries.append(entry(0xABCD_0000_0000_0000 | (generator.next() >> 16), generator.next(), Int64(row)))
            default: entries.append(entry(generator.next(), generator.next(), Int64(row)))
            }
        }
        expectSorted(entries)
    }
}
