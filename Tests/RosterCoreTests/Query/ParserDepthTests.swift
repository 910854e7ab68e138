import Testing

@testable import RosterCore
@testable import RosterModel

/// No parser of user input recurses as deep as the input asks: past a limit it gives a positioned error.
@Suite("Parsers of user input have depth limits")
struct ParserDepthTests {
    private func depth(_ expression: FilterExpression) -> Int {
        switch expression {
        case .and(let left, let right), .or(let left, let right): return 1 + max(depth(left), depth(right))
        case .not(let inner): return 1 + depth(inner)
        default: return 1
        }
    }

    @Test("100 levels of parentheses parse; the 101st '(' is an error at its column")
    func parenthesesLimit() throws {
        let fits = String(repeating: "(", count: 100) + "a = 1" + String(repeating: ")", count: 100)
        #expect(depth(try FilterParser.parse(fits)) == 1)
        let deep = String(repeating: "(", count: 20_000) + "a = 1" + String(repeating: ")", count: 20_000)
        #expect(
            throws: FilterError(
                column: 101, message: "the query nests parentheses and 'not' more than 100 levels deep; simplify it")
        ) {
            try FilterParser.parse(deep)
        }
        let nots = String(repeating: "not ", count: 20_000) + "a = 1"
        #expect(throws: FilterError.self) { try FilterParser.parse(nots) }
    }

    @Test("a chain of thousands of conditions nests only logarithmically, in the same order")
    func longChains() throws {
        let chain = (0..<10_000).map { "a = \($0)" }.joined(separator: " or ")
        let parsed = try FilterParser.parse(chain)
        #expect(depth(parsed) <= 15)
        let three = try FilterParser.parse("a = 1 and b = 2 and c = 3")
        guard case .and(.and(.comparison(let first), _), .comparison(let last)) = three else {
            Issue.record("three conditions keep their left-to-right shape: \(three)")
            return
        }
        #expect(first.field.text == "a" && last.field.text == "c")
    }

    @Test("templates are read without recursion: 20,000 nested ${ is one positioned error")
    func templateNesting() {
        let nested = String(repeating: "${", count: 20_000) + "Name" + String(repeating: "}", count: 20_000)
        #expect(throws: TemplateError.self) { try Template.parse(nested) }
        let fallbacks = "${A|" + String(repeating: "${B|", count: 20_000) + "x" + String(repeating: "}", count: 20_001)
        do {
            _ = try Template.parse(fallbacks)
            Issue.record("a placeholder inside a fallback is refused")
        } catch {
            #expect(error.line == 1 && error.column == 5)
        }
    }

    @Test("a JSON line nesting past 16 levels is refused at the byte that opens the 17th")
    func jsonDepth() {
        let fits = Array((String(repeating: "[", count: 16) + String(repeating: "]", count: 16)).utf8)
        #expect(JSONDepth.offsetPastLimit(fits) == nil)
        let deep = Array(("{\"a\":" + String(repeating: "[", count: 100_000)).utf8)
        #expect(JSONDepth.offsetPastLimit(deep) == 5 + 16, "the object is level 1; the 16th [ opens level 17")
        let quoted = Array(("{\"a\":\"" + String(repeating: "[", count: 100) + "\"}").utf8)
        #expect(JSONDepth.offsetPastLimit(quoted) == nil, "brackets inside strings do not nest")
    }
}
