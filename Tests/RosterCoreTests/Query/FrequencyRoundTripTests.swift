import Foundation
import Testing

@testable import RosterCore
@testable import RosterModel

struct FrequencyRoundTripTests {
    /// The rows of `filter` among `rows`, counted.
    private func count(_ filter: String, in index: FilterIndex, among rows: [Int32]) throws -> Int {
        let selected = Set(try index.evaluate(Filter.parse(filter), context: FilterContext.fixed("2026-03-15")))
        return rows.filter { selected.contains($0) }.count
    }

    @Test(
        "filtering by an entry's filter text selects exactly its count, for every entry of random frequency tables",
        arguments: [1, 2, 3, 4])
    func everyEntryRoundTrips(seed: UInt64) throws {
        let set = ColumnFixtures.workingSet(count: 300, seed: seed)
        let index = FilterIndex(set)
        // Half the seeds count on two cores (two hash tables, merged), half on one.
        index.twoCoresFrom = seed.isMultiple(of: 2) ? 16 : .max
        let rows = ColumnFixtures.rows(count: set.count, seed: seed &* 7)
        var checked = 0
        for key in ColumnKey.all(in: set) + [.field("Email")] {
            let buckets: [DateBucket] = key.valueType(in: set) == .date ? DateBucket.allCases : [.day]
            for bucket in buckets {
                for list in [rows, Array(0..<Int32(set.count))] {
                    let table = try #require(index.frequency(of: key, rows: list, bucket: bucket))
                    #expect(table.total == list.count)
                    #expect(table.entries.map(\.count).reduce(0, +) == list.count, "\(key) \(bucket)")
                    for entry in table.entries {
                        guard let filter = entry.filter else {
                            // Only what the language cannot name: a device count, a field called like an identifier.
                            #expect(key == .devices || key == .field("Email"), "\(key) \(entry.value)")
                            continue
                        }
                        #expect(
                            try count(filter, in: index, among: list) == entry.count,
                            "\(key) \(bucket): \(filter) should select \(entry.count)")
                        checked += 1
                    }
                }
            }
        }
        #expect(checked > 200)
    }

    @Test("channel and consent tables round-trip too, and a channel's consent entries add up to its rows")
    func channelsAndConsentRoundTrip() throws {
        let set = ColumnFixtures.workingSet(count: 200, seed: 9)
        let index = FilterIndex(set)
        let rows = ColumnFixtures.rows(count: set.count, seed: 10)
        var tables = Channel.allCases.map { index.consentFrequency($0, rows: rows) }
        for table in tables { #expect(table.entries.map(\.count).reduce(0, +) == rows.count) }
        tables.append(index.channelFrequency(rows: rows))
        for table in tables {
            for entry in table.entries {
                #expect(try count(try #require(entry.filter), in: index, among: rows) == entry.count, "\(entry.value)")
            }
        }
    }

    @Test("a quoted value reads back as itself, whatever it holds")
    func quotedValuesReadBack() throws {
        let set = QueryFixtures.workingSet(
            ColumnFixtures.texts.map { Person(city: $0) })
        let index = FilterIndex(set)
        let missing = Set(index.evaluate(try Filter.parse("not has city")))
        for (row, value) in ColumnFixtures.texts.enumerated() {
            guard let value, !missing.contains(Int32(row)) else { continue }
            let rows = try index.evaluate(
                Filter.parse("city = \(FilterText.quoted(value))"), context: FilterContext.fixed("2026-03-15"))
            #expect(rows.contains(Int32(row)), "\(FilterText.quoted(value))")
        }
    }
}

extension FilterIndex {
    fileprivate func evaluate(_ filter: Filter) -> [Int32] {
        (try? evaluate(filter, context: FilterContext.fixed("2026-03-15"))) ?? []
    }
}
