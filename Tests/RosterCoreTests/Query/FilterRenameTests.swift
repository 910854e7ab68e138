import Testing

@testable import RosterModel

@Suite("A saved filter follows a field to its new name")
struct FilterRenameTests {
    private func renamed(
        _ text: String, _ old: String = "city", to new: String = "town", segments: SavedSegments = .none
    ) throws -> String? {
        try FilterParser.renamingField(old, to: new, in: text, segments: segments)
    }

    @Test("every condition on the field, in any case or quoted, and nothing else: values, spaces and keywords stay")
    func conditions() throws {
        #expect(
            try renamed("city = Madrid and not has City or (\"city\" ~ 'x')  OR name = city")
                == "town = Madrid and not has town or (town ~ 'x')  OR name = city")
        #expect(try renamed("birthdate month = 5", "birthdate", to: "dob") == "dob month = 5")
        #expect(try renamed("name = city") == nil)
        #expect(try renamed("name ~ ana\n  and\tcity != Lugo") == "name ~ ana\n  and\ttown != Lugo")
    }

    @Test("a new name the language cannot read bare is quoted; what is around combining marks stays as written")
    func quoting() throws {
        #expect(try renamed("city = Oslo", to: "home town") == "\"home town\" = Oslo")
        #expect(try renamed("city = Oslo", to: "year") == "\"year\" = Oslo")
        #expect(try renamed("name = \"\u{301}x\" and city = Oslo") == "name = \"\u{301}x\" and town = Oslo")
        #expect(try renamed("city = Oslo", to: "código") == "\"código\" = Oslo")
        let rewritten = try #require(try renamed("city = Oslo and has city", to: "home \"town\""))
        let expression = try FilterParser.parse(rewritten)
        guard case .and(.comparison(let comparison), .has(let name)) = expression else {
            Issue.record("\(expression)")
            return
        }
        #expect(comparison.field.text == "home \"town\"")
        #expect(name.text == "home \"town\"")
    }

    @Test("@NAME is left to its own segment; has email, sms and push are the channels, not fields")
    func referencesAndChannels() throws {
        let segments = SavedSegments([SavedSegment(name: "north", expression: "city = Oslo")])
        #expect(try renamed("@north and city = Lugo", segments: segments) == "@north and town = Lugo")
        #expect(try renamed("@north", segments: segments) == nil)
        // A segment named that no longer reads (nested past the limit since) does not hide the text's own conditions.
        let deep = SavedSegments([
            SavedSegment(name: "deep", expression: String(repeating: "not ", count: 120) + "name = Ana")
        ])
        #expect(try renamed("city = Madrid or @deep", segments: deep) == "town = Madrid or @deep")
        #expect(try renamed("has sms and sms = 1", "sms", to: "texts") == "has sms and texts = 1")
        #expect(throws: FilterRenameError.self) { try renamed("has city", to: "push") }
        #expect(try renamed("city = Oslo", to: "push") == "push = Oslo")
        #expect(throws: FilterRenameError.self) { try renamed("birthday = today", "Birthdate", to: "dob") }
        #expect(try renamed("birthday = today", "birthdate", to: "BirthDate") == nil)
        #expect(try renamed("birthday = today and city = x") == "birthday = today and town = x")
    }
}
