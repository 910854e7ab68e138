import RosterCore
import Testing

@testable import RosterModel

struct FilterEvaluatorTests {
    /// Seven customers with accents, CJK, missing values and every channel combination.
    static let people = [
        Person(
            name: "José García", birthdate: "1990-03-15", city: "Madrid", score: "10", vip: "true",
            email: "jose@example.com", phone: "+34600111222", devices: 1),
        Person(
            name: "Zoë Martín", birthdate: "1985-12-01", city: "Málaga", score: "7.5", vip: "false",
            email: "zoe@example.com", consent: Consent(email: false, sms: true, push: true)),
        Person(
            name: "Günther Strauß", birthdate: "1992-02-29", city: "München", score: "-3", phone: "+4917012345678",
            devices: 2),
        Person(name: "山田太郎", birthdate: "2000-03-15", city: "東京", vip: "true", email: "yamada@example.jp"),
        Person(score: "0", vip: "false"),
        Person(
            name: "Mario Rossi", birthdate: "1970-07-04", city: "madrid", score: "100", vip: "true",
            email: "mario@example.com", phone: "+390612345678", devices: 1,
            consent: Consent(email: true, sms: true, push: false)),
        Person(name: "Álvaro Núñez", birthdate: "1988-03-01", city: "Sevilla", score: "42", vip: "false"),
    ]
    let set = QueryFixtures.workingSet(FilterEvaluatorTests.people)

    private func rows(_ query: String) throws -> [Int32] {
        try QueryFixtures.rows(query, in: set)
    }

    @Test func textEqualityIgnoresCaseAndAccents() throws {
        #expect(try rows("city = madrid") == [0, 5])
        #expect(try rows("city = MÁLAGA") == [1])
        #expect(try rows("name = \"JOSE GARCIA\"") == [0])
        #expect(try rows("city == Madrid") == [0, 5])
    }

    @Test func notEqualIncludesMissingValues() throws {
        #expect(try rows("city != madrid") == [1, 2, 3, 4, 6])
        #expect(try rows("not city = madrid") == [1, 2, 3, 4, 6])
    }

    @Test func aMissingValueEqualsTheEmptyString() throws {
        #expect(try rows("city = \"\"") == [4])
        #expect(try rows("city != ''") == [0, 1, 2, 3, 5, 6])
    }

    @Test func textOrdersByFoldedText() throws {
        #expect(try rows("name < m") == [0, 2, 6])
        #expect(try rows("name >= mario") == [1, 3, 5])
        #expect(try rows("name > \"ZOE MARTIN\"") == [3])
        #expect(try rows("name <= \"zoë martín\"") == [0, 1, 2, 5, 6])
    }

    @Test func numbersCompareNumerically() throws {
        #expect(try rows("score > 7.5") == [0, 5, 6])
        #expect(try rows("score >= 7.5") == [0, 1, 5, 6])
        #expect(try rows("score < 0") == [2])
        #expect(try rows("score <= -3") == [2])
        #expect(try rows("score = 0") == [4])
        #expect(try rows("score = 10.0") == [0])
        #expect(try rows("score != 10") == [1, 2, 3, 4, 5, 6])
    }

    @Test func datesCompareInCalendarOrder() throws {
        #expect(try rows("birthdate < 1986-01-01") == [1, 5])
        #expect(try rows("birthdate >= 1992-02-29") == [2, 3])
        #expect(try rows("birthdate > 1992-02-29") == [3])
        #expect(try rows("birthdate <= 1970-07-04") == [5])
        #expect(try rows("birthdate = 1990-03-15") == [0])
        #expect(try rows("birthdate != 1990-03-15") == [1, 2, 3, 4, 5, 6])
    }

    @Test func booleansCompareWithTrueAndFalse() throws {
        #expect(try rows("vip = true") == [0, 3, 5])
        #expect(try rows("vip = FALSE") == [1, 4, 6])
        #expect(try rows("vip != true") == [1, 2, 4, 6])
    }

    @Test func containsIgnoresCaseAndAccents() throws {
        #expect(try rows("name ~ jose") == [0])
        #expect(try rows("name ~ \"GARC\"") == [0])
        #expect(try rows("name ~ zoe") == [1])
        #expect(try rows("name ~ strauss") == [2])
        #expect(try rows("name ~ \"Strauß\"") == [2])
        #expect(try rows("name ~ \"ñu\"") == [6])
        #expect(try rows("city ~ ünch") == [2])
        #expect(try rows("name ~ ''") == [0, 1, 2, 3, 5, 6])
    }

    @Test func containsFindsCJKAsPlainSubstrings() throws {
        #expect(try rows("name ~ 山田") == [3])
        #expect(try rows("name ~ 太郎") == [3])
        #expect(try rows("city ~ 東") == [3])
        #expect(try rows("name ~ 田中") == [])
    }

    @Test func builtInFieldsAreText() throws {
        #expect(try rows("email ~ EXAMPLE.COM") == [0, 1, 5])
        #expect(try rows("phone ~ 600") == [0])
        #expect(try rows("crmId = crm-3") == [2])
        #expect(try rows("EMAIL = jose@example.com") == [0])
        let code = QueryFixtures.externalCode(row: 4)
        #expect(try rows("externalCode = \(code)") == [4])
        #expect(try rows("externalCode ~ \(code.prefix(8))") == [4])
    }

    @Test func hasTellsWhichChannelsAndFieldsArePresent() throws {
        #expect(try rows("has email") == [0, 1, 3, 5])
        #expect(try rows("has sms") == [0, 2, 5])
        #expect(try rows("has push") == [0, 2, 5])
        #expect(try rows("has city") == [0, 1, 2, 3, 5, 6])
        #expect(try rows("has score") == [0, 1, 2, 4, 5, 6])
        #expect(try rows("has vip") == [0, 1, 3, 4, 5, 6])
        #expect(try rows("HAS Birthdate") == [0, 1, 2, 3, 5, 6])
    }

    @Test func consentNeedsBothTheChannelAndItsConsent() throws {
        #expect(try rows("consent email") == [0, 3, 5])
        #expect(try rows("consent sms") == [0, 2, 5])
        #expect(try rows("consent push") == [0, 2])
        #expect(try rows("CONSENT Push") == [0, 2])
    }

    @Test func andBindsTighterThanOr() throws {
        #expect(try rows("vip = true or city = málaga and score > 100") == [0, 3, 5])
        #expect(try rows("(vip = true or city = málaga) and score > 100") == [])
        #expect(try rows("score > 100 and city = málaga or vip = true") == [0, 3, 5])
    }

    @Test func notBindsTighterThanAnd() throws {
        #expect(try rows("not vip = true and has sms") == [2])
        #expect(try rows("not (vip = true and has sms)") == [1, 2, 3, 4, 6])
        #expect(try rows("not not has push") == [0, 2, 5])
        #expect(try rows("NOT vip = TRUE AND HAS SMS") == [2])
    }

    @Test func parenthesesNest() throws {
        #expect(try rows("((city = madrid) and (not (score < 50)))") == [5])
        #expect(try rows("not (has email or has sms or has push)") == [4, 6])
    }

    @Test func fieldNamesIgnoreCase() throws {
        #expect(try rows("Name ~ JOSE") == [0])
        #expect(try rows("CITY = madrid and BirthDate < 1980-01-01") == [5])
    }

    @Test func anUnknownFieldIsAnErrorNamingTheFields() {
        let set = QueryFixtures.workingSet(Self.people, fieldNames: ["name", "birthdate", "city"])
        #expect(
            QueryFixtures.error("nmae ~ mar", in: set)?.description
                == "query:1:1: unknown field \"nmae\" (fields: birthdate, city, name)")
        #expect(
            QueryFixtures.error("city = x or emial ~ y", in: set)?.description
                == "query:1:13: unknown field \"emial\" (fields: birthdate, city, name, email)")
        #expect(
            QueryFixtures.error("has fax", in: set)?.description
                == "query:1:5: unknown channel or field \"fax\" "
                + "(channels: email, sms, push; fields: birthdate, city, name)")
        #expect(QueryFixtures.error("has = 1", in: set)?.message.hasPrefix("unknown field \"has\"") == true)
    }

    @Test func aValueOfTheWrongTypeIsAnError() {
        #expect(
            QueryFixtures.error("birthdate > \"soon\"", in: set)?.description
                == "query:1:13: expected a date (YYYY-MM-DD) for field \"birthdate\", found \"soon\"")
        #expect(
            QueryFixtures.error("birthdate = 2027-02-29", in: set)?.message
                == "expected a date (YYYY-MM-DD) for field \"birthdate\", found \"2027-02-29\"")
        #expect(
            QueryFixtures.error("score > abc", in: set)?.description
                == "query:1:9: expected a number for field \"score\", found \"abc\"")
        #expect(QueryFixtures.error("score > 1e3", in: set)?.column == 9)
        #expect(
            QueryFixtures.error("vip = yes", in: set)?.message
                == "expected a boolean (true or false) for field \"vip\", found \"yes\"")
    }

    @Test func comparingADateWithTodayPointsToBirthday() {
        #expect(
            QueryFixtures.error("birthdate = today", in: set)?.message
                == "expected a date (YYYY-MM-DD) for field \"birthdate\", found \"today\" "
                + "(for birthdays, write birthday = today)")
    }

    @Test func operatorsNeedNoSpaces() throws {
        #expect(try rows("city=madrid") == [0, 5])
        #expect(try rows("score>=7.5 and name~o") == [0, 1, 5, 6])
        #expect(try rows("(vip!=true)and(birthdate<1990-01-01)") == [1, 6])
    }

    @Test func textThatGrowsWhenFoldedIsKeptWhole() throws {
        let long = String(repeating: "ŉ", count: 100)
        let set = QueryFixtures.workingSet([Person(name: "Ana"), Person(name: long), Person(name: "Eva")])
        #expect(try QueryFixtures.rows("name ~ \"ʼnʼn\"", in: set) == [1])
        #expect(try QueryFixtures.rows("name = ana or name = eva", in: set) == [0, 2])
        #expect(FilterIndex(set).sortedByName() == [0, 2, 1])
    }

    @Test func operatorsThatDoNotFitTheTypeAreErrors() {
        #expect(
            QueryFixtures.error("vip < true", in: set)?.description
                == "query:1:5: '<' does not apply to boolean field \"vip\"; use = or !=")
        #expect(
            QueryFixtures.error("score ~ 5", in: set)?.description
                == "query:1:7: '~' applies to text fields; \"score\" is a number field")
    }

    @Test func countMatchesEvaluate() throws {
        let index = FilterIndex(set)
        let context = try FilterContext.fixed("2026-03-15")
        for query in ["has email", "city = madrid or vip = true", "not has push", "name ~ a"] {
            let filter = try Filter.parse(query)
            #expect(try index.count(filter, context: context) == index.evaluate(filter, context: context).count)
        }
    }

    @Test func anEmptyWorkingSetSelectsNothing() throws {
        let empty = QueryFixtures.workingSet([])
        #expect(try QueryFixtures.rows("name ~ a or not has email", in: empty) == [])
        #expect(FilterIndex(empty).sortedByName() == [])
        #expect(FilterIndex(empty).search(text: "x") == [])
    }
}
