/// Splits a filter query into tokens.
///
/// Anything that is not a space, a parenthesis, a quote or an operator character belongs to a bare word, so dates
/// (`2026-03-15`), numbers (`-3.5`), emails and phones need no quotes; `'` inside a word is kept (`O'Brien`).
struct FilterLexer {
    private let characters: [Character]
    private var index = 0
    private var line = 1
    private var lineStart = 0

    init(_ text: String) {
        characters = FilterLexer.characters(of: text)
    }

    /// The characters of `text`, with quotes and backslashes always on their own: a combining mark after a quote
    /// (`"\u{301}…`) or a prepended mark before one would otherwise join it into one character that is no quote,
    /// and a quoted value starting with an accent could not be written.
    private static func characters(of text: String) -> [Character] {
        var result: [Character] = []
        result.reserveCapacity(text.utf8.count)
        for character in text {
            let scalars = character.unicodeScalars
            guard scalars.count > 1, scalars.contains(where: { $0 == "\"" || $0 == "'" || $0 == "\\" }) else {
                result.append(character)
                continue
            }
            var run = String.UnicodeScalarView()
            for scalar in scalars {
                if scalar == "\"" || scalar == "'" || scalar == "\\" {
                    if !run.isEmpty { result += String(run).map { $0 } }
                    run = String.UnicodeScalarView()
                    result.append(Character(scalar))
                } else {
                    run.append(scalar)
                }
            }
            if !run.isEmpty { result += String(run).map { $0 } }
        }
        return result
    }

    /// The tokens of `text`, ending with `.end`.
    static func tokens(_ text: String) throws(FilterError) -> [FilterToken] {
        var lexer = FilterLexer(text)
        var tokens: [FilterToken] = []
        while true {
            let token = try lexer.next()
            tokens.append(token)
            if token.kind == .end { return tokens }
        }
    }

    /// The characters of `text` as the lexer reads them, and each token with the range of those characters it was
    /// read from (quotes included, spaces around it not): what a rewrite of a query replaces.
    static func spans(_ text: String) throws(FilterError) -> (
        characters: [Character], tokens: [(token: FilterToken, range: Range<Int>)]
    ) {
        var lexer = FilterLexer(text)
        var tokens: [(token: FilterToken, range: Range<Int>)] = []
        while true {
            lexer.skipSpaces()
            let start = lexer.index
            let token = try lexer.next()
            tokens.append((token, start..<lexer.index))
            if token.kind == .end { return (lexer.characters, tokens) }
        }
    }

    private var position: FilterPosition {
        FilterPosition(line: line, column: index - lineStart + 1)
    }

    private mutating func next() throws(FilterError) -> FilterToken {
        skipSpaces()
        let start = position
        guard index < characters.count else { return FilterToken(kind: .end, position: start) }
        let character = characters[index]
        switch character {
        case "(":
            index += 1
            return FilterToken(kind: .openParenthesis, position: start)
        case ")":
            index += 1
            return FilterToken(kind: .closeParenthesis, position: start)
        case "\"", "'":
            return FilterToken(kind: .quoted(try quoted(by: character, startingAt: start)), position: start)
        case "=", "<", ">", "~", "!":
            return FilterToken(kind: .comparison(try comparison(at: start)), position: start)
        default:
            return FilterToken(kind: .word(word()), position: start)
        }
    }

    private mutating func skipSpaces() {
        while index < characters.count, characters[index].isWhitespace {
            if characters[index].isNewline {
                line += 1
                lineStart = index + 1
            }
            index += 1
        }
    }

    private func peek(_ offset: Int = 0) -> Character? {
        index + offset < characters.count ? characters[index + offset] : nil
    }

    private mutating func comparison(at start: FilterPosition) throws(FilterError) -> FilterExpression.Operator {
        let first = characters[index]
        let followedByEquals = peek(1) == "="
        index += followedByEquals ? 2 : 1
        switch (first, followedByEquals) {
        case ("=", _): return .equal
        case ("!", true): return .notEqual
        case ("<", false): return .less
        case ("<", true): return .lessOrEqual
        case (">", false): return .greater
        case (">", true): return .greaterOrEqual
        case ("~", false): return .contains
        case ("~", true): throw FilterError("unexpected '~='; write '~' for contains", at: start)
        default: throw FilterError("unexpected '!'; write 'not' to negate a condition or '!=' to compare", at: start)
        }
    }

    private mutating func word() -> String {
        var text = ""
        while let character = peek(), !character.isWhitespace, !"()\"=<>~".contains(character) {
            if character == "!", peek(1) == "=" { break }
            text.append(character)
            index += 1
        }
        return text
    }

    // A backslash escapes the next character, so `\"` and `\\` read as `"` and `\`; before any other character it is
    // kept, so a Windows path needs no doubling.
    private mutating func quoted(by quote: Character, startingAt start: FilterPosition) throws(FilterError) -> String {
        index += 1
        var text = ""
        while let character = peek() {
            index += 1
            if character == quote { return text }
            if character == "\\", let escaped = peek(), escaped == quote || escaped == "\\" {
                text.append(escaped)
                index += 1
            } else {
                if character.isNewline {
                    line += 1
                    lineStart = index
                }
                text.append(character)
            }
        }
        throw FilterError("unterminated string: close it with \(quote)", at: start)
    }
}
