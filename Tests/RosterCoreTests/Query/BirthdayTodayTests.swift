import Foundation
import RosterCore
import Testing

@testable import RosterModel

struct BirthdayTodayTests {
    static let people = [
        Person(name: "Leap", birthdate: "1992-02-29"),
        Person(name: "March first", birthdate: "1988-03-01"),
        Person(name: "February 28", birthdate: "1990-02-28"),
        Person(name: "Ides", birthdate: "1990-03-15"),
        Person(name: "No birthdate"),
        Person(name: "Eve", birthdate: "1979-03-14"),
    ]
    let set = QueryFixtures.workingSet(BirthdayTodayTests.people)

    private func rows(_ today: String, _ rule: LeapDayRule = .marchFirst, query: String = "birthday = today") throws
        -> [Int32]
    {
        try QueryFixtures.rows(query, in: set, today: today, rule: rule)
    }

    @Test func matchesMonthAndDayWhateverTheYear() throws {
        #expect(try rows("2026-03-15") == [3])
        #expect(try rows("2026-03-15", query: "birthday today") == [3])
        #expect(try rows("2026-03-15", query: "BIRTHDAY = TODAY") == [3])
        #expect(try rows("2026-03-15", query: "birthday != today") == [0, 1, 2, 4, 5])
        #expect(try rows("2026-03-15", query: "not birthday = today") == [0, 1, 2, 4, 5])
        #expect(try rows("2026-07-04") == [])
    }

    @Test func leapDayBirthdaysCountOnMarchFirstInOtherYears() throws {
        #expect(try rows("2027-03-01") == [0, 1])
        #expect(try rows("2027-02-28") == [2])
    }

    @Test func leapDayBirthdaysCanCountOnFebruary28Instead() throws {
        #expect(try rows("2027-02-28", .februaryTwentyEighth) == [0, 2])
        #expect(try rows("2027-03-01", .februaryTwentyEighth) == [1])
    }

    @Test func leapDayBirthdaysCountOnTheirDayInLeapYears() throws {
        for rule in LeapDayRule.allCases {
            #expect(try rows("2028-02-29", rule) == [0])
            #expect(try rows("2028-02-28", rule) == [2])
            #expect(try rows("2028-03-01", rule) == [1])
        }
        #expect(try rows("2000-02-29") == [0])
        #expect(try rows("2100-03-01") == [0, 1])
    }

    @Test func todayDependsOnTheStoresTimeZone() throws {
        // 02:30 UTC on 15 March 2026 is 03:30 on the 15th in Madrid (UTC+1) and 22:30 on the 14th in New York
        // (UTC-4 since 8 March).
        let now = try #require(ISO8601DateFormatter().date(from: "2026-03-15T02:30:00Z"))
        let madrid = FilterContext.today(in: TimeZone(identifier: "Europe/Madrid")!, now: now)
        let newYork = FilterContext.today(in: TimeZone(identifier: "America/New_York")!, now: now)
        #expect(madrid.today == CalendarDate(year: 2026, month: 3, day: 15))
        #expect(newYork.today == CalendarDate(year: 2026, month: 3, day: 14))
        let index = FilterIndex(set)
        let filter = try Filter.parse("birthday = today")
        #expect(try index.evaluate(filter, context: madrid) == [3])
        #expect(try index.evaluate(filter, context: newYork) == [5])
    }

    @Test func theContextKeepsTheLeapDayRule() {
        let now = Date(timeIntervalSince1970: 0)
        let context = FilterContext.today(
            in: TimeZone(identifier: "UTC")!, now: now, leapDayRule: .februaryTwentyEighth)
        #expect(context.today.description == "1970-01-01")
        #expect(context.leapDayRule == .februaryTwentyEighth)
    }

    @Test func aFixedTodayMustBeARealDate() throws {
        #expect(try FilterContext.fixed("2028-02-29").today == CalendarDate(year: 2028, month: 2, day: 29))
        #expect(throws: FilterContext.InvalidDate(text: "2027-02-29")) { try FilterContext.fixed("2027-02-29") }
        #expect(throws: FilterContext.InvalidDate(text: "15/03/2026")) { try FilterContext.fixed("15/03/2026") }
        #expect(CalendarDate(year: 2026, month: 13, day: 1) == nil)
    }

    @Test func birthdayNeedsADateFieldNamedBirthdate() throws {
        let noBirthdate = QueryFixtures.workingSet(Self.people, fieldNames: ["name", "city"])
        #expect(
            QueryFixtures.error("has email or birthday = today", in: noBirthdate)?.description
                == "query:1:14: birthday = today needs a date field named birthdate (fields: city, name)")
        let textBirthdate = WorkingSet(
            rowIDs: [1], externalCodes: [QueryFixtures.externalCode(row: 0)], crmIds: ["c"], emails: [nil],
            phones: [nil],
            consent: [.allEnabled], deviceCounts: [0],
            columns: [.init(name: "Birthdate", type: .text, values: ["someday"])])
        #expect(
            QueryFixtures.error("birthday today", in: textBirthdate)?.message
                == "birthday = today needs birthdate to be a date field; it is a text field")
    }

    @Test func theBirthdateFieldIsFoundWhateverItsCase() throws {
        let set = WorkingSet(
            rowIDs: [1, 2], externalCodes: [0, 1].map { QueryFixtures.externalCode(row: $0) }, crmIds: ["1", "2"],
            emails: [nil, nil], phones: [nil, nil],
            consent: [.allEnabled, .allEnabled], deviceCounts: [0, 0],
            columns: [.init(name: "BirthDate", type: .date, values: ["2001-03-15", "2001-03-16"])])
        #expect(try QueryFixtures.rows("birthday = today", in: set) == [0])
    }
}
