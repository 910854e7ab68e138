import Foundation
import RosterModel
import Testing

@Suite("JSON output: strings escaped as JSON requires and as the terminal needs")
struct JSONValueTests {
    @Test("plain ASCII is written as it is; quotes, backslashes, controls and bidi overrides are escaped")
    func escapes() throws {
        let cases: [(String, String)] = [
            ("Lugo", #""Lugo""#),
            ("", #""""#),
            ("a \"quoted\" word", #""a \"quoted\" word""#),
            (#"back\slash"#, #""back\\slash""#),
            ("two\nlines\tand\ra return", #""two\nlines\tand\ra return""#),
            ("bell\u{07}", #""bell\u0007""#),
            ("delete\u{7F}", #""delete\u007f""#),
            ("Málaga, 日本, 😀", "\"Málaga, 日本, 😀\""),
            ("right\u{202E}left", #""right\u202eleft""#),
        ]
        for (text, expected) in cases {
            #expect(JSONValue.string(text).rendered() == expected, "\(text.debugDescription)")
            // Whatever the path, the output reads back as the same string.
            let data = Data(JSONValue.array([.string(text)]).rendered().utf8)
            #expect(try JSONSerialization.jsonObject(with: data) as? [String] == [text])
        }
    }
}
