import Foundation
import Testing

@testable import RosterCore
@testable import RosterModel

@Suite("@NAME in filters: saved segments read in place")
struct SegmentReferenceTests {
    let people = QueryFixtures.workingSet([
        Person(name: "Ana", city: "Madrid", score: "5", phone: "+34600000001"),
        Person(name: "Bea", city: "Madrid", score: "1"),
        Person(name: "Carla", city: "Lugo", score: "7", phone: "+34600000003"),
        Person(name: "Dani", city: "Lugo", score: "2"),
    ])

    let segments = SavedSegments([
        SavedSegment(name: "Madrid", expression: "city = madrid"),
        SavedSegment(name: "high", expression: "score >= 5"),
        SavedSegment(name: "madrid-high", expression: "@madrid and @HIGH"),
        SavedSegment(name: "typo", expression: "cty = lugo"),
        SavedSegment(name: "loop-a", expression: "@loop-b or city = lugo"),
        SavedSegment(name: "loop-b", expression: "has sms and @loop-a"),
        SavedSegment(name: "self", expression: "not @self"),
    ])

    private func rows(_ query: String) throws -> [Int32] {
        var context = try FilterContext.fixed("2026-03-15")
        context.segments = segments
        return try FilterIndex(people).evaluate(Filter.parse(query, segments: context.segments), context: context)
    }

    private func error(_ query: String) -> FilterError? {
        do {
            _ = try rows(query)
            return nil
        } catch let error as FilterError {
            return error
        } catch {
            return FilterError(column: 0, message: "\(error)")
        }
    }

    @Test("a segment selects what its expression selects, inside and, or, not and parentheses, names ignoring case")
    func expands() throws {
        #expect(try rows("@madrid") == [0, 1])
        #expect(try rows("@MADRID and has sms") == [0])
        #expect(try rows("not @Madrid") == [2, 3])
        #expect(try rows("(@high or name = dani) and not @madrid") == [2, 3])
        #expect(try rows("@madrid-high") == [0])
        #expect(try rows("@madrid or @madrid or @madrid") == [0, 1])
    }

    @Test("'@' inside a value is text, not a segment")
    func atInValues() throws {
        let set = QueryFixtures.workingSet([Person(email: "ana@example.com"), Person(email: "bea@other.org")])
        #expect(
            try FilterIndex(set).evaluate(Filter.parse("email ~ @example.com"), context: .fixed("2026-03-15")) == [0])
        #expect(FilterParser.references(in: "email ~ @example.com") == [])
        #expect(FilterParser.references(in: "@A and (not @b) or @a") == ["a", "b"])
    }

    @Test("an unknown segment is an error at its '@', listing the saved ones")
    func unknown() {
        let error = error("has sms and @nope")
        #expect(error?.column == 13)
        #expect(error?.message.hasPrefix("unknown segment @nope (saved: @high, @loop-a, @loop-b, @Madrid") == true)
        let none = #expect(throws: FilterError.self) { try Filter.parse("@birthdays") }
        #expect(none?.message.contains("no segment is saved; save one with: roster segment save NAME EXPR") == true)
        #expect(self.error("@ and has sms")?.message.hasPrefix("expected a segment name after '@'") == true)
    }

    @Test("an error inside a segment is reported at the '@' of the query, saying where in the segment it is")
    func errorsInside() {
        let error = error("has sms or @typo")
        #expect(error?.column == 12)
        #expect(error?.message.hasPrefix("in @typo, at 1:1 of its filter: unknown field \"cty\"") == true)
    }

    @Test("a segment that comes back to itself is an error naming the cycle, not a hang")
    func cycles() {
        let direct = error("@self")
        #expect(direct?.column == 1)
        #expect(
            direct?.message == "in @self, at 1:5 of its filter: segment @self refers to itself (@self → @self); "
                + "change one of them")
        let indirect = error("city = lugo and @loop-a")
        #expect(indirect?.column == 17)
        #expect(indirect?.message.contains("(@loop-a → @loop-b → @loop-a)") == true)
    }

    @Test("segments that double at every level stop at the expansion limit")
    func expansionLimit() {
        var chain = [SavedSegment(name: "s0", expression: "city = lugo")]
        for level in 1...20 {
            chain.append(SavedSegment(name: "s\(level)", expression: "@s\(level - 1) or @s\(level - 1)"))
        }
        let error = #expect(throws: FilterError.self) { try Filter.parse("@s20", segments: SavedSegments(chain)) }
        #expect(error?.message.contains("expands more than 1000 segment names") == true)
        #expect(throws: Never.self) { try Filter.parse("@s8", segments: SavedSegments(chain)) }
    }
}
