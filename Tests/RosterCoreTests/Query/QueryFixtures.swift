import Foundation
import RosterCore

@testable import RosterModel

/// One customer of a test working set, described by what filters look at.
struct Person {
    var name: String?
    var birthdate: String?
    var city: String?
    var score: String?
    var vip: String?
    var email: String?
    var phone: String?
    var devices: Int32 = 0
    var consent = Consent.allEnabled
    var crmId: String?
}

enum QueryFixtures {
    /// A working set of `people` with the fields name (text), birthdate (date), city (text), score (number) and vip
    /// (boolean); row ids count from 1, CRM ids are `CRM-<row id>` unless given.
    static func workingSet(_ people: [Person], fieldNames: [String] = ["name", "birthdate", "city", "score", "vip"])
        -> WorkingSet
    {
        let columns: [WorkingSet.Column] = [
            .init(name: "name", type: .text, values: people.map(\.name)),
            .init(name: "birthdate", type: .date, values: people.map(\.birthdate)),
            .init(name: "city", type: .text, values: people.map(\.city)),
            .init(name: "score", type: .number, values: people.map(\.score)),
            .init(name: "vip", type: .boolean, values: people.map(\.vip)),
        ].filter { fieldNames.contains($0.name) }
        return WorkingSet(
            rowIDs: people.indices.map { Int64($0 + 1) },
            externalCodes: people.indices.map { externalCode(row: $0) },
            crmIds: people.indices.map { people[$0].crmId ?? "CRM-\($0 + 1)" }, emails: people.map(\.email),
            phones: people.map(\.phone), consent: people.map(\.consent), deviceCounts: people.map(\.devices),
            columns: columns)
    }

    /// A stand-in externalCode: 64 hex digits that differ per row.
    static func externalCode(row: Int) -> String {
        let head = String(row, radix: 16)
        return String(repeating: "0", count: 8 - head.count) + head + String(repeating: "ab", count: 28)
    }

    /// The rows `query` selects on `workingSet`, on 15 March 2026 unless told otherwise.
    static func rows(
        _ query: String, in workingSet: WorkingSet, today: String = "2026-03-15", rule: LeapDayRule = .marchFirst
    ) throws -> [Int32] {
        try FilterIndex(workingSet).evaluate(
            Filter.parse(query), context: FilterContext.fixed(today, leapDayRule: rule))
    }

    /// The error `query` gives on `workingSet`, parsing or evaluating, or nil.
    static func error(_ query: String, in workingSet: WorkingSet = workingSet([])) -> FilterError? {
        do {
            _ = try FilterIndex(workingSet).evaluate(Filter.parse(query), context: FilterContext.fixed("2026-03-15"))
            return nil
        } catch let error as FilterError {
            return error
        } catch {
            return nil
        }
    }
}
