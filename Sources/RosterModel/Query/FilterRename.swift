/// Why a saved filter cannot follow a field to its new name.
package struct FilterRenameError: Error, Equatable, Sendable {
    package let message: String
}

extension FilterParser {
    /// `text` with every condition on the field `oldName` (compared ignoring case) naming `newName` instead, for
    /// `roster field rename` to keep saved segments working; nil when no condition of `text` names that field.
    /// Everything else (spaces, values, keywords as written) stays as it was; `@NAME` is left alone, since each saved
    /// segment is rewritten on its own. `segments` are those `text` may name. Throws the parse error of a `text` that
    /// does not parse, and `FilterRenameError` when the new name would change what a condition means (`has sms`
    /// tests the channel, not a field named sms; `birthday = today` reads the field named birthdate).
    package static func renamingField(
        _ oldName: String, to newName: String, in text: String, segments: SavedSegments
    ) throws -> String? {
        let oldKey = oldName.lowercased()
        let newKey = newName.lowercased()
        guard !FilterText.identifierNames.contains(oldKey) else { return nil }
        let expression = try parseOwnText(text, segments: segments)
        var positions: [FilterPosition] = []
        func collect(_ expression: FilterExpression) throws {
            switch expression {
            case .comparison(let comparison):
                if comparison.field.text.lowercased() == oldKey { positions.append(comparison.field.position) }
            case .has(let name):
                // `has email`, `has sms`, `has push` (and `has phone`, `has crmId`…) are not fields, whatever fields
                // there are.
                guard name.text.lowercased() == oldKey, !FilterText.channelNames.contains(oldKey) else { return }
                if FilterText.channelNames.contains(newKey) {
                    throw FilterRenameError(message: "has \(newName) would test the \(newKey) channel, not the field")
                }
                positions.append(name.position)
            case .not(let inner): try collect(inner)
            case .and(let left, let right), .or(let left, let right):
                try collect(left)
                try collect(right)
            case .birthdayToday:
                // It reads the field by this name, and the language cannot name another one for it.
                if oldKey == "birthdate", newKey != oldKey {
                    throw FilterRenameError(message: "birthday = today reads the field named birthdate")
                }
            case .consent, .segment: break
            }
        }
        try collect(expression)
        guard !positions.isEmpty else { return nil }
        var (characters, tokens) = try FilterLexer.spans(text)
        let replacement = Array(FilterText.fieldName(newName))
        let ranges = tokens.filter { token in positions.contains(token.token.position) }.map(\.range)
        for range in ranges.reversed() { characters.replaceSubrange(range, with: replacement) }
        return String(characters)
    }

    /// `text` parsed with every `@NAME` of `segments` standing for a plain condition: only the text's own conditions
    /// matter here, and a segment it names that no longer reads (nested too deep since) must not hide them.
    private static func parseOwnText(_ text: String, segments: SavedSegments) throws(FilterError) -> FilterExpression {
        try parse(
            text, segments: SavedSegments(segments.all.map { SavedSegment(name: $0.name, expression: "has email") }))
    }

    /// Throws, at its position, the first field `text`'s own conditions name that `isKnown` (given it lower-cased)
    /// does not know: what must exist for the text to run. `birthday = today` names `birthdate`; identifiers and
    /// channels are not fields; `@NAME` is left to its segment.
    package static func checkFieldNames(
        in text: String, segments: SavedSegments, isKnown: (String) -> Bool
    ) throws(FilterError) {
        var names: [FilterExpression.Name] = []
        func collect(_ expression: FilterExpression) {
            switch expression {
            case .comparison(let comparison):
                if !FilterText.identifierNames.contains(comparison.field.text.lowercased()) {
                    names.append(comparison.field)
                }
            case .has(let name):
                if !FilterText.channelNames.contains(name.text.lowercased()) { names.append(name) }
            case .birthdayToday(let position): names.append(.init(text: "birthdate", position: position))
            case .not(let inner): collect(inner)
            case .and(let left, let right), .or(let left, let right):
                collect(left)
                collect(right)
            case .consent, .segment: break
            }
        }
        collect(try parseOwnText(text, segments: segments))
        for name in names where !isKnown(name.text.lowercased()) {
            throw FilterError(
                "unknown field \"\(name.text)\": it was renamed or removed while the segment was checked",
                at: name.position)
        }
    }
}
