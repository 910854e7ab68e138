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
        var positions: [FilterPosition] = []
        for use in fieldUses(in: try parseOwnText(text, segments: segments)) {
            switch use {
            case .compared(let name):
                if name.text.lowercased() == oldKey { positions.append(name.position) }
            case .tested(let name):
                guard name.text.lowercased() == oldKey else { continue }
                if FilterText.channelNames.contains(newKey) {
                    throw FilterRenameError(message: "has \(newName) would test the \(newKey) channel, not the field")
                }
                positions.append(name.position)
            case .birthdayToday:
                // It reads the field by this name, and the language cannot name another one for it.
                if oldKey == "birthdate", newKey != oldKey {
                    throw FilterRenameError(message: "birthday = today reads the field named birthdate")
                }
            }
        }
        guard !positions.isEmpty else { return nil }
        var (characters, tokens) = try FilterLexer.spans(text)
        let replacement = Array(FilterText.fieldName(newName))
        let ranges = tokens.filter { token in positions.contains(token.token.position) }.map(\.range)
        for range in ranges.reversed() { characters.replaceSubrange(range, with: replacement) }
        return String(characters)
    }

    /// Throws, at its position, the first field `filter`'s own conditions name that `isKnown` (given it lower-cased)
    /// does not know: what must exist for it to run. `@NAME` is left to its segment.
    package static func checkFieldNames(in filter: Filter, isKnown: (String) -> Bool) throws(FilterError) {
        for use in fieldUses(in: filter.expression) {
            let name: FilterExpression.Name =
                switch use {
                case .compared(let name), .tested(let name): name
                case .birthdayToday(let position): .init(text: "birthdate", position: position)
                }
            if !isKnown(name.text.lowercased()) {
                throw FilterError(
                    "unknown field \"\(name.text)\": it was renamed or removed while the segment was checked",
                    at: name.position)
            }
        }
    }

    /// A condition of a filter's own text that reads a field by name.
    private enum FieldUse {
        /// `FIELD OP VALUE`, date parts included.
        case compared(FilterExpression.Name)
        /// `has FIELD`.
        case tested(FilterExpression.Name)
        /// `birthday = today`, which reads the field named birthdate.
        case birthdayToday(FilterPosition)
    }

    /// The conditions of `expression`, not of the segments it names, that read a field: identifiers
    /// (`FIELD = …`) and channels (`has …`) are not fields, whatever fields there are.
    private static func fieldUses(in expression: FilterExpression) -> [FieldUse] {
        switch expression {
        case .comparison(let comparison):
            FilterText.identifierNames.contains(comparison.field.text.lowercased()) ? [] : [.compared(comparison.field)]
        case .has(let name): FilterText.channelNames.contains(name.text.lowercased()) ? [] : [.tested(name)]
        case .birthdayToday(let position): [.birthdayToday(position)]
        case .not(let inner): fieldUses(in: inner)
        case .and(let left, let right), .or(let left, let right): fieldUses(in: left) + fieldUses(in: right)
        case .consent, .segment: []
        }
    }

    /// `text` parsed with every `@NAME` of `segments` standing for a plain condition: only the text's own conditions
    /// matter here, and a segment it names that no longer reads (nested too deep since) must not hide them.
    private static func parseOwnText(_ text: String, segments: SavedSegments) throws(FilterError) -> FilterExpression {
        try parse(
            text, segments: SavedSegments(segments.all.map { SavedSegment(name: $0.name, expression: "has email") }))
    }
}
