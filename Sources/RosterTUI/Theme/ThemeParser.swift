/// Reads the small TOML subset theme files use: comments, `[slot]` sections and `key = value` lines.
///
/// Hand-written so that every error names the file and line (`themes/x.toml:7: unknown colour "bleu"`).
public enum ThemeParser {
    private enum Value {
        case string(String)
        case integer(Int)
        case boolean(Bool)
    }

    /// Parses a theme file's text; `path` is how errors name the file.
    public static func parse(_ text: String, name: String, path: String) throws(ThemeError) -> Theme {
        var styles: [Slot: SlotStyle] = [:]
        var section: Slot?
        var seen: Set<Slot> = []
        var lineNumber = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            func fail(_ message: String) -> ThemeError { ThemeError(path: path, line: lineNumber, message: message) }
            let line = stripComment(String(rawLine)).trimmingSpaces
            if line.isEmpty { continue }
            if line.hasPrefix("[") {
                guard line.hasSuffix("]") else { throw fail("a section header ends with ]") }
                let slotName = String(line.dropFirst().dropLast()).trimmingSpaces
                guard let slot = Slot(rawValue: slotName) else {
                    let known = Slot.allCases.map(\.rawValue).joined(separator: ", ")
                    throw fail("unknown slot \"\(slotName)\" (slots: \(known))")
                }
                guard seen.insert(slot).inserted else { throw fail("slot [\(slotName)] appears twice") }
                section = slot
                styles[slot] = SlotStyle()
                continue
            }
            guard let equals = line.firstIndex(of: "=") else { throw fail("expected `key = value` or `[slot]`") }
            let key = String(line[..<equals]).trimmingSpaces
            let value = try parseValue(String(line[line.index(after: equals)...]).trimmingSpaces, fail: fail)
            guard let slot = section else {
                guard ["name", "description"].contains(key) else {
                    throw fail("unknown key \"\(key)\" before the first [slot] (expected name or description)")
                }
                continue
            }
            var style = styles[slot] ?? SlotStyle()
            switch (key, value) {
            case ("fg", _), ("bg", _):
                let colour = try parseColour(value, fail: fail)
                if key == "fg" { style.foreground = colour } else { style.background = colour }
            case ("bold", .boolean(let flag)): style.bold = flag
            case ("underline", .boolean(let flag)): style.underline = flag
            case ("reverse", .boolean(let flag)): style.reverse = flag
            case ("dim", .boolean(let flag)): style.dim = flag
            case ("bold", _), ("underline", _), ("reverse", _), ("dim", _):
                throw fail("\(key) is true or false")
            default:
                throw fail("unknown key \"\(key)\" (keys: fg, bg, bold, underline, reverse, dim)")
            }
            styles[slot] = style
        }
        guard styles[.body] != nil else {
            throw ThemeError(path: path, line: nil, message: "has no [body] slot")
        }
        return Theme(name: name, styles: styles)
    }

    private static func parseColour(_ value: Value, fail: (String) -> ThemeError) throws(ThemeError) -> Colour {
        switch value {
        case .integer(let number):
            guard let colour = Colour(name: String(number)) else { throw fail("colour \(number) is not in 0…255") }
            return colour
        case .string(let name):
            guard let colour = Colour(name: name) else { throw fail("unknown colour \"\(name)\"") }
            return colour
        case .boolean:
            throw fail("a colour is a name such as \"cyan\" or a number 0…255")
        }
    }

    private static func parseValue(_ text: String, fail: (String) -> ThemeError) throws(ThemeError) -> Value {
        if text.hasPrefix("\"") {
            guard text.count >= 2, text.hasSuffix("\"") else { throw fail("unterminated string \(text)") }
            return .string(String(text.dropFirst().dropLast()))
        }
        if text == "true" { return .boolean(true) }
        if text == "false" { return .boolean(false) }
        if let number = Int(text) { return .integer(number) }
        if text.isEmpty { throw fail("missing value") }
        throw fail("expected a quoted string, a number, true or false, not \(text)")
    }

    /// The line without a `#` comment (a `#` inside quotes is kept).
    private static func stripComment(_ line: String) -> String {
        var quoted = false
        for index in line.indices {
            switch line[index] {
            case "\"": quoted.toggle()
            case "#" where !quoted: return String(line[..<index])
            default: break
            }
        }
        return line
    }
}

extension String {
    /// The string without leading and trailing spaces, tabs and carriage returns.
    var trimmingSpaces: String {
        let blank: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" }
        guard let first = firstIndex(where: { !blank($0) }), let last = lastIndex(where: { !blank($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}
