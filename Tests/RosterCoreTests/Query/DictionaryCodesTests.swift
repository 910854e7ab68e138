import Foundation
import Testing

@testable import RosterDemo
@testable import RosterModel

/// A dictionary column keeps 2 bytes a row while its values fit and 4 past 65,535 values (the builder switches in the
/// middle of the column); filters, search, sorts and frequency tables must answer as the row-by-row folded copy does
/// at both widths.
struct DictionaryCodesTests {
    private func workingSet(_ values: [String?]) -> WorkingSet {
        let count = values.count
        return WorkingSet(
            rowIDs: (0..<count).map { Int64($0 + 1) },
            externalCodes: (0..<count).map { QueryFixtures.externalCode(row: $0 % 100) },
            crmIds: (0..<count).map { "CRM-\($0)" }, emails: Array(repeating: nil, count: count),
            phones: Array(repeating: nil, count: count), consent: Array(repeating: .allEnabled, count: count),
            deviceCounts: Array(repeating: 0, count: count), columns: [.init(name: "tag", type: .text, values: values)])
    }

    private func checkSameAnswers(_ values: [String?], wide: Bool) throws {
        let set = workingSet(values)
        let dictionary = FilterIndex(set)
        dictionary.dictionaryLimit = .max
        let plain = FilterIndex(set)
        plain.dictionaryLimit = 0
        guard case .text(let column) = dictionary.field(named: "tag")?.storage,
            case .text(let plainColumn) = plain.field(named: "tag")?.storage
        else { throw Failure() }
        switch column.codes {
        case .narrow?: #expect(!wide)
        case .wide?: #expect(wide)
        case nil: Issue.record("not a dictionary")
        }
        #expect(plainColumn.codes == nil)
        let context = try FilterContext.fixed("2026-03-15")
        for expression in [
            "tag = \"Valor 7\"", "tag != \"valor 70000\"", "tag ~ \"70\"", "has tag", "tag > \"valor 5\"",
        ] {
            let filter = try Filter.parse(expression)
            #expect(
                try dictionary.evaluate(filter, context: context) == plain.evaluate(filter, context: context),
                "\(expression)")
        }
        #expect(dictionary.search(text: "lor 65") == plain.search(text: "lor 65"))
        let list = (0..<Int32(values.count)).filter { $0 % 3 != 0 }.reversed().map { $0 }
        for ascending in [true, false] {
            #expect(
                dictionary.sorted(by: .field("tag"), ascending: ascending)
                    == plain.sorted(by: .field("tag"), ascending: ascending))
            #expect(
                dictionary.sorted(list, by: .field("tag"), ascending: ascending)
                    == plain.sorted(list, by: .field("tag"), ascending: ascending))
        }
        #expect(dictionary.frequency(of: .field("tag"))?.entries == plain.frequency(of: .field("tag"))?.entries)
        #expect(
            dictionary.frequency(of: .field("tag"), rows: list)?.entries
                == plain.frequency(of: .field("tag"), rows: list)?.entries)
    }

    private struct Failure: Error {}

    @Test("a column of few values keeps 2 bytes a row and answers as the folded copy does")
    func narrow() throws {
        try checkSameAnswers(
            (0..<3_000).map { $0 % 17 == 0 ? nil : $0 % 2 == 0 ? "Valor \($0 % 40)" : "VALOR \($0 % 40)" }, wide: false)
    }

    @Test("past 65,535 values the codes widen to 4 bytes in the middle of the column and still answer the same")
    func wide() throws {
        // The first 30,000 rows repeat 40 values, the next ones are all distinct: the width changes near row 95,000.
        let values = (0..<100_000).map { row -> String? in
            row % 1_001 == 0 ? nil : row < 30_000 ? "Valor \(row % 40)" : "valor \(row)"
        }
        try checkSameAnswers(values, wide: true)
    }
}
