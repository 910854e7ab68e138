import RosterCore
import Testing

@testable import RosterModel

struct DatePartFilterTests {
    let set = QueryFixtures.workingSet([
        Person(name: "a", birthdate: "1990-05-12"), Person(name: "b", birthdate: "1985-12-01"),
        Person(name: "c", birthdate: "--12-24"), Person(name: "d", birthdate: nil),
        Person(name: "e", birthdate: "2001-01-31"),
    ])

    private func rows(_ query: String) throws -> [Int32] { try QueryFixtures.rows(query, in: set) }

    @Test("year and month conditions select by a part of a date; a birthday without a year is year 0")
    func parts() throws {
        #expect(try rows("birthdate year = 1990") == [0])
        #expect(try rows("birthdate month = 12") == [1, 2])
        #expect(try rows("Birthdate MONTH >= 5") == [0, 1, 2])
        #expect(try rows("birthdate year < 1990") == [1, 2])
        #expect(try rows("birthdate year = 0") == [2])
        #expect(try rows("birthdate month != 12") == [0, 3, 4])
        #expect(try rows("not birthdate month = 12 and has birthdate") == [0, 4])
        #expect(try rows("(birthdate year > 2000 or birthdate month = 5)") == [0, 4])
        #expect(try rows("\"birthdate\" year = 2001") == [4])
    }

    @Test("a year or month on something that is not a date field, or out of range, is a clear error")
    func errors() {
        #expect(QueryFixtures.error("name year = 1990", in: set)?.message.contains("\"name\" is a text field") == true)
        #expect(
            QueryFixtures.error("birthdate month = 13", in: set)?.message
                == "expected a month (1–12) for field \"birthdate\", found \"13\"")
        #expect(QueryFixtures.error("birthdate year = 19x0", in: set)?.column == 18)
        #expect(QueryFixtures.error("birthdate month ~ 1", in: set) != nil)
        #expect(QueryFixtures.error("email year = 1", in: set) != nil)
        #expect(QueryFixtures.error("nosuch year = 1", in: set)?.message.contains("unknown date field") == true)
        #expect(QueryFixtures.error("birthdate year =", in: set)?.message == "expected a year after '='")
    }

    @Test("a field named year or month still compares as a field")
    func fieldsNamedLikeParts() throws {
        let set = WorkingSet(
            rowIDs: [1, 2], externalCodes: [QueryFixtures.externalCode(row: 0), QueryFixtures.externalCode(row: 1)],
            crmIds: ["a", "b"], emails: [nil, nil], phones: [nil, nil], consent: [.allEnabled, .allEnabled],
            deviceCounts: [0, 0], columns: [.init(name: "year", type: .number, values: ["1990", "2000"])])
        #expect(try QueryFixtures.rows("year = 2000", in: set) == [1])
        #expect(try QueryFixtures.rows("not year = 2000", in: set) == [0])
    }
}
