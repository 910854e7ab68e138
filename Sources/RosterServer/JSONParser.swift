/// A strict JSON reader (RFC 8259) over a request body's bytes, into `JSONInput`.
///
/// Hand-written because Foundation's `JSONDecoder` into a `Decodable` enum tries each type in turn and builds a
/// `DecodingError` for every miss: on `PUT /v2/customer/field` that was 5% of the server's CPU for a 40-byte body
/// (docs/server.md, "Reading JSON"). On UTF-8 bodies it accepts what `JSONDecoder` accepts and refuses what it
/// refuses — `JSONParserTests` compares the two on valid and broken bodies: one value (a scalar too) with whitespace
/// around it, after a byte order mark perhaps; strings of valid UTF-8 whose control characters are escaped, `\u`
/// escapes paired when they are surrogates; numbers in JSON's grammar that fit a `Double`; at most 512 levels of
/// nesting. A key given twice keeps its first value, as `JSONDecoder` does. Stricter than `JSONDecoder` where it
/// lets through what RFC 8259 does not allow: a comma before a closing bracket or brace (`[1,]`, `{"a":1,}`), a
/// repeated key's value that is not JSON (`{"k":1,"k":-}`, which it skips unread), and a body in UTF-16 or UTF-32
/// (RFC 8259 requires UTF-8 between systems; `JSONDecoder` detects the others).
struct JSONParser {
    struct Malformed: Error {}

    static let maxDepth = 512

    private let bytes: [UInt8]
    private var index = 0
    private var depth = 0

    private init(_ bytes: [UInt8]) { self.bytes = bytes }

    static func parse(_ bytes: [UInt8]) throws(Malformed) -> JSONInput {
        var parser = JSONParser(bytes)
        // A byte order mark before the value, as some clients send and Foundation accepts.
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { parser.index = 3 }
        let value = try parser.value()
        parser.skipWhitespace()
        guard parser.index == bytes.count else { throw Malformed() }
        return value
    }

    private mutating func skipWhitespace() {
        while index < bytes.count,
            bytes[index] == 0x20 || bytes[index] == 0x0A || bytes[index] == 0x0D
                || bytes[index] == 0x09
        {
            index += 1
        }
    }

    private mutating func value() throws(Malformed) -> JSONInput {
        skipWhitespace()
        guard index < bytes.count else { throw Malformed() }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try object()
        case UInt8(ascii: "["): return try array()
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"):
            try literal("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try literal("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try literal("null")
            return .null
        default: return .number(try number())
        }
    }

    private mutating func literal(_ word: StaticString) throws(Malformed) {
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count else { throw Malformed() }
        for offset in 0..<count where bytes[index + offset] != word.utf8Start[offset] { throw Malformed() }
        index += count
    }

    private mutating func enter() throws(Malformed) {
        depth += 1
        guard depth <= Self.maxDepth else { throw Malformed() }
        index += 1
    }

    private mutating func object() throws(Malformed) -> JSONInput {
        try enter()
        var members: [String: JSONInput] = [:]
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            depth -= 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw Malformed() }
            let key = try string()
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw Malformed() }
            index += 1
            let member = try value()
            if members[key] == nil { members[key] = member }  // the first, as Foundation keeps it
            skipWhitespace()
            guard index < bytes.count else { throw Malformed() }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
            } else if bytes[index] == UInt8(ascii: "}") {
                index += 1
                depth -= 1
                return .object(members)
            } else {
                throw Malformed()
            }
        }
    }

    private mutating func array() throws(Malformed) -> JSONInput {
        try enter()
        var items: [JSONInput] = []
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            depth -= 1
            return .array(items)
        }
        while true {
            items.append(try value())
            skipWhitespace()
            guard index < bytes.count else { throw Malformed() }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
            } else if bytes[index] == UInt8(ascii: "]") {
                index += 1
                depth -= 1
                return .array(items)
            } else {
                throw Malformed()
            }
        }
    }

    /// A string from its opening quote; the bytes between escapes are copied as they are and checked as UTF-8 once.
    private mutating func string() throws(Malformed) -> String {
        index += 1
        var decoded: [UInt8] = []
        var start = index
        while true {
            guard index < bytes.count else { throw Malformed() }
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") { break }
            guard byte >= 0x20 else { throw Malformed() }
            guard byte == UInt8(ascii: "\\") else {
                index += 1
                continue
            }
            decoded.append(contentsOf: bytes[start..<index])
            index += 1
            guard index < bytes.count else { throw Malformed() }
            let escape = bytes[index]
            index += 1
            switch escape {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): decoded.append(escape)
            case UInt8(ascii: "b"): decoded.append(0x08)
            case UInt8(ascii: "f"): decoded.append(0x0C)
            case UInt8(ascii: "n"): decoded.append(0x0A)
            case UInt8(ascii: "r"): decoded.append(0x0D)
            case UInt8(ascii: "t"): decoded.append(0x09)
            case UInt8(ascii: "u"): try unicodeEscape(into: &decoded)
            default: throw Malformed()
            }
            start = index
        }
        decoded.append(contentsOf: bytes[start..<index])
        index += 1
        guard let text = String(validating: decoded, as: UTF8.self) else { throw Malformed() }
        return text
    }

    /// `\uXXXX` (the `\u` read), a surrogate pair as two of them, appended as UTF-8.
    private mutating func unicodeEscape(into decoded: inout [UInt8]) throws(Malformed) {
        let first = try hexQuad()
        var scalar: UInt32
        switch first {
        case 0xD800...0xDBFF:
            guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u")
            else { throw Malformed() }
            index += 2
            let second = try hexQuad()
            guard (0xDC00...0xDFFF).contains(second) else { throw Malformed() }
            scalar = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
        case 0xDC00...0xDFFF: throw Malformed()
        default: scalar = first
        }
        guard let unicode = Unicode.Scalar(scalar) else { throw Malformed() }
        decoded.append(contentsOf: Array(String(Character(unicode)).utf8))
    }

    private mutating func hexQuad() throws(Malformed) -> UInt32 {
        guard index + 4 <= bytes.count else { throw Malformed() }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw Malformed()
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }

    /// A number in JSON's grammar (`-`, digits without a leading zero, a fraction, an exponent) that fits a Double.
    private mutating func number() throws(Malformed) -> Double {
        let start = index
        var significant = false  // a digit other than 0 before the exponent: such a number must not read as 0
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count, isDigit(bytes[index]) else { throw Malformed() }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
        } else {
            significant = true
            skipDigits()
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard index < bytes.count, isDigit(bytes[index]) else { throw Malformed() }
            let fraction = index
            skipDigits()
            if bytes[fraction..<index].contains(where: { $0 != UInt8(ascii: "0") }) { significant = true }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                index += 1
            }
            guard index < bytes.count, isDigit(bytes[index]) else { throw Malformed() }
            skipDigits()
        }
        // Too large (infinite) or too small (a non-zero number read as 0): not representable, as Foundation says.
        guard let value = Double(String(decoding: bytes[start..<index], as: UTF8.self)), value.isFinite,
            value != 0 || !significant
        else { throw Malformed() }
        return value
    }

    private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    private mutating func skipDigits() {
        while index < bytes.count, isDigit(bytes[index]) { index += 1 }
    }
}
