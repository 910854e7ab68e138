import Foundation
import RosterCore
import RosterDemo

@testable import RosterModel

/// Working sets of random customers whose values are the awkward ones: quotes, backslashes, keywords, accents that
/// fold together, combining marks first, right-to-left, Thai, Hindi, emoji sequences, numbers a double cannot tell
/// apart, birthdays without a year, values that do not parse.
enum ColumnFixtures {
    static let texts: [String?] = [
        "Madrid", "madrid", "MÁDRID", "Málaga", "say \"hi\"", "back\\slash", "\\", "\"", "a b", "and", "or", "not",
        "has",
        "today", "birthday", "consent", "東京", "\u{301}accent first", "prepended\u{600}", "שלום", "สวัสดี", "नमस्ते",
        "👍🏽", "👨‍👩‍👧", "", " ", "'single'", "x = y", "(paren)", "tab\tchar", "new\nline", "Straße", "STRASSE", "zoë",
        "Zoe", "a\u{0}nul", "\u{301}", "~", "!=", "@segment", nil, nil, nil,
    ]
    static let numbers: [String?] = [
        "1", "1.0", "1.50", "1.5", "-3", "0", "-0", "9007199254740993", "9007199254740992", "100", "-2.25", nil, nil,
    ]
    static let dates: [String?] = [
        "1990-05-12", "1990-12-01", "1985-05-12", "--05-12", "2000-02-29", "--02-29", "1990-13-01", "1999-12-31",
        "0001-01-01", nil, nil,
    ]
    static let booleans: [String?] = ["true", "FALSE", "True", "false", "maybe", nil]
    static let emails: [String?] = ["a@example.com", "A@Example.com", "b@example.com", "", nil, nil]
    static let phones: [String?] = ["+34600111222", "+4917012345678", nil]

    /// The fields of a random set: names chosen to need quoting or to collide with the language's words.
    static let fields: [(String, FieldType, [String?])] = [
        ("city", .text, texts), ("First Name", .text, texts), ("has", .text, texts), ("sms", .text, texts),
        ("birthday", .date, dates), ("birthdate", .date, dates), ("score", .number, numbers),
        ("vip", .boolean, booleans), ("not", .number, numbers), ("Email", .text, texts),
    ]

    static func workingSet(count: Int, seed: UInt64) -> WorkingSet {
        var random = SplitMix64(seed: seed)
        func pick(_ values: [String?]) -> String? { values.randomElement(using: &random)! }
        let columns = fields.map { name, type, pool in
            WorkingSet.Column(name: name, type: type, values: (0..<count).map { _ in pick(pool) })
        }
        return WorkingSet(
            rowIDs: (0..<count).map { Int64($0 * 3 + 1) },
            externalCodes: (0..<count).map { _ in
                // Few distinct codes, so that frequency and sort see equal ones.
                QueryFixtures.externalCode(row: Int.random(in: 0..<5, using: &random))
            },
            crmIds: (0..<count).map { _ in pick(texts) ?? "CRM" },
            emails: (0..<count).map { _ in pick(emails) }, phones: (0..<count).map { _ in pick(phones) },
            consent: (0..<count).map { _ in
                Consent(
                    email: Bool.random(using: &random), sms: Bool.random(using: &random), push: .random(using: &random))
            },
            deviceCounts: (0..<count).map { _ in Int32.random(in: 0...3, using: &random) }, columns: columns)
    }

    /// A random list of rows of a set of `count`: some of them, in random order.
    static func rows(count: Int, seed: UInt64) -> [Int32] {
        var random = SplitMix64(seed: seed)
        return (0..<Int32(count)).filter { _ in Int.random(in: 0..<3, using: &random) > 0 }.shuffled(using: &random)
    }
}
