import Foundation
import RosterCore
import Testing

@testable import RosterModel

/// A working set large enough to be scanned in two parallel chunks, checked against a plain reference computation.
struct FilterIndexScaleTests {
    static let firstNames = ["José", "María", "Zoë", "ana", "Ángel", "Jürgen", "François", "Mario", "山田", "Iñaki"]
    static let lastNames = ["García", "Strauß", "Müller", "Martín", "Rossi", "Núñez", "de la Peña y Fernández", "太郎"]
    static let rowCount = 70_001

    struct Fixture {
        let names: [String?]
        /// Each name folded by Foundation, the reference the index must agree with.
        let folded: [String?]
        let index: FilterIndex
    }

    static let fixture: Fixture = {
        var state: UInt64 = 42
        func random(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        let names: [String?] = (0..<rowCount).map { _ in
            random(20) == 0 ? nil : "\(firstNames[random(firstNames.count)]) \(lastNames[random(lastNames.count)])"
        }
        let set = WorkingSet(
            rowIDs: (0..<rowCount).map { Int64($0 + 1) },
            externalCodes: (0..<rowCount).map { _ in QueryFixtures.externalCode(row: 0) },
            crmIds: (0..<rowCount).map { "id\($0)" }, emails: Array(repeating: nil, count: rowCount),
            phones: Array(repeating: nil, count: rowCount), consent: Array(repeating: .allEnabled, count: rowCount),
            deviceCounts: Array(repeating: 0, count: rowCount),
            columns: [.init(name: "name", type: .text, values: names)])
        var cache: [String: String] = [:]
        let folded = names.map { name in
            name.map { name in
                if let known = cache[name] { return known }
                let folded = reference(name)
                cache[name] = folded
                return folded
            }
        }
        return Fixture(names: names, folded: folded, index: FilterIndex(set))
    }()

    private static func reference(_ text: String) -> String {
        text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
    }

    @Test(arguments: ["jose", "a", "STRASSE", "ñez", "太郎", "de la pena y fernandez", "zz", "o m"])
    func containsMatchesAPlainScan(needle: String) throws {
        let fixture = Self.fixture
        let folded = Self.reference(needle)
        let expected = fixture.folded.indices.filter { fixture.folded[$0]?.contains(folded) ?? false }.map(Int32.init)
        let filter = try Filter.parse("name ~ \"\(needle)\"")
        #expect(try fixture.index.evaluate(filter, context: FilterContext.fixed("2026-01-01")) == expected)
        let searched = fixture.index.search(text: needle)
        #expect(searched == expected || needle.count < 3)
    }

    @Test(arguments: ["josé garcía", "ANA MÜLLER", "山田 太郎"])
    func equalityMatchesAPlainScan(value: String) throws {
        let fixture = Self.fixture
        let folded = Self.reference(value)
        let expected = fixture.folded.indices.filter { fixture.folded[$0] == folded }.map(Int32.init)
        #expect(!expected.isEmpty)
        let context = try FilterContext.fixed("2026-01-01")
        #expect(try fixture.index.evaluate(Filter.parse("name = \"\(value)\""), context: context) == expected)
        let others = try fixture.index.evaluate(Filter.parse("name != \"\(value)\""), context: context)
        #expect(others.count + expected.count == Self.rowCount)
    }

    @Test func sortingMatchesAPlainSort() {
        let fixture = Self.fixture
        let keys = fixture.folded.map { $0.map { Array($0.utf8) } }
        let named = fixture.names.indices.filter { keys[$0] != nil }
        let missing = fixture.names.indices.filter { keys[$0] == nil }.map(Int32.init)
        let ascending = named.sorted { left, right in
            keys[left]! == keys[right]! ? left < right : keys[left]!.lexicographicallyPrecedes(keys[right]!)
        }.map(Int32.init)
        let descending = named.sorted { left, right in
            keys[left]! == keys[right]! ? left < right : keys[right]!.lexicographicallyPrecedes(keys[left]!)
        }.map(Int32.init)
        #expect(fixture.index.sortedByName() == ascending + missing)
        #expect(fixture.index.sortedByName(ascending: false) == descending + missing)
    }

    @Test func orderingMatchesAPlainComparison() throws {
        let fixture = Self.fixture
        let bound = Array(Self.reference("María N").utf8)
        let expected = fixture.folded.indices.filter { row in
            fixture.folded[row].map { Array($0.utf8).lexicographicallyPrecedes(bound) } ?? false
        }.map(Int32.init)
        let filter = try Filter.parse("name < \"María N\"")
        #expect(try fixture.index.evaluate(filter, context: FilterContext.fixed("2026-01-01")) == expected)
    }
}
