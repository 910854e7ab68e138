import Testing

@testable import RosterCore
@testable import RosterModel

@Suite("Planning import rows")
struct RowPlannerTests {
    func planner(_ header: [String], kind: ImportKind = .contacts) throws -> RowPlanner {
        RowPlanner(kind: kind, map: try ColumnMap(header: header, kind: kind), storeFieldTypes: [:])
    }

    @Test("a wide file's fields come out in key order, a repeated key in column order, with their bits set")
    func fieldsInKeyOrder() throws {
        let planner = try planner(["customerId", "name", "City", "birthdate", "city", "score"])
        #expect(planner.fieldKeys == ["birthdate", "city", "name", "score"])
        var plan = RowPlan(line: 0)
        let problem = planner.plan(["CRM-1", "Ana", "Madrid", "1990-01-01", "Sevilla", ""], line: 2, into: &plan)
        #expect(problem == nil)
        #expect(plan.fields.map(\.key) == ["birthdate", "city", "city", "name"])
        #expect(plan.fields.map(\.value) == ["1990-01-01", "Madrid", "Sevilla", "Ana"])
        // birthdate, city and name: bits 0, 1 and 2; score (empty) is not set.
        #expect(plan.fieldMask == 0b0111)
    }

    @Test("a plan reused for the next row keeps nothing of the previous one")
    func reusedPlan() throws {
        let planner = try planner(["customerId", "email", "countryCode", "phone", "name", "city"])
        var plan = RowPlan(line: 0)
        let first = ["CRM-1", "Ana@Example.com", "34", "600000001", "Ana", "Vigo"]
        #expect(planner.plan(first, line: 2, into: &plan) == nil)
        #expect(plan.email == "ana@example.com")
        #expect(plan.phone == "+34600000001")
        #expect(plan.fields.count == 2)
        #expect(planner.plan(["CRM-2", "", "", "", "Bea", ""], line: 3, into: &plan) == nil)
        guard case .success(let fresh) = planner.plan(["CRM-2", "", "", "", "Bea", ""], line: 3) else {
            Issue.record("the row should be planned")
            return
        }
        #expect(plan.line == 3)
        #expect(plan.identity == "CRM-2")
        #expect(plan.email == nil && fresh.email == nil)
        #expect(plan.phone == nil && fresh.phone == nil)
        #expect(plan.fields == fresh.fields)
        #expect(plan.fields.map(\.key) == ["name"])
        #expect(plan.fieldMask == fresh.fieldMask)
        // A rejected row reports why, whatever the plan held.
        let rejection = planner.plan(["CRM-3", "jane.doe@", "", "", "", ""], line: 4, into: &plan)
        #expect(rejection?.reason.contains("\"jane.doe@\" is not an email address") == true)
    }

    @Test("a type learned from an earlier row holds for the rows planned after it")
    func learnedTypes() throws {
        var planner = try planner(["customerId", "birthdate", "score"])
        planner.learnTypes(from: ["CRM-1", "1990-01-01", ""])
        planner.learnTypes(from: ["CRM-2", "", "12"])
        var plan = RowPlan(line: 0)
        #expect(planner.plan(["CRM-3", "1991-02-02", "7"], line: 4, into: &plan) == nil)
        #expect(plan.fields.map(\.type) == [.date, .number])
        let rejection = planner.plan(["CRM-4", "1992-03-03", "many"], line: 5, into: &plan)
        #expect(rejection?.reason.contains("\"many\" is not") == true)
        #expect(rejection?.reason.contains("the type of field score") == true)
        let date = planner.plan(["CRM-5", "soon", ""], line: 6, into: &plan)
        #expect(date?.reason.contains("the type of field birthdate") == true)
    }

    @Test("of two columns named alike but for case, the first with a value types the field; the next column too")
    func learnedTypesWithCaseTwins() throws {
        var planner = try planner(["customerId", "Age", "age", "City", "since"])
        planner.learnTypes(from: ["CRM-1", "", "5", "3", ""])
        #expect(planner.fieldTypes["age"]?.type == .number)
        #expect(planner.fieldTypes["city"]?.type == .number)
        #expect(planner.fieldTypes["since"] == nil)
        planner.learnTypes(from: ["CRM-2", "x", "", "Paris", "2020-01-01"])
        #expect(planner.fieldTypes["age"]?.type == .number)
        #expect(planner.fieldTypes["city"]?.type == .number)
        #expect(planner.fieldTypes["since"]?.type == .date)
        var plan = RowPlan(line: 0)
        #expect(planner.plan(["CRM-3", "", "", "Paris", ""], line: 4, into: &plan)?.reason.contains("City") == true)
    }
}
