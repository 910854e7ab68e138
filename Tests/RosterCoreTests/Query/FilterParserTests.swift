import RosterCore
import Testing

@testable import RosterModel

struct FilterParserTests {
    private let fields = QueryFixtures.workingSet([], fieldNames: ["name", "birthdate", "city"])

    private func message(_ query: String) -> String? {
        QueryFixtures.error(query, in: fields)?.description
    }

    @Test func aMissingValuePointsAtWhereTheValueShouldBe() {
        #expect(message("has push and x =") == "query:1:17: expected a value after '='")
        #expect(
            message("city = madrid and name = )")
                == "query:1:26: expected a value after '=', found ')'")
        #expect(
            message("birthdate >= and city = x")
                == "query:1:14: expected a value after '>=', found \"and\" (quote it to compare with that word)")
    }

    @Test func anEmptyQueryIsAnError() {
        #expect(message("") == "query:1:1: empty query: write a condition such as name ~ \"mar\" or birthday = today")
        #expect(message("   ")?.hasPrefix("query:1:1: empty query") == true)
    }

    @Test func trailingWordsAreNotSilentlyIgnored() {
        #expect(
            message("city = madrid lisbon")
                == "query:1:15: unexpected \"lisbon\" after a complete condition; join conditions with 'and' or 'or'")
    }

    @Test func unbalancedParenthesesAreReportedWhereTheyBreak() {
        #expect(
            message("(city = madrid")
                == "query:1:15: expected ')' to close the '(' at column 1, found the end of the query")
        #expect(message("city = madrid)") == "query:1:14: unmatched ')'")
        #expect(message("()") == "query:1:2: expected a condition after '(', found ')'")
        #expect(
            message("(city = madrid or (name ~ a)")
                == "query:1:29: expected ')' to close the '(' at column 1, found the end of the query")
    }

    @Test func aDanglingConnectiveNeedsACondition() {
        #expect(message("city = madrid and") == "query:1:18: expected a condition after 'and'")
        #expect(message("not") == "query:1:4: expected a condition after 'not'")
        #expect(message("city = a or or name = b") == "query:1:13: expected a condition after 'or', found \"or\"")
    }

    @Test func aFieldWithoutAnOperatorSaysWhichOperatorsExist() {
        #expect(
            message("city madrid")
                == "query:1:6: expected an operator (=, !=, <, <=, >, >=, ~) after \"city\", found \"madrid\"")
        #expect(message("= 3") == "query:1:1: expected a field name before '='")
    }

    @Test func stringsMustBeClosed() {
        #expect(message("name = \"unterminated") == "query:1:8: unterminated string: close it with \"")
        #expect(message("name = 'it") == "query:1:8: unterminated string: close it with '")
    }

    @Test func aBangAloneIsNotNegation() {
        #expect(
            message("!has email") == "query:1:1: unexpected '!'; write 'not' to negate a condition or '!=' to compare")
    }

    @Test func keywordsNeedTheirArguments() {
        #expect(message("consent fax") == "query:1:9: expected email, sms or push after 'consent', found \"fax\"")
        #expect(message("birthday tomorrow") == "query:1:10: expected 'today' after 'birthday' (birthday = today)")
        #expect(message("has") == "query:1:4: expected email, sms, push or a field name after 'has'")
        #expect(message("birthday < today") == "query:1:10: '<' does not apply to birthday; write birthday = today")
    }

    @Test func columnsCountCharactersAndLinesRestartThem() {
        #expect(message("name ~ \"José\" and nmae = x")?.hasPrefix("query:1:19: unknown field \"nmae\"") == true)
        #expect(message("city = madrid\n  and nmae = x")?.hasPrefix("query:2:7: unknown field \"nmae\"") == true)
    }

    @Test func quotedStringsTakeEscapedQuotes() throws {
        let people = [Person(name: "Say \"hi\""), Person(name: "O'Brien"), Person(name: "C:\\temp")]
        let set = QueryFixtures.workingSet(people)
        #expect(try QueryFixtures.rows(#"name = "Say \"hi\"""#, in: set) == [0])
        #expect(try QueryFixtures.rows(#"name = 'O\'Brien'"#, in: set) == [1])
        #expect(try QueryFixtures.rows("name = O'Brien", in: set) == [1])
        #expect(try QueryFixtures.rows(#"name = "C:\temp""#, in: set) == [2])
    }

    @Test func fieldNamesMayBeQuotedOrSpellAKeyword() throws {
        let set = WorkingSet(
            rowIDs: [1, 2], externalCodes: [0, 1].map { QueryFixtures.externalCode(row: $0) }, crmIds: ["1", "2"],
            emails: [nil, nil], phones: [nil, nil],
            consent: [.allEnabled, .allEnabled], deviceCounts: [0, 0],
            columns: [
                .init(name: "First Name", type: .text, values: ["Ana", "Eva"]),
                .init(name: "has", type: .number, values: ["1", "2"]),
            ])
        #expect(try QueryFixtures.rows("\"first name\" = ana", in: set) == [0])
        #expect(try QueryFixtures.rows("has = 2 or not has = 2", in: set) == [0, 1])
        #expect(try QueryFixtures.rows("has 'First Name' and has > 1", in: set) == [1])
    }

    @Test func filterKeepsItsSource() throws {
        #expect(try Filter.parse("birthday = today").source == "birthday = today")
    }

    @Test func errorsDescribeThemselvesLikeACompiler() {
        let error = FilterError(column: 17, message: "expected a value after '='")
        #expect(error.description == "query:1:17: expected a value after '='")
        #expect(error.line == 1)
    }
}
