/// Turns template text into literal text and placeholders, reporting the first syntax error by position.
///
/// Positions count `Character`s (grapheme clusters), so "José" and "👋🏽" are one column per visible letter.
struct TemplateParser {
    private let characters: [Character]
    private var index = 0
    private var line = 1
    private var column = 1

    private var pieces: [Template.Piece] = []
    private var literal = ""
    private var fieldNames: [String] = []
    private var fieldIndexByKey: [String: Int] = [:]
    private var required: [Bool] = []

    init(_ text: String) {
        characters = Array(text)
    }

    mutating func parse() throws(TemplateError) -> Template.Parts {
        while let character = peek() {
            guard character == "$" else {
                literal.append(character)
                advance()
                continue
            }
            let start = (index: index, line: line, column: column)
            advance()
            switch peek() {
            case "$":
                literal.append("$")
                advance()
            case "{":
                advance()
                try parseBraced(from: start)
            case let next? where Self.isNameStart(next):
                var name = ""
                while let next = peek(), Self.isNameContinuation(next) {
                    name.append(next)
                    advance()
                }
                addPlaceholder(name: name, fallback: nil, written: "$" + name)
            default:
                // Prices ("5 $", "$ 5", "$5") are common in marketing text: a lone `$` stays literal.
                literal.append("$")
            }
        }
        flushLiteral()
        return Template.Parts(pieces: pieces, fieldNames: fieldNames, required: required)
    }

    private mutating func parseBraced(from start: (index: Int, line: Int, column: Int)) throws(TemplateError) {
        let unclosed = TemplateError(line: start.line, column: start.column, message: #""${" is not closed by "}""#)
        var rawName = ""
        var hasFallback = false
        scanName: while true {
            guard let character = peek() else { throw unclosed }
            switch character {
            case "}":
                advance()
                break scanName
            case "|":
                advance()
                hasFallback = true
                break scanName
            case "{", "$":
                // `${Name, see {link}` or `${Name $Other}`: the `}` ahead belongs to something else.
                throw unclosed
            default:
                if character.isNewline { throw unclosed }
                rawName.append(character)
                advance()
            }
        }
        // The store trims field names, so `${ First Name }` means the field "First Name".
        let name = rawName.trimmingWhitespace()
        guard !name.isEmpty else {
            let next = hasFallback ? "|" : "}"
            throw TemplateError(
                line: start.line, column: start.column, message: #"no field name between "${" and ""# + next + #"""#)
        }
        let fallback = hasFallback ? try parseFallback(unclosed: unclosed) : nil
        let written = String(characters[start.index..<index])
        addPlaceholder(name: name, fallback: fallback, written: written)
    }

    /// Reads a fallback after `|` up to the closing `}`; `\}`, `\|` and `\\` escape, other text is literal.
    private mutating func parseFallback(unclosed: TemplateError) throws(TemplateError) -> String {
        var fallback = ""
        while true {
            guard let character = peek(), !character.isNewline else { throw unclosed }
            switch character {
            case "}":
                advance()
                return fallback
            case "\\":
                advance()
                if let next = peek(), next == "}" || next == "|" || next == "\\" {
                    fallback.append(next)
                    advance()
                } else {
                    fallback.append("\\")
                }
            case "$":
                let dollar = (line: line, column: column)
                advance()
                if peek() == "$" {
                    fallback.append("$")
                    advance()
                } else if let next = peek(), next == "{" || Self.isNameStart(next) {
                    // A nested placeholder would be sent literally as "$Name" to every customer lacking the field.
                    throw TemplateError(
                        line: dollar.line, column: dollar.column,
                        message:
                            #"a fallback is plain text and cannot hold a placeholder (write "$$" for a literal "$")"#
                    )
                } else {
                    fallback.append("$")
                }
            default:
                fallback.append(character)
                advance()
            }
        }
    }

    private mutating func addPlaceholder(name: String, fallback: String?, written: String) {
        flushLiteral()
        let key = name.lowercased()
        let field: Int
        if let known = fieldIndexByKey[key] {
            field = known
        } else {
            field = fieldNames.count
            fieldIndexByKey[key] = field
            fieldNames.append(name)
            required.append(false)
        }
        if fallback == nil { required[field] = true }
        pieces.append(.placeholder(Template.Placeholder(field: field, fallback: fallback, written: written)))
    }

    private mutating func flushLiteral() {
        guard !literal.isEmpty else { return }
        pieces.append(.text(literal))
        literal = ""
    }

    private func peek() -> Character? {
        index < characters.count ? characters[index] : nil
    }

    private mutating func advance() {
        if characters[index].isNewline {
            line += 1
            column = 1
        } else {
            column += 1
        }
        index += 1
    }

    static func isNameStart(_ character: Character) -> Bool {
        if let ascii = character.asciiValue {
            return (ascii >= 0x61 && ascii <= 0x7A) || (ascii >= 0x41 && ascii <= 0x5A) || ascii == 0x5F
        }
        return character.isLetter
    }

    // Only decimal digits continue a name: "$Name²" or "$Name½" end the name before the sign.
    static func isNameContinuation(_ character: Character) -> Bool {
        if let ascii = character.asciiValue, ascii >= 0x30 && ascii <= 0x39 { return true }
        return isNameStart(character) || character.unicodeScalars.first?.properties.numericType == .decimal
    }
}

extension String {
    fileprivate func trimmingWhitespace() -> String {
        guard let first = firstIndex(where: { !$0.isWhitespace }), let last = lastIndex(where: { !$0.isWhitespace })
        else { return "" }
        return String(self[first...last])
    }
}
