/// Reads the filter language into a `FilterExpression`.
///
/// # The filter language
///
/// A filter selects customers. It is made of conditions joined with `and`, `or`, `not` and parentheses:
///
///     birthday = today
///     city = madrid and not has sms
///     name ~ "mar" or name ~ "jose"
///     (city = "New York" or city = Madrid) and birthdate < 1990-01-01
///     consent email and score >= 4.5
///
/// Conditions:
/// - `FIELD OP VALUE` with `OP` one of `=`, `!=`, `<`, `<=`, `>`, `>=` (`==` reads as `=`). `FIELD` is a customer
///   field, matched case-insensitively (`City` finds `city`), or one of `email`, `phone`, `crmId`, `externalCode`
///   (text; these names mean the customer's identifiers even if a field has the same name).
///   How values compare depends on the field's type:
///   - text: `=` and `!=` ignore case and accents (`city = MÁLAGA` finds `Malaga`); `<`, `<=`, `>`, `>=` order by
///     that same folded text, code point by code point.
///   - number: numerically (`score > 4.5`, `visits <= -1`).
///   - date: a `YYYY-MM-DD` value, in calendar order (`birthdate >= 1990-01-01`).
///   - boolean: `true` or `false`, with `=` and `!=` only.
///   A value that does not fit the field's type (`birthdate > soon`) is an error, not an empty result.
/// - `FIELD year OP NUMBER` and `FIELD month OP NUMBER`: the year (0–9999) or the month of the year (1–12) of a date
///   field, with any comparison but `~` (`birthdate year = 1990`, `birthdate month = 12` for every December
///   birthday, `birthdate year < 1980`). A birthday stored without a year (`--05-12`) is year 0. A missing date
///   satisfies none of these but `!=`, as for other comparisons.
/// - `FIELD ~ VALUE`: the text field contains `VALUE`, ignoring case and accents (`name ~ jose` finds `José`,
///   `name ~ zoe` finds `Zoë`, `name ~ strasse` finds `Straße`). Scripts without case match as written (`name ~ 山田`).
/// - `has email`, `has sms`, `has push`: the customer has an email, a phone, or at least one logged-in push device.
///   `has FIELD`: the field has a value (`has city`).
/// - `consent email`, `consent sms`, `consent push`: the channel's consent is on and the channel is present (an email,
///   a phone, a device): the customers a message on that channel may go to.
/// - `birthday = today` (or `birthday today`): the month and day of the date field `birthdate` are today's, in the
///   store's time zone. A 29 February birthday counts on 1 March in years without one, or on 28 February when the
///   store is set so. `birthday != today` is its negation.
///
/// A missing value is equal to `""` (`name = ""` finds customers without a name); every other comparison with it is
/// false except `!=`, which is true: `city != Madrid` includes customers without a city, and
/// `not city = Madrid` is the same set.
///
/// Values are bare words (`madrid`, `1990-01-01`, `-3.5`, `ana@example.com`) or quoted strings, with `"..."` or
/// `'...'`, for spaces or operator characters; a backslash escapes the quote (`"say \"hi\""`) or a backslash.
/// Keywords (`and`, `or`, `not`, `has`, `consent`, `birthday`, `today`) are case-insensitive; `not` binds tighter
/// than `and`, which binds tighter than `or`. A field named like a keyword is still usable: `has = 1` compares the
/// field `has`, and a quoted name (`"first name" = Ana`) allows spaces.
///
/// `@NAME` stands for the saved segment of that name (ignoring case), wherever a condition may stand:
/// `@birthdays and has sms`, `not @lapsed`. Its expression is read in its place, and may itself name segments; one
/// that comes back to itself is an error, as is an unknown name. `@` inside a value (`email ~ @example.com`) is text.
///
/// Errors name the position of the offending token: `query:1:17: expected a value after '='`,
/// `query:1:1: unknown field "nmae" (fields: birthdate, city, name)`.
package struct FilterParser {
    /// How deep parentheses and `not` may nest. The parser and the evaluator recurse once per level, so a query
    /// of 20,000 `(` must be refused by count before it can exhaust a thread's stack.
    static let maximumDepth = 100

    /// How many `@NAME` one query may expand, counting those inside segments: a few segments that each name another
    /// twice would otherwise expand to millions of conditions.
    static let maximumSegmentExpansions = 1000

    private let tokens: [FilterToken]
    private var index = 0
    private var depth = 0
    private let segments: SavedSegments
    /// The segments whose expressions are being read, outermost first: naming one of them again is a cycle.
    private let expanding: [String]
    private let expansions: ExpansionCount

    /// Shared by a query and the segments it expands.
    private final class ExpansionCount {
        var count = 0
    }

    private init(
        tokens: [FilterToken], segments: SavedSegments, expanding: [String], depth: Int, expansions: ExpansionCount
    ) {
        self.tokens = tokens
        self.segments = segments
        self.expanding = expanding
        self.depth = depth
        self.expansions = expansions
    }

    /// The expression `text` reads as, with `@NAME` read from `segments`.
    static func parse(_ text: String, segments: SavedSegments = .none) throws(FilterError) -> FilterExpression {
        try parse(text, segments: segments, expanding: [], depth: 0, expansions: ExpansionCount())
    }

    private static func parse(
        _ text: String, segments: SavedSegments, expanding: [String], depth: Int, expansions: ExpansionCount
    ) throws(FilterError) -> FilterExpression {
        var parser = FilterParser(
            tokens: try FilterLexer.tokens(text), segments: segments, expanding: expanding, depth: depth,
            expansions: expansions)
        if parser.current.kind == .end {
            throw FilterError(
                column: 1, message: "empty query: write a condition such as name ~ \"mar\" or birthday = today")
        }
        let expression = try parser.parseOr(after: nil)
        switch parser.current.kind {
        case .end:
            return expression
        case .closeParenthesis:
            throw FilterError("unmatched ')'", at: parser.current.position)
        default:
            throw FilterError(
                "unexpected \(parser.current.quotedForMessage) after a complete condition; join conditions with 'and' "
                    + "or 'or'", at: parser.current.position)
        }
    }

    private var current: FilterToken { tokens[index] }

    private func peek(_ offset: Int = 1) -> FilterToken {
        tokens[min(index + offset, tokens.count - 1)]
    }

    private mutating func advance() {
        if index < tokens.count - 1 { index += 1 }
    }

    private mutating func parseOr(after previous: String?) throws(FilterError) -> FilterExpression {
        var operands = [try parseAnd(after: previous)]
        while current.isKeyword("or"), !currentIsFieldName {
            advance()
            operands.append(try parseAnd(after: "or"))
        }
        return Self.balanced(operands[...], FilterExpression.or)
    }

    private mutating func parseAnd(after previous: String?) throws(FilterError) -> FilterExpression {
        var operands = [try parseNot(after: previous)]
        while current.isKeyword("and"), !currentIsFieldName {
            advance()
            operands.append(try parseNot(after: "and"))
        }
        return Self.balanced(operands[...], FilterExpression.and)
    }

    /// `a or b or c …` as a balanced tree: the same set (and/or are associative), in the same left-to-right order,
    /// but a query of thousands of conditions nests only as deep as their logarithm.
    private static func balanced(
        _ operands: ArraySlice<FilterExpression>, _ join: (FilterExpression, FilterExpression) -> FilterExpression
    ) -> FilterExpression {
        if operands.count == 1 { return operands.first! }
        if operands.count == 2 { return join(operands.first!, operands.last!) }
        let middle = operands.startIndex + (operands.count + 1) / 2
        return join(balanced(operands[..<middle], join), balanced(operands[middle...], join))
    }

    /// Enters one level of `(` or `not`, refusing the level past `maximumDepth` at the token that opens it.
    private mutating func nest(at position: FilterPosition) throws(FilterError) {
        depth += 1
        guard depth <= Self.maximumDepth else {
            throw FilterError(
                "the query nests parentheses and 'not' more than \(Self.maximumDepth) levels deep; simplify it",
                at: position)
        }
    }

    private mutating func parseNot(after previous: String?) throws(FilterError) -> FilterExpression {
        if current.isKeyword("not"), !currentIsFieldName {
            try nest(at: current.position)
            defer { depth -= 1 }
            advance()
            return .not(try parseNot(after: "not"))
        }
        return try parsePrimary(after: previous)
    }

    /// A word or string followed by an operator is a field name, whatever it spells.
    private var currentIsFieldName: Bool {
        guard current.valueText != nil, case .comparison = peek().kind else { return false }
        return true
    }

    private mutating func parsePrimary(after previous: String?) throws(FilterError) -> FilterExpression {
        let token = current
        let context = previous.map { " after '\($0)'" } ?? ""
        switch token.kind {
        case .end:
            throw FilterError("expected a condition\(context)", at: token.position)
        case .closeParenthesis:
            throw FilterError("expected a condition\(context), found ')'", at: token.position)
        case .comparison(let comparison):
            throw FilterError("expected a field name before '\(comparison.symbol)'", at: token.position)
        case .openParenthesis:
            try nest(at: token.position)
            defer { depth -= 1 }
            advance()
            let inner = try parseOr(after: "(")
            guard current.kind == .closeParenthesis else {
                let found = current.quotedForMessage
                throw FilterError(
                    "expected ')' to close the '(' at column \(token.position.column), found \(found)",
                    at: current.position)
            }
            advance()
            return inner
        case .word(let word):
            if currentIsFieldName { return try parseComparison() }
            if let part = datePartAhead { return try parseDatePart(part) }
            if word.hasPrefix("@") { return try parseSegmentReference(token, name: String(word.dropFirst())) }
            return try parseKeyword(token, context: context)
        case .quoted:
            if currentIsFieldName { return try parseComparison() }
            if let part = datePartAhead { return try parseDatePart(part) }
            return try parseKeyword(token, context: context)
        }
    }

    /// `@NAME`: the saved segment's expression, read in place; an error inside it is reported at the `@`.
    private mutating func parseSegmentReference(_ token: FilterToken, name: String) throws(FilterError)
        -> FilterExpression
    {
        guard !name.isEmpty else {
            throw FilterError("expected a segment name after '@' (\(segments.listForMessage))", at: token.position)
        }
        guard let segment = segments.segment(named: name) else {
            throw FilterError("unknown segment @\(name) (\(segments.listForMessage))", at: token.position)
        }
        if let start = expanding.firstIndex(where: { SavedSegment.key($0) == SavedSegment.key(segment.name) }) {
            let cycle = (expanding[start...] + [segment.name]).map { "@" + $0 }.joined(separator: " → ")
            throw FilterError(
                "segment @\(segment.name) refers to itself (\(cycle)); change one of them", at: token.position)
        }
        expansions.count += 1
        guard expansions.count <= Self.maximumSegmentExpansions else {
            throw FilterError(
                "the query expands more than \(Self.maximumSegmentExpansions) segment names; simplify its segments",
                at: token.position)
        }
        try nest(at: token.position)
        defer { depth -= 1 }
        advance()
        let expression: FilterExpression
        do {
            expression = try Self.parse(
                segment.expression, segments: segments, expanding: expanding + [segment.name], depth: depth,
                expansions: expansions)
        } catch {
            throw FilterExpression.SegmentReference.error(error, in: segment.name, at: token.position)
        }
        return .segment(.init(name: segment.name, position: token.position, expression: expression))
    }

    /// The segment names (lower-cased) a query refers to directly, as `@NAME` where a condition stands.
    package static func references(in text: String) -> Set<String> {
        guard let tokens = try? FilterLexer.tokens(text) else { return [] }
        var names: Set<String> = []
        for (offset, token) in tokens.enumerated() {
            guard let word = token.word, word.count > 1, word.hasPrefix("@") else { continue }
            if offset > 0, case .comparison = tokens[offset - 1].kind { continue }
            if offset + 1 < tokens.count, case .comparison = tokens[offset + 1].kind { continue }
            names.insert(SavedSegment.key(String(word.dropFirst())))
        }
        return names
    }

    private mutating func parseKeyword(_ token: FilterToken, context: String) throws(FilterError) -> FilterExpression {
        switch token.word?.lowercased() {
        case "has":
            advance()
            guard let name = current.valueText else {
                throw FilterError("expected email, sms, push or a field name after 'has'", at: current.position)
            }
            let field = FilterExpression.Name(text: name, position: current.position)
            advance()
            return .has(field)
        case "consent":
            advance()
            guard let name = current.word, let channel = Channel(rawValue: name.lowercased()) else {
                let found = current.kind == .end ? "" : ", found \(current.quotedForMessage)"
                throw FilterError("expected email, sms or push after 'consent'\(found)", at: current.position)
            }
            advance()
            return .consent(channel)
        case "birthday":
            advance()
            guard current.isKeyword("today") else {
                throw FilterError("expected 'today' after 'birthday' (birthday = today)", at: current.position)
            }
            advance()
            return .birthdayToday(token.position)
        case "and", "or":
            throw FilterError("expected a condition\(context), found \(token.quotedForMessage)", at: token.position)
        default:
            let next = peek()
            let found = next.kind == .end ? "" : ", found \(next.quotedForMessage)"
            throw FilterError(
                "expected an operator (=, !=, <, <=, >, >=, ~) after \(token.quotedForMessage)\(found)",
                at: next.position)
        }
    }

    /// `FIELD year OP` or `FIELD month OP` ahead (a keyword as FIELD only when quoted), and which part.
    private var datePartAhead: FilterExpression.DatePart? {
        guard let part = peek().word.flatMap({ FilterExpression.DatePart(rawValue: $0.lowercased()) }),
            case .comparison = peek(2).kind
        else { return nil }
        if let word = current.word, ["has", "consent", "birthday", "not"].contains(word.lowercased()) { return nil }
        return part
    }

    /// `FIELD year OP NUMBER` or `FIELD month OP NUMBER`: the number is checked when the filter runs, with the field.
    private mutating func parseDatePart(_ part: FilterExpression.DatePart) throws(FilterError) -> FilterExpression {
        let field = FilterExpression.Name(text: current.valueText!, position: current.position)
        advance()
        advance()
        guard case .comparison(let comparison) = current.kind else { preconditionFailure("checked by datePartAhead") }
        let operatorPosition = current.position
        advance()
        let valueToken = current
        guard let value = valueToken.valueText else {
            let found = valueToken.kind == .end ? "" : ", found \(valueToken.quotedForMessage)"
            throw FilterError(
                "expected a \(part.rawValue) after '\(comparison.symbol)'\(found)", at: valueToken.position)
        }
        advance()
        return .comparison(
            .init(
                field: field, comparison: comparison, operatorPosition: operatorPosition,
                value: FilterExpression.Name(text: value, position: valueToken.position), datePart: part))
    }

    private mutating func parseComparison() throws(FilterError) -> FilterExpression {
        let fieldToken = current
        let field = FilterExpression.Name(text: fieldToken.valueText!, position: fieldToken.position)
        advance()
        guard case .comparison(let comparison) = current.kind else {
            preconditionFailure("checked by currentIsFieldName")
        }
        let operatorPosition = current.position
        advance()
        let valueToken = current
        guard let value = valueToken.valueText, !valueToken.isKeyword("and"), !valueToken.isKeyword("or") else {
            let found =
                switch valueToken.kind {
                case .end: ""
                case .word: ", found \(valueToken.quotedForMessage) (quote it to compare with that word)"
                default: ", found \(valueToken.quotedForMessage)"
                }
            throw FilterError("expected a value after '\(comparison.symbol)'\(found)", at: valueToken.position)
        }
        advance()
        if case .word(let name) = fieldToken.kind, name.lowercased() == "birthday", value.lowercased() == "today" {
            switch comparison {
            case .equal: return .birthdayToday(fieldToken.position)
            case .notEqual: return .not(.birthdayToday(fieldToken.position))
            default:
                throw FilterError(
                    "'\(comparison.symbol)' does not apply to birthday; write birthday = today", at: operatorPosition)
            }
        }
        return .comparison(
            .init(
                field: field, comparison: comparison, operatorPosition: operatorPosition,
                value: FilterExpression.Name(text: value, position: valueToken.position)))
    }
}
