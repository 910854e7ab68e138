/// One token of a filter query.
struct FilterToken: Equatable, Sendable {
    enum Kind: Equatable, Sendable {
        /// A bare word: a field name, a keyword, a number, a date or an unquoted value.
        case word(String)
        /// A `"..."` or `'...'` string, escapes resolved.
        case quoted(String)
        case comparison(FilterExpression.Operator)
        case openParenthesis
        case closeParenthesis
        case end
    }

    let kind: Kind
    let position: FilterPosition

    /// The token as an error message names it.
    var quotedForMessage: String {
        switch kind {
        case .word(let text): return "\"\(text)\""
        case .quoted(let text): return "\"\(text)\""
        case .comparison(let comparison): return "'\(comparison.symbol)'"
        case .openParenthesis: return "'('"
        case .closeParenthesis: return "')'"
        case .end: return "the end of the query"
        }
    }

    /// The word's text, if this token is a bare word.
    var word: String? {
        if case .word(let text) = kind { return text }
        return nil
    }

    /// Whether this token is the bare word `keyword`, compared case-insensitively.
    func isKeyword(_ keyword: String) -> Bool {
        word?.lowercased() == keyword
    }

    /// The text of a value token (bare word or quoted string).
    var valueText: String? {
        switch kind {
        case .word(let text), .quoted(let text): return text
        default: return nil
        }
    }
}
