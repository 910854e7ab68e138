import Foundation
import RosterDemo
import Testing

@testable import RosterServer

/// Foundation's reading of the same bodies, as the server had it before its own parser: the reference.
private struct Reference: Decodable {
    let value: JSONInput

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            value = .null
        } else if let bool = try? container.decode(Bool.self) {
            value = .bool(bool)
        } else if let number = try? container.decode(Double.self) {
            value = .number(number)
        } else if let string = try? container.decode(String.self) {
            value = .string(string)
        } else if let array = try? container.decode([Reference].self) {
            value = .array(array.map(\.value))
        } else {
            value = .object(try container.decode([String: Reference].self).mapValues(\.value))
        }
    }

    static func parse(_ bytes: [UInt8]) -> JSONInput? {
        try? JSONDecoder().decode(Reference.self, from: Data(bytes)).value
    }
}

@Suite("The server's JSON reader accepts and refuses what Foundation's JSONDecoder does, with the same values")
struct JSONParserTests {
    static let valid: [String] = [
        #"{"city":"Lugo","score":12}"#, #"  {"a" : [1, 2.5, -3e2, 0, -0, 1E+2, 4e-1] }  "#, "[]", "{}", "[[[]]]",
        "true", "false", "null", "0", "-1.25", "\"text\"", #"{"a":null,"b":true,"c":false}"#,
        #""\"\\\/\b\f\n\r\t""#, #""\u00e9\u0041\u20AC""#, #""\ud83d\ude00""#, #""\uD83D\uDE00 and é, ñ, 日本""#,
        #""\u0000""#, "\"Ma\u{301}laga and \u{0E2A}\u{0E27}\u{0E31}\u{0E2A}\u{0E14}\u{0E35}\"", "12345678901234567890",
        "1.7976931348623157e308", "5e-324", #"{"k":1,"k":2}"#, " \t\r\n[1]\n", #"{"nested":{"deep":[{"x":"y"}]}}"#,
        #"{"":""}"#, "[1,[2,[3,[4]]]]", "\u{FEFF}{}", "\u{FEFF} [1]", "0.0e-400",
    ]

    static let invalid: [String] = [
        "", " ", "{", "}", "[", "{\"a\" 1}", "{a:1}", "{'a':1}", "[1 2]", "tru", "truex", "nul",
        "True", "01", "-", "1.", ".5", "1e", "1e+", "+1", "0x10", "NaN", "Infinity", "1e400", "-1e400",
        #""unterminated"#, "\"tab\there\"", "\"line\nbreak\"", #""\x""#, #""\u12""#, #""\uZZZZ""#, #""\ud83d""#,
        #""\ude00""#, #""\ud83d\u0041""#, "[1]]", "{} {}", "{,}", "\u{FEFF}", "[1,,2]", "{\"a\":}", "\"a\"\"b\"",
        "5e-2324", "0.1e-400",
    ]

    /// What RFC 8259 does not allow and Foundation lets through: refused here.
    static let stricter: [String] = ["[1,]", "{\"a\":1,}", #"{"k":1,"k":-}"#, #"{"k":1,"k":2.}"#]

    @Test("valid bodies give the same values")
    func sameValues() throws {
        for text in Self.valid {
            let bytes = Array(text.utf8)
            let reference = Reference.parse(bytes)
            #expect(reference != nil, "Foundation refuses \(text)")
            let parsed = try? JSONParser.parse(bytes)
            #expect(parsed == reference, "\(text)")
        }
    }

    @Test("broken bodies are refused by both")
    func bothRefuse() {
        for text in Self.invalid {
            let bytes = Array(text.utf8)
            #expect(Reference.parse(bytes) == nil, "Foundation accepts \(text)")
            #expect((try? JSONParser.parse(bytes)) == nil, "\(text)")
        }
    }

    @Test("trailing commas and a repeated key's broken value, which Foundation lets through, are refused")
    func stricterThanFoundation() {
        for text in Self.stricter {
            let bytes = Array(text.utf8)
            #expect(Reference.parse(bytes) != nil, "Foundation refuses \(text) now: move it to `invalid`")
            #expect((try? JSONParser.parse(bytes)) == nil, "\(text)")
        }
    }

    @Test("bytes that are not UTF-8 inside a string, and nesting past the limit, are refused")
    func bytesAndDepth() {
        let notUTF8: [[UInt8]] = [[0x22, 0xFF, 0x22], [0x22, 0xC3, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22], [0xFF]]
        for bytes in notUTF8 {
            #expect(Reference.parse(bytes) == nil)
            #expect((try? JSONParser.parse(bytes)) == nil)
        }
        let deep =
            Array(repeating: UInt8(ascii: "["), count: JSONParser.maxDepth + 1)
            + Array(repeating: UInt8(ascii: "]"), count: JSONParser.maxDepth + 1)
        #expect((try? JSONParser.parse(deep)) == nil)
        let deepest =
            Array(repeating: UInt8(ascii: "["), count: JSONParser.maxDepth)
            + Array(repeating: UInt8(ascii: "]"), count: JSONParser.maxDepth)
        #expect((try? JSONParser.parse(deepest)) != nil)
    }

    @Test("random bytes and random cuts of valid bodies: what is accepted, Foundation accepts with the same value")
    func fuzz() {
        var random = SplitMix64(seed: 7)
        let alphabet = Array(#"{}[]":,. -+eE0123456789tfnrulas\"#.utf8) + [0x20, 0x0A, 0xC3, 0xA9]
        var accepted = 0
        for round in 0..<4000 {
            var bytes: [UInt8]
            if round % 2 == 0 {
                bytes = Array(Self.valid[Int(random.next() % UInt64(Self.valid.count))].utf8)
                for _ in 0..<1 + Int(random.next() % 3) where !bytes.isEmpty {
                    let at = Int(random.next() % UInt64(bytes.count))
                    let byte = alphabet[Int(random.next() % UInt64(alphabet.count))]
                    switch random.next() % 3 {
                    case 0: bytes.remove(at: at)
                    case 1: bytes[at] = byte
                    default: bytes.insert(byte, at: at)
                    }
                }
            } else {
                bytes = (0..<Int(random.next() % 12)).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] }
            }
            let reference = Reference.parse(bytes)
            // Never more lenient than Foundation, and the same value where both accept (`stricter` lists the
            // bodies Foundation alone accepts).
            if let parsed = try? JSONParser.parse(bytes) {
                accepted += 1
                #expect(parsed == reference, "\(bytes) \(String(decoding: bytes, as: UTF8.self))")
            }
        }
        // The cuts leave enough bodies valid for the comparison to mean something.
        #expect(accepted > 300)
    }
}
