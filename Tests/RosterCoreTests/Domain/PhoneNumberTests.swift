import Foundation
import RosterCore
import Testing

@testable import RosterModel

/// A countryCode and phone as a file or a person writes them, and what the SMS channel must make of them.
struct PhoneCase: Sendable, CustomTestStringConvertible {
    let countryCode: String
    let phone: String
    /// The E.164 number, or nil when the pair must be refused.
    let e164: String?
    /// For a refusal: which input is wrong. Nil when not pinned (shared vectors do not say).
    let kind: IdentifierError.Kind?
    /// Where the case comes from, for failure messages.
    let origin: String

    init(_ countryCode: String, _ phone: String, _ e164: String, origin: String = "inline") {
        (self.countryCode, self.phone, self.e164, self.kind, self.origin) = (countryCode, phone, e164, nil, origin)
    }

    init(_ countryCode: String, _ phone: String, refused kind: IdentifierError.Kind?, origin: String = "inline") {
        (self.countryCode, self.phone, self.e164, self.kind, self.origin) = (countryCode, phone, nil, kind, origin)
    }

    var testDescription: String { "\(origin): \(countryCode.debugDescription) \(phone.debugDescription)" }
}

/// Reads `../shared/vectors/phones.tsv` next to the package; empty when the shared folder is absent.
private enum PhoneVectors {
    static let cases: [PhoneCase] = {
        // This file sits at Tests/RosterCoreTests/Domain/, four levels below the package root.
        var root = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        for _ in 0..<4 { root.deleteLastPathComponent() }
        let file = root.appendingPathComponent("../shared/vectors/phones.tsv").standardizedFileURL
        guard let text = try? String(contentsOf: file, encoding: .utf8) else { return [] }
        var cases: [PhoneCase] = []
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = line.hasSuffix("\r") ? line.dropLast() : line
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard fields.count >= 3 else { continue }
            let origin = "phones.tsv:\(number + 1)"
            cases.append(
                fields[2].hasPrefix("reject")
                    ? PhoneCase(fields[0], fields[1], refused: nil, origin: origin)
                    : PhoneCase(fields[0], fields[1], fields[2], origin: origin))
        }
        return cases
    }()
}

struct PhoneNumberTests {
    /// The shared vectors, carried here as well so they run without the shared folder.
    static let sharedVectors: [PhoneCase] = [
        PhoneCase("34", "600 11 22 33", "+34600112233"),
        PhoneCase("34", "0034 600112233", "+34600112233"),
        PhoneCase("+34", "+34 600-11-22-33", "+34600112233"),
        PhoneCase("0034", "(600) 11.22.33", "+34600112233"),
        PhoneCase("44", "07700 900123", "+447700900123"),
        PhoneCase("44", "+44 (0)7700 900123", "+447700900123"),
        PhoneCase("49", "0151 12345678", "+4915112345678"),
        PhoneCase("33", "06 12 34 56 78", "+33612345678"),
        PhoneCase("39", "06 6982 1234", "+390669821234"),
        PhoneCase("39", "347 123 4567", "+393471234567"),
        PhoneCase("1", "(415) 555-2671", "+14155552671"),
        PhoneCase("1", "1 415 555 2671", "+14155552671"),
        PhoneCase("81", "090-1234-5678", "+819012345678"),
        PhoneCase("61", "0412 345 678", "+61412345678"),
        PhoneCase("353", "087 123 4567", "+353871234567"),
        PhoneCase("7", "8 912 345-67-89", "+79123456789"),
        PhoneCase("36", "06 30 123 4567", "+36301234567"),
        PhoneCase("34", "6OO112233", refused: .phone),
        PhoneCase("", "600112233", refused: .countryCode),
        PhoneCase("34", "+44 7700 900123", refused: .phone),
        PhoneCase("999", "123456", refused: .countryCode),
        PhoneCase("34", "6001122334455667", refused: .phone),
        PhoneCase("34", "12", refused: .phone),
    ]

    static let accepted: [PhoneCase] = [
        // Separators, the country code repeated, written with + or 00, or with its + lost.
        PhoneCase("34", " 600112233 ", "+34600112233"),
        PhoneCase("34", "600-112-233", "+34600112233"),
        PhoneCase("34", "600.11.22.33", "+34600112233"),
        PhoneCase("34", "[600] 112 233", "+34600112233"),
        PhoneCase("34", "(+34) 600 112 233", "+34600112233"),
        PhoneCase("34", "34600112233", "+34600112233"),
        PhoneCase("34", "34 600 11 22 33", "+34600112233"),
        PhoneCase("+ 34", "600112233", "+34600112233"),
        PhoneCase("00 34", "600112233", "+34600112233"),
        PhoneCase(" 34\t", "600112233", "+34600112233"),
        PhoneCase("34.0", "600112233", "+34600112233"),
        PhoneCase("34", "600\u{A0}11\u{A0}22\u{A0}33", "+34600112233"),
        // The UK: trunk 0, the (0) habit, lost + and lost zero.
        PhoneCase("44", "+44 (0) 7700-900-123", "+447700900123"),
        PhoneCase("44", "(0)7700 900123", "+447700900123"),
        PhoneCase("44", "0044 7700 900123", "+447700900123"),
        PhoneCase("44", "+44 07700 900123", "+447700900123"),
        PhoneCase("44", "447700900123", "+447700900123"),
        PhoneCase("44", "7700 900123", "+447700900123"),
        PhoneCase("+44", "+44 800 1111", "+448001111"),
        // Germany and France.
        PhoneCase("49", "+49 (0)30 1234567", "+49301234567"),
        PhoneCase("49", "(030) 123 4567", "+49301234567"),
        PhoneCase("49", "0049 151 12345678", "+4915112345678"),
        PhoneCase("49", "4915112345678", "+4915112345678"),
        PhoneCase("49", "491 12345", "+4949112345"),  // Leer (0491) without its zero: too short to be +49 491…
        PhoneCase("33", "+33 (0)6 12 34 56 78", "+33612345678"),
        PhoneCase("33", "33612345678", "+33612345678"),
        PhoneCase("33", "06\u{202F}12\u{202F}34\u{202F}56\u{202F}78", "+33612345678"),
        // Italy, San Marino, Côte d'Ivoire: the leading 0 is part of the number.
        PhoneCase("39", "+39 06 6982 1234", "+390669821234"),
        PhoneCase("39", "0039 06 6982 1234", "+390669821234"),
        PhoneCase("39", "+39 (0)6 6982 1234", "+390669821234"),
        PhoneCase("39", "390669821234", "+390669821234"),
        PhoneCase("39", "393 123 4567", "+393931234567"),
        PhoneCase("39", "39 393 123 4567", "+393931234567"),
        PhoneCase("378", "0549 123456", "+3780549123456"),
        PhoneCase("225", "07 07 12 34 56", "+2250707123456"),
        // Trunk prefixes other than 0: 1 (NANP), 8 (Russia, Kazakhstan, Lithuania, Belarus), 06, 044 and 1 (Mexico).
        PhoneCase("1", "+1 (415) 555-2671", "+14155552671"),
        PhoneCase("+1", "1-415-555-2671", "+14155552671"),
        PhoneCase("1", "415.555.2671", "+14155552671"),
        PhoneCase("7", "+7 912 345 67 89", "+79123456789"),
        PhoneCase("7", "89123456789", "+79123456789"),
        PhoneCase("7", "79123456789", "+79123456789"),
        PhoneCase("7", "8 800 555-35-35", "+78005553535"),
        PhoneCase("7", "800 555 35 35", "+78005553535"),
        PhoneCase("7", "8 701 234 5678", "+77012345678"),
        PhoneCase("7", "701 234 5678", "+77012345678"),
        PhoneCase("370", "8 612 34567", "+37061234567"),
        PhoneCase("370", "800 12345", "+37080012345"),
        PhoneCase("375", "8 029 123-45-67", "+375291234567"),
        PhoneCase("36", "+36 30 123 4567", "+36301234567"),
        PhoneCase("36", "06-1-234-5678", "+3612345678"),
        PhoneCase("52", "044 55 1234 5678", "+525512345678"),
        PhoneCase("52", "+52 1 55 1234 5678", "+525512345678"),
        // Elsewhere, including full-width (Japan) and Arabic-Indic digits.
        PhoneCase("380", "067 123 45 67", "+380671234567"),
        PhoneCase("380", "380671234567", "+380671234567"),
        PhoneCase("81", "０９０－１２３４－５６７８", "+819012345678"),
        PhoneCase("966", "٠٥٠١٢٣٤٥٦٧", "+966501234567"),
        PhoneCase("86", "8613812345678", "+8613812345678"),
        PhoneCase("91", "098765 43210", "+919876543210"),
        PhoneCase("91", "919876543210", "+919876543210"),
        PhoneCase("297", "297 560 1234", "+2975601234"),
        PhoneCase("353", "+353 (0)87 123 4567", "+353871234567"),
    ]

    static let refused: [PhoneCase] = [
        PhoneCase("34", "600 112 233 ext 4", refused: .phone),
        PhoneCase("7", "8 912 345-67-8Я", refused: .phone),
        PhoneCase("34", "", refused: .phone),
        PhoneCase("34", "   ", refused: .phone),
        PhoneCase("34", "---", refused: .phone),
        PhoneCase("34", "+", refused: .phone),
        PhoneCase("  ", "600112233", refused: .countryCode),
        PhoneCase("ES", "600112233", refused: .countryCode),
        PhoneCase("0", "600112233", refused: .countryCode),
        PhoneCase("3400", "600112233", refused: .countryCode),
        PhoneCase("210", "600112233", refused: .countryCode),
        PhoneCase("34", "0044 7700 900123", refused: .phone),
        PhoneCase("1", "+7 912 345 67 89", refused: .phone),
        PhoneCase("34", "+999 123456", refused: .phone),
        PhoneCase("1", "+1 415 555 2671 1234 5678", refused: .phone),
        PhoneCase("34", "1234567890123456789012345678901234567890", refused: .phone),
        PhoneCase("44", "+44", refused: .phone),
        PhoneCase("44", "0", refused: .phone),
        PhoneCase("44", "+44 0 07700 900123", refused: .phone),
        PhoneCase("49", "030/1234567", refused: .phone),
        PhoneCase("34", "600#112233", refused: .phone),
        PhoneCase("34", "600112233; 600445566", refused: .phone),
        PhoneCase("34", "+34 +600112233", refused: .phone),
        PhoneCase("34", "600\u{1B}[31m112233", refused: .phone),
        PhoneCase("34", "600\u{200E}112233", refused: .phone),
    ]

    @Test("phones.tsv from the shared vectors", arguments: PhoneVectors.cases)
    func sharedVectorFile(_ example: PhoneCase) {
        check(example)
    }

    @Test("the shared vectors are carried inline as well")
    func sharedVectorsAreInline() {
        let inline = Set(Self.sharedVectors.map { "\($0.countryCode)\t\($0.phone)\t\($0.e164 ?? "reject")" })
        for example in PhoneVectors.cases {
            #expect(inline.contains("\(example.countryCode)\t\(example.phone)\t\(example.e164 ?? "reject")"))
        }
    }

    @Test("the shared vectors", arguments: sharedVectors)
    func sharedVectorInline(_ example: PhoneCase) {
        check(example)
    }

    @Test("real-world spellings become E.164", arguments: accepted)
    func normalizesToE164(_ example: PhoneCase) {
        check(example)
    }

    @Test("letters, junk, wrong codes and impossible lengths are refused with a reason", arguments: refused)
    func refusesWithReason(_ example: PhoneCase) {
        check(example)
    }

    @Test("an E.164 result reads back to itself", arguments: sharedVectors + accepted)
    func e164IsAFixedPoint(_ example: PhoneCase) throws {
        guard let e164 = example.e164 else { return }
        let number = try PhoneNumber.parseInternational(e164)
        #expect(number.e164 == e164)
        #expect(try PhoneNumber.normalize(countryCode: number.countryCode, phone: e164) == number)
        #expect(try PhoneNumber.normalize(countryCode: number.countryCode, phone: number.nationalNumber) == number)
    }

    @Test(
        "international spellings find their country code",
        arguments: [
            ("+34 600 11 22 33", "34", "600112233"), ("0034600112233", "34", "600112233"),
            ("+44 (0)7700 900123", "44", "7700900123"), ("+1 415 555 2671", "1", "4155552671"),
            ("+353 87 123 4567", "353", "871234567"), ("+7 912 345 67 89", "7", "9123456789"),
            ("+39 06 6982 1234", "39", "0669821234"), ("00 49 151 12345678", "49", "15112345678"),
            ("(+36) 06 30 123 4567", "36", "301234567"), ("+880 1712 345678", "880", "1712345678"),
        ])
    func parsesInternational(_ raw: String, _ countryCode: String, _ national: String) throws {
        let number = try PhoneNumber.parseInternational(raw)
        #expect(number.countryCode == countryCode)
        #expect(number.nationalNumber == national)
        #expect(number.e164 == "+\(countryCode)\(national)")
        #expect(number.description == number.e164)
    }

    @Test(
        "international parsing refuses numbers without a known country code",
        arguments: ["600112233", "34600112233", "+999 123456", "+0 34 600112233", "+", "", "+34 6OO 112233", "+34 12"])
    func refusesInternational(_ raw: String) {
        let error = #expect(throws: IdentifierError.self) { try PhoneNumber.parseInternational(raw) }
        #expect(error?.kind == .phone)
        #expect(error?.value == raw)
        #expect(error?.reason.isEmpty == false)
    }

    @Test("every assigned calling code is accepted, spare ones are not")
    func callingCodeTable() {
        let assigned =
            "1 20 211 212 213 216 218 220 221 222 223 224 225 226 227 228 229 230 231 232 233 234 235 236 237 238 239 "
            + "240 241 242 243 244 245 246 247 248 249 250 251 252 253 254 255 256 257 258 260 261 262 263 264 265 266 "
            + "267 268 269 27 290 291 297 298 299 30 31 32 33 34 350 351 352 353 354 355 356 357 358 359 36 370 371 "
            + "372 373 374 375 376 377 378 379 380 381 382 383 385 386 387 389 39 40 41 420 421 423 43 44 45 46 47 48 "
            + "49 500 501 502 503 504 505 506 507 508 509 51 52 53 54 55 56 57 58 590 591 592 593 594 595 596 597 598 "
            + "599 60 61 62 63 64 65 66 670 672 673 674 675 676 677 678 679 680 681 682 683 685 686 687 688 689 690 "
            + "691 692 7 800 808 81 82 84 850 852 853 855 856 86 870 878 880 881 882 883 886 888 90 91 92 93 94 95 960 "
            + "961 962 963 964 965 966 967 968 970 971 972 973 974 975 976 977 979 98 991 992 993 994 995 996 998"
        for code in assigned.split(separator: " ").map(String.init) {
            let number = try? PhoneNumber.normalize(countryCode: code, phone: "+\(code) 2345 6789")
            #expect(number?.e164 == "+\(code)23456789", "+\(code)")
        }
        for spare in ["999", "210", "259", "280", "384", "388", "422", "671", "684", "693", "801", "969", "990", "997"]
        {
            #expect(throws: IdentifierError.self, "+\(spare)") {
                try PhoneNumber.normalize(countryCode: spare, phone: "23456789")
            }
        }
    }

    @Test("spellings of one number are one value")
    func spellingsAreEqual() throws {
        let spellings = ["600 11 22 33", "+34 600 11 22 33", "0034600112233", "34600112233", "(600) 11.22.33"]
        let numbers = try Set(spellings.map { try PhoneNumber.normalize(countryCode: "34", phone: $0) })
        #expect(numbers.count == 1)
        #expect(numbers.first?.countryCode == "34")
        #expect(numbers.first?.nationalNumber == "600112233")
    }

    @Test("a refusal reads as a sentence that names what was wrong")
    func refusalSentences() {
        func error(_ countryCode: String, _ phone: String) -> IdentifierError? {
            do {
                _ = try PhoneNumber.normalize(countryCode: countryCode, phone: phone)
                return nil
            } catch {
                return error
            }
        }
        let mismatch = error("34", "+44 7700 900123")
        #expect(mismatch?.value == "+44 7700 900123")
        #expect(mismatch?.reason.contains("+44") == true && mismatch?.reason.contains("34") == true)
        #expect(mismatch?.description.hasPrefix("\"+44 7700 900123\" is not a phone number: it ") == true)
        #expect(error("34", "6OO112233")?.description == "\"6OO112233\" is not a phone number: it contains letters")
        #expect(error("", "600112233")?.description == "no country calling code was given")
        #expect(error("34", " ")?.description == "no phone number was given")
        #expect(error("999", "123456")?.description.hasPrefix("\"999\" is not a country calling code: it ") == true)
        #expect(error("34", "600\u{1B}[31m")?.description.contains("\\u{1B}") == true)
    }

    private func check(_ example: PhoneCase, sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            let number = try PhoneNumber.normalize(countryCode: example.countryCode, phone: example.phone)
            #expect(number.e164 == example.e164, "\(example.origin)", sourceLocation: sourceLocation)
            #expect(number.e164 == "+\(number.countryCode)\(number.nationalNumber)", sourceLocation: sourceLocation)
        } catch {
            #expect(example.e164 == nil, "\(example.origin): \(error)", sourceLocation: sourceLocation)
            #expect(!error.reason.isEmpty, sourceLocation: sourceLocation)
            #expect(!error.description.isEmpty, sourceLocation: sourceLocation)
            if let kind = example.kind {
                #expect(error.kind == kind, "\(example.origin): \(error)", sourceLocation: sourceLocation)
            } else {
                #expect([.phone, .countryCode].contains(error.kind), sourceLocation: sourceLocation)
                let value = error.kind == .phone ? example.phone : example.countryCode
                #expect(error.value == value, sourceLocation: sourceLocation)
            }
        }
    }
}
