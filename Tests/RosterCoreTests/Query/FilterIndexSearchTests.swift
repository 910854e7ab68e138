import RosterCore
import Testing

@testable import RosterModel

struct FilterIndexSearchTests {
    let index = FilterIndex(QueryFixtures.workingSet(FilterEvaluatorTests.people))

    @Test func searchFindsFoldedTextInAnyTextField() {
        #expect(index.search(text: "jose") == [0])
        #expect(index.search(text: "MÜNCHEN") == [2])
        #expect(index.search(text: "  STRAUSS ") == [2])
        #expect(index.search(text: "山田") == [3])
        #expect(index.search(text: "madrid") == [0, 5])
    }

    @Test func searchFindsIdentifiers() {
        #expect(index.search(text: "EXAMPLE.JP") == [3])
        #expect(index.search(text: "crm-2") == [1])
        #expect(index.search(text: "+49170") == [2])
    }

    @Test func searchFindsPhonesTypedWithSeparators() {
        #expect(index.search(text: "600 111 222") == [0])
        #expect(index.search(text: "(06) 1234-5678") == [5])
    }

    @Test func searchFindsExternalCodesByPrefix() {
        let code = QueryFixtures.externalCode(row: 6)
        #expect(index.search(text: String(code.prefix(8))) == [6])
        #expect(index.search(text: code.uppercased()) == [6])
        #expect(index.search(text: String(code.prefix(20))) == [6])
        #expect(index.search(text: "00000") == [], "too short to be taken for a code")
    }

    @Test func anEmptySearchFindsEveryone() {
        #expect(index.search(text: "") == [0, 1, 2, 3, 4, 5, 6])
        #expect(index.search(text: "   ") == [0, 1, 2, 3, 4, 5, 6])
    }

    @Test func sortsByFoldedNameWithMissingNamesLast() {
        #expect(index.sortedByName() == [6, 2, 0, 5, 1, 3, 4])
        #expect(index.sortedByName(ascending: false) == [3, 1, 5, 0, 2, 6, 4])
    }

    @Test func equalNamesSortByRowID() {
        let people = ["Zoë", "zoe", "ZOE", "Ana", "Zoe"].map { Person(name: $0) }
        let index = FilterIndex(QueryFixtures.workingSet(people))
        #expect(index.sortedByName() == [3, 0, 1, 2, 4])
        #expect(index.sortedByName(ascending: false) == [0, 1, 2, 4, 3])
    }

    @Test func tiesFollowRowIDsEvenOutOfOrder() {
        let set = WorkingSet(
            rowIDs: [5, 3, 9], externalCodes: [0, 1, 2].map { QueryFixtures.externalCode(row: $0) },
            crmIds: ["1", "2", "3"], emails: [nil, nil, nil],
            phones: [nil, nil, nil], consent: Array(repeating: .allEnabled, count: 3), deviceCounts: [0, 0, 0],
            columns: [.init(name: "name", type: .text, values: ["Eva", "eva", "ÉVA"])])
        #expect(FilterIndex(set).sortedByName() == [1, 0, 2])
    }

    @Test func namesSharingLongPrefixesSortByTheirWholeText() {
        let names = [
            "María Fernanda López Zamora", "Maria Fernanda Lopez Abad", "MARIA FERNANDA LOPEZ", "María Fernanda",
            "Maria Fernanda Lopez Abad",
        ]
        let index = FilterIndex(QueryFixtures.workingSet(names.map { Person(name: $0) }))
        #expect(index.sortedByName() == [3, 2, 1, 4, 0])
        #expect(index.sortedByName(ascending: false) == [0, 1, 4, 2, 3])
    }

    @Test func withoutANameFieldRowsKeepTheirOrder() {
        let index = FilterIndex(QueryFixtures.workingSet([Person(city: "b"), Person(city: "a")], fieldNames: ["city"]))
        #expect(index.sortedByName() == [0, 1])
    }
}
