import Foundation
import Testing

@testable import RosterCore
@testable import RosterModel

struct ColumnSortTests {
    /// What a sort must give, written the slow way: each row's value as something comparable, nil when missing.
    private enum Value: Comparable {
        case text([UInt8])
        case number(Double, String)
        case integer(Int64)

        static func < (left: Value, right: Value) -> Bool {
            switch (left, right) {
            case (.text(let a), .text(let b)): return a.lexicographicallyPrecedes(b)
            case (.number(let a, let aText), .number(let b, let bText)):
                return a != b ? a < b : DecimalText.compare(aText, bText) < 0
            case (.integer(let a), .integer(let b)): return a < b
            default: return false
            }
        }

        static func == (left: Value, right: Value) -> Bool { !(left < right) && !(right < left) }
    }

    private func value(_ key: ColumnKey, row: Int, in set: WorkingSet) -> Value? {
        func text(_ string: String?) -> Value? {
            guard let string else { return nil }
            let folded = TextFolding.fold(string)
            return folded.isEmpty ? nil : .text(folded)
        }
        switch key {
        case .externalCode: return .text(Array(set.externalCode(at: row).utf8))
        case .crmId: return text(set.crmIds[row])
        case .email: return text(set.email(at: row))
        case .phone: return text(set.phone(at: row))
        case .devices: return .integer(Int64(set.deviceCount(at: row)))
        case .consent:
            let consent = set.consent(at: row)
            func state(_ has: Bool, _ on: Bool) -> Int64 { has ? (on ? 2 : 1) : 0 }
            return .integer(
                state(set.emails.isPresent(row), consent.email) * 9 + state(set.phones.isPresent(row), consent.sms) * 3
                    + state(set.deviceCount(at: row) > 0, consent.push))
        case .field(let name):
            let column = set.column(named: name)!
            guard let written = column.values[row] else { return nil }
            switch column.type {
            case .text: return text(written)
            case .number:
                guard FieldType.number.accepts(written), let number = Double(written) else { return nil }
                return .number(number, written)
            case .date:
                if written.hasPrefix("--"), let date = CalendarDate("2000" + written.dropFirst(1)) {
                    return .integer(Int64(date.month * 100 + date.day))
                }
                guard let date = CalendarDate(written) else { return nil }
                return .integer(Int64(date.year * 10000 + date.month * 100 + date.day))
            case .boolean:
                switch written.lowercased() {
                case "true": return .integer(1)
                case "false": return .integer(0)
                default: return nil
                }
            }
        }
    }

    /// The expected order: present values sorted stably (ascending or descending), then the missing in input order.
    private func expected(_ rows: [Int32], by key: ColumnKey, ascending: Bool, in set: WorkingSet) -> [Int32] {
        let keyed = rows.enumerated().map {
            (position: $0.offset, row: $0.element, value: value(key, row: Int($0.element), in: set))
        }
        let present = keyed.filter { $0.value != nil }.sorted { left, right in
            if left.value! != right.value! {
                return ascending ? left.value! < right.value! : right.value! < left.value!
            }
            return left.position < right.position
        }
        return present.map(\.row) + keyed.filter { $0.value == nil }.map(\.row)
    }

    @Test(
        "every column sorts typed, stable, missing last in both directions, as a slow reference sort does",
        arguments: [1, 2, 3, 4])
    func matchesReference(seed: UInt64) throws {
        let set = ColumnFixtures.workingSet(count: 400, seed: seed)
        let index = FilterIndex(set)
        // Odd seeds take the two-core path (halves sorted or grouped apart, then merged), even ones one core; seeds 1
        // and 2 compare keys, 3 and 4 rank text by its distinct values (a counting sort).
        index.twoCoresFrom = seed.isMultiple(of: 2) ? .max : 16
        index.rankedSortLimit = seed <= 2 ? 0 : nil
        let rows = ColumnFixtures.rows(count: set.count, seed: seed + 100)
        for key in ColumnKey.all(in: set) {
            for ascending in [true, false] {
                #expect(
                    index.sorted(rows, by: key, ascending: ascending)
                        == expected(rows, by: key, ascending: ascending, in: set),
                    "\(key) ascending \(ascending)")
                #expect(
                    index.sorted(nil, by: key, ascending: ascending)
                        == expected(Array(0..<Int32(set.count)), by: key, ascending: ascending, in: set),
                    "\(key) all rows ascending \(ascending)")
            }
        }
    }

    @Test("a list sorted on both cores is merged stably, long equal prefixes included")
    func parallelPathIsStable() throws {
        let count = 3_000
        let names = (0..<count).map { row -> String? in
            row % 13 == 0 ? nil : "a common prefix of more than sixteen bytes \(row % 7)" + (row % 2 == 0 ? "É" : "e")
        }
        let dates = (0..<count).map { row -> String? in
            row % 11 == 0 ? nil : "19\(50 + row % 40)-0\(1 + row % 9)-1\(row % 9)"
        }
        let set = WorkingSet(
            rowIDs: (0..<count).map { Int64($0 + 1) },
            externalCodes: (0..<count).map { QueryFixtures.externalCode(row: $0 % 100) },
            crmIds: (0..<count).map { "CRM-\($0 % 1000)" }, emails: Array(repeating: nil, count: count),
            phones: Array(repeating: nil, count: count), consent: Array(repeating: .allEnabled, count: count),
            deviceCounts: Array(repeating: 0, count: count),
            columns: [
                .init(name: "name", type: .text, values: names), .init(name: "birthdate", type: .date, values: dates),
            ])
        let index = FilterIndex(set)
        index.twoCoresFrom = 64
        let rows = Array((0..<Int32(count)).reversed())
        for (key, limit) in [
            (ColumnKey.field("name"), 0), (.field("name"), nil), (.field("birthdate"), nil), (.externalCode, nil),
            (.crmId, 0), (.crmId, nil),
        ] {
            index.rankedSortLimit = limit
            for ascending in [true, false] {
                #expect(
                    index.sorted(rows, by: key, ascending: ascending)
                        == expected(rows, by: key, ascending: ascending, in: set), "\(key)")
            }
        }
    }

    @Test("text sorts without regard to case and accents; numbers, dates and booleans by value; missing last")
    func typedOrder() throws {
        let set = QueryFixtures.workingSet([
            Person(name: "zoë", birthdate: "1990-01-02", score: "10", vip: "true"),
            Person(name: "Álvaro", birthdate: "1985-12-31", score: "9", vip: "false"),
            Person(name: nil, birthdate: nil, score: nil, vip: nil),
            Person(name: "alvaro", birthdate: "2001-05-05", score: "-1.5", vip: "TRUE"),
            Person(name: "Bea", birthdate: "--03-04", score: "9.0", vip: "false"),
        ])
        let index = FilterIndex(set)
        #expect(index.sorted(by: .field("name")) == [1, 3, 4, 0, 2])
        #expect(index.sorted(by: .field("NAME"), ascending: false) == [0, 4, 1, 3, 2])
        #expect(index.sorted(by: .field("score")) == [3, 1, 4, 0, 2])
        #expect(index.sorted(by: .field("score"), ascending: false) == [0, 1, 4, 3, 2])
        #expect(index.sorted(by: .field("birthdate")) == [4, 1, 0, 3, 2])
        #expect(index.sorted(by: .field("vip")) == [1, 4, 0, 3, 2])
        #expect(index.sorted([4, 3, 2], by: .field("vip")) == [4, 3, 2])
        #expect(index.sorted([2, 1], by: .field("nosuchfield")) == [2, 1])
    }

    @Test("a cancelled sort stops and returns nil; one never cancelled returns every row")
    func cancellation() {
        let set = ColumnFixtures.workingSet(count: 100, seed: 3)
        let index = FilterIndex(set)
        #expect(index.sorted(by: .field("city"), isCancelled: { true }) == nil)
        #expect(index.frequency(of: .field("city"), isCancelled: { true }) == nil)
        #expect(index.sorted(by: .field("city"), isCancelled: { false })?.count == 100)
    }

    @Test("sortedByName still orders by folded name with ties by row id")
    func sortedByName() {
        let set = QueryFixtures.workingSet([
            Person(name: "b"), Person(name: "A"), Person(name: nil), Person(name: "á"), Person(name: "B"),
        ])
        #expect(FilterIndex(set).sortedByName() == [1, 3, 0, 4, 2])
        #expect(FilterIndex(set).sortedByName(ascending: false) == [0, 4, 1, 3, 2])
    }
}
