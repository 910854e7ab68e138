import Testing

@testable import RosterModel

@Suite("A frequency table of more values than it lists")
struct FrequencyCapTests {
    @Test("the most frequent values are listed, ties in value order, the rest summed last; missing always listed")
    func capInTable() {
        typealias Group = FrequencyTable.Group
        let groups: [Group] = [
            Group(order: .integer(3), value: "d", count: 1), Group(order: .integer(1), value: "b", count: 3),
            Group(order: .integer(0), value: "a", count: 5), Group(order: .integer(2), value: "c", count: 3),
            Group(order: .missing, value: "", count: 2, filter: "not has x"),
            Group(order: .others(4), value: "", count: 4),
        ]
        let table = FrequencyTable(groups, total: 18, column: nil, bucket: nil, limit: 2)
        #expect(table.entries.map(\.value) == ["a", "b", "(missing)", "(6 more values)"])
        #expect(table.entries.map(\.count) == [5, 3, 2, 8])
        #expect(table.entries.last?.filter == nil)
        #expect(table.entries.reduce(0) { $0 + $1.count } == 18)
    }

    /// 70,000 customers (a sample of 16,384 needs four times as many rows to judge), CRM ids all distinct, a text
    /// field of 50,000 values (the first 20,000 twice), folded row by row (no dictionary).
    private func index() -> FilterIndex {
        let people = (0..<70_000).map { row in
            Person(name: "v\(row % 50_000)", birthdate: nil, city: nil, score: nil, vip: nil, crmId: "CRM-\(row)")
        }
        let index = FilterIndex(QueryFixtures.workingSet(people))
        index.dictionaryLimit = 0
        return index
    }

    @Test("capped tables list what the whole table lists first, whether counted by hashing or run by run on a sort")
    func cappedIsPrefix() throws {
        let index = index()
        for key in [ColumnKey.crmId, .field("name"), .externalCode] {
            index.frequencyLimit = 100_000
            let whole = try #require(index.frequency(of: key))
            index.frequencyLimit = 1_000
            let capped = try #require(index.frequency(of: key))
            #expect(capped.entries.count == 1_001, "\(key)")
            #expect(Array(capped.entries.prefix(1_000)) == Array(whole.entries.prefix(1_000)), "\(key)")
            let rest = whole.entries.dropFirst(1_000)
            #expect(capped.entries.last?.value == "(\(rest.count) more values)", "\(key)")
            #expect(capped.entries.last?.count == rest.reduce(0) { $0 + $1.count }, "\(key)")
        }
        // The repeated names come first: 20,000 of them twice, listed in value order.
        index.frequencyLimit = 3
        let names = try #require(index.frequency(of: .field("name")))
        #expect(names.entries.map(\.count) == [2, 2, 2, 69_994])
        #expect(names.entries.prefix(3).map(\.value) == ["v0", "v1", "v10"])
    }
}
