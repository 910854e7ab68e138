/// A phone number of the SMS channel in E.164 (`+34600112233`), however it was written.
public struct PhoneNumber: Hashable, Sendable, CustomStringConvertible {
    /// E.164 allows at most 15 digits, country code included.
    static let maximumDigits = 15
    /// Fewer national digits than this cannot reach a subscriber anywhere.
    static let minimumNationalDigits = 4

    /// The number in E.164: `+`, the country calling code, the national number (`"+34600112233"`).
    public let e164: String
    /// The country calling code, digits only (`"34"`).
    public let countryCode: String

    /// The national significant number: the digits after the country code (`"600112233"`).
    public var nationalNumber: String { String(e164.dropFirst(1 + countryCode.utf8.count)) }

    /// The E.164 form.
    public var description: String { e164 }

    private init(code: CallingCode, national: PhoneDigits) {
        countryCode = code.digits
        e164 = String(unsafeUninitializedCapacity: 1 + code.digits.utf8.count + national.count) { buffer in
            buffer[0] = UInt8(ascii: "+")
            var written = 1
            for byte in code.digits.utf8 {
                buffer[written] = byte
                written += 1
            }
            for offset in 0..<national.count {
                buffer[written] = UInt8(truncatingIfNeeded: national[offset]) &+ 0x30
                written += 1
            }
            return written
        }
    }

    /// Normalizes a phone written in any national or international habit, given its country calling code.
    ///
    /// `countryCode` may be written `34`, `+34` or `0034`. The phone may carry spaces, dots, dashes and
    /// brackets, repeat the country code as `+34` or `0034`, carry a trunk prefix (`07700`, `8 912`, `06 30`),
    /// the `+44 (0)7700` habit, or have lost its leading `+` (`34600112233`).
    public static func normalize(countryCode: String, phone: String) throws(IdentifierError) -> PhoneNumber {
        let code = try parseCountryCode(countryCode)
        var scan = try scan(phone)
        var digits = scan.digits
        func refuse(_ reason: String) -> IdentifierError { IdentifierError(kind: .phone, value: phone, reason: reason) }
        if scan.startsInternationally || digits.hasPrefix(DigitPrefix.international) {
            if !scan.startsInternationally { digits.removeFirst(2) }
            guard let written = leadingCode(of: digits) else {
                throw refuse(unknownCodeReason(digits, mark: scan.internationalMark))
            }
            guard written.value == code.value else {
                throw refuse("has country code +\(written.digits), which differs from countryCode \(code.digits)")
            }
            digits.removeFirst(written.digits.utf8.count)
        } else if lostItsPlus(digits, code: code) {
            digits.removeFirst(code.digits.utf8.count)
        }
        scan.digits = digits
        return try national(scan, code: code, phone: phone)
    }

    /// Normalizes a phone written internationally (`+34 600 11 22 33`, `0034600112233`), finding its country code.
    public static func parseInternational(_ raw: String) throws(IdentifierError) -> PhoneNumber {
        var scan = try scan(raw)
        func refuse(_ reason: String) -> IdentifierError { IdentifierError(kind: .phone, value: raw, reason: reason) }
        if !scan.startsInternationally {
            guard scan.digits.hasPrefix(DigitPrefix.international) else {
                throw refuse("does not start with + or 00 and a country calling code")
            }
            scan.digits.removeFirst(2)
        }
        guard let code = leadingCode(of: scan.digits) else {
            throw refuse(unknownCodeReason(scan.digits, mark: scan.internationalMark))
        }
        scan.digits.removeFirst(code.digits.utf8.count)
        return try national(scan, code: code, phone: raw)
    }

    /// Why the digits after `+` or `00` name no country.
    static func unknownCodeReason(_ digits: PhoneDigits, mark: String) -> String {
        if digits.count == 0 { return "has no country calling code after \(mark)" }
        if digits[0] == 0 { return "has a 0 after \(mark), where a country calling code should start" }
        return "starts with \(mark)\(digits.leading(3)), which is not a country calling code"
    }

    /// The country calling code that the digits start with; codes are prefix-free, so at most one matches.
    static func leadingCode(of digits: PhoneDigits) -> CallingCode? {
        guard digits.count > 0, digits[0] != 0 else { return nil }
        for length in stride(from: min(3, digits.count), through: 1, by: -1) {
            if let code = CallingCodes.code(digits.leadingValue(length)) { return code }
        }
        return nil
    }

    /// Whether digits starting with the code are the international number without its `+`: only when they
    /// are too long to be a national number and what follows the code has a national number's length.
    static func lostItsPlus(_ digits: PhoneDigits, code: CallingCode) -> Bool {
        let lengths = code.nationalLengths ?? CallingCodes.fallbackNationalLengths
        let codeLength = code.digits.utf8.count
        guard digits.count > lengths.upperBound, digits.leadingValue(codeLength) == code.value else { return false }
        var rest = digits
        rest.removeFirst(codeLength)
        if lengths.contains(rest.count) { return true }
        return code.trunkPrefixes.contains { rest.hasPrefix($0) && lengths.contains(rest.count - $0.length) }
    }

    /// Finishes a number whose country code is settled: drops "(0)" and the trunk prefix, checks lengths.
    private static func national(_ scan: PhoneScan, code: CallingCode, phone: String) throws(IdentifierError)
        -> PhoneNumber
    {
        func refuse(_ reason: String) -> IdentifierError { IdentifierError(kind: .phone, value: phone, reason: reason) }
        var digits = scan.digits
        if scan.bracketedZero == digits.start, !code.keepsLeadingZero {
            digits.removeFirst(1)
        }
        let lengths = code.nationalLengths ?? CallingCodes.fallbackNationalLengths
        for prefix in code.trunkPrefixes where digits.count > prefix.length && digits.hasPrefix(prefix) {
            let trimmed = digits.count - prefix.length
            if prefix.startsWithZero || (!lengths.contains(digits.count) && lengths.contains(trimmed)) {
                digits.removeFirst(prefix.length)
                break
            }
        }
        if scan.overflowed {
            throw refuse("has more digits than any phone number; E.164 allows \(maximumDigits) with the country code")
        }
        let total = code.digits.utf8.count + digits.count
        if total > maximumDigits {
            throw refuse("has \(total) digits with its country code +\(code.digits); E.164 allows \(maximumDigits)")
        }
        if digits.count < minimumNationalDigits {
            let written =
                digits.count == 0 ? "no digits" : digits.count == 1 ? "only 1 digit" : "only \(digits.count) digits"
            throw refuse("has \(written) after +\(code.digits); a phone number has at least \(minimumNationalDigits)")
        }
        if digits[0] == 0, code.trunkPrefixes.contains(where: \.startsWithZero) {
            throw refuse("has too many leading zeros for a +\(code.digits) number")
        }
        return PhoneNumber(code: code, national: digits)
    }

    /// Reads `34`, `+34`, `0034` or `+ 34` into an assigned calling code.
    package static func parseCountryCode(_ raw: String) throws(IdentifierError) -> CallingCode {
        func refuse(_ reason: String) -> IdentifierError {
            IdentifierError(kind: .countryCode, value: raw, reason: reason)
        }
        // Nearly every row writes the code as plain digits: look it up without scanning.
        var value = 0
        var length = 0
        for byte in raw.utf8 {
            guard byte &- UInt8(ascii: "0") < 10, length < 3 else {
                length = 0
                break
            }
            value = value * 10 + Int(byte &- UInt8(ascii: "0"))
            length += 1
        }
        if length > 0, raw.utf8.first != UInt8(ascii: "0"), let code = CallingCodes.code(value) { return code }

        var text = raw
        // A spreadsheet that stored the code as a number may write it back as "34.0".
        if text.utf8.count > 2, text.utf8.last == UInt8(ascii: "0"), text.utf8.dropLast().last == UInt8(ascii: ".") {
            text.removeLast(2)
        }
        let result = text.withUTF8 { PhoneScan(bytes: $0) }
        if let problem = result.problem { throw refuse(text.withUTF8 { problem.reason(in: $0) }) }
        var digits = result.digits
        if !result.startsInternationally, digits.hasPrefix(DigitPrefix.international) { digits.removeFirst(2) }
        guard digits.count > 0 else { throw refuse("is empty") }
        guard digits.count <= 3 else { throw refuse("has more digits than a country calling code (at most 3)") }
        guard digits[0] != 0, let code = CallingCodes.code(digits.leadingValue(digits.count)) else {
            throw refuse("is not assigned to any country")
        }
        return code
    }

    private static func scan(_ phone: String) throws(IdentifierError) -> PhoneScan {
        var text = phone
        let result = text.withUTF8 { PhoneScan(bytes: $0) }
        if let problem = result.problem {
            throw IdentifierError(kind: .phone, value: phone, reason: text.withUTF8 { problem.reason(in: $0) })
        }
        if result.digits.count == 0 && !result.overflowed {
            throw IdentifierError(kind: .phone, value: phone, reason: result.sawSymbols ? "has no digits" : "is empty")
        }
        return result
    }
}

/// One pass over a phone as written, on its UTF-8 bytes: the digits and the marks that matter.
struct PhoneScan {
    /// The digits in order, separators left out.
    var digits = PhoneDigits()
    /// Whether the number starts with `+` (possibly after spaces or a bracket).
    var startsInternationally = false
    /// Where in `digits` a zero written as "(0)" sits, if one was.
    var bracketedZero: Int?
    /// Whether there were more digits than any phone number can have.
    var overflowed = false
    /// Whether anything besides digits and spaces was written (dots, dashes, brackets, `+`).
    var sawSymbols = false
    /// Why the text cannot be a phone number, when it cannot.
    var problem: Problem?

    /// What makes a text no phone number; kept free of strings so that scanning allocates nothing.
    enum Problem {
        case letters
        case controlCharacter
        case misplacedPlus
        case symbol(UInt8)
        /// A non-ASCII character that is no separator or digit, at this byte offset.
        case foreign(Int)

        /// The reason in words, given the bytes that were scanned.
        func reason(in bytes: UnsafeBufferPointer<UInt8>) -> String {
            switch self {
            case .letters: "contains letters"
            case .controlCharacter: "contains a control character"
            case .misplacedPlus: "has a + that is not at its start"
            case .symbol(let byte):
                "contains \"\(Character(Unicode.Scalar(byte)))\", which has no place in a phone number"
            case .foreign(let index): PhoneScan.reason(forForeign: bytes, at: index)
            }
        }
    }

    /// How the number announced its country code: `+` or `00`.
    var internationalMark: String { startsInternationally ? "+" : "00" }

    init(bytes: UnsafeBufferPointer<UInt8>) {
        var index = 0
        var bracketOpenedAt: Int?
        var lastDigit: UInt8 = 0
        while index < bytes.count {
            var byte = bytes[index]
            var width = 1
            if byte >= 0x80 {
                guard let (ascii, length) = Self.asciiEquivalent(bytes, at: index) else {
                    problem = .foreign(index)
                    return
                }
                byte = ascii
                width = length
            }
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                lastDigit = byte &- 0x30
                if !digits.append(lastDigit) { overflowed = true }
            case 0x09...0x0D, UInt8(ascii: " "):
                break
            case UInt8(ascii: "."), UInt8(ascii: "-"):
                sawSymbols = true
            case UInt8(ascii: "("), UInt8(ascii: "["):
                sawSymbols = true
                bracketOpenedAt = digits.end
            case UInt8(ascii: ")"), UInt8(ascii: "]"):
                sawSymbols = true
                if let opened = bracketOpenedAt, digits.end == opened + 1, lastDigit == 0, !overflowed {
                    bracketedZero = opened
                }
                bracketOpenedAt = nil
            case UInt8(ascii: "+"):
                sawSymbols = true
                guard !startsInternationally, digits.count == 0, !overflowed else {
                    problem = .misplacedPlus
                    return
                }
                startsInternationally = true
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"):
                problem = .letters
                return
            case 0x00..<0x20, 0x7F:
                problem = .controlCharacter
                return
            default:
                problem = .symbol(byte)
                return
            }
            index += width
        }
    }

    /// The ASCII meaning of a non-ASCII separator or digit that spreadsheets and phones produce: no-break
    /// and other Unicode spaces, Unicode dashes, full-width forms (Japan), Arabic-Indic digits.
    static func asciiEquivalent(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> (UInt8, Int)? {
        let lead = bytes[index]
        guard index + 1 < bytes.count else { return nil }
        let second = bytes[index + 1]
        switch (lead, second) {
        case (0xC2, 0xA0): return (UInt8(ascii: " "), 2)
        case (0xD9, 0xA0...0xA9): return (second - 0xA0 + 0x30, 2)  // U+0660...U+0669
        case (0xDB, 0xB0...0xB9): return (second - 0xB0 + 0x30, 2)  // U+06F0...U+06F9
        default: break
        }
        guard index + 2 < bytes.count else { return nil }
        let third = bytes[index + 2]
        switch (lead, second, third) {
        case (0xE2, 0x80, 0x80...0x8B), (0xE2, 0x80, 0xAF), (0xE2, 0x81, 0x9F), (0xE2, 0x81, 0xA0),
            (0xE3, 0x80, 0x80), (0xEF, 0xBB, 0xBF):
            return (UInt8(ascii: " "), 3)
        case (0xE2, 0x80, 0x90...0x95), (0xE2, 0x88, 0x92), (0xEF, 0xBC, 0x8D):
            return (UInt8(ascii: "-"), 3)
        case (0xEF, 0xBC, 0x90...0x99): return (third - 0x90 + 0x30, 3)  // U+FF10...U+FF19
        case (0xEF, 0xBC, 0x8B): return (UInt8(ascii: "+"), 3)
        case (0xEF, 0xBC, 0x88): return (UInt8(ascii: "("), 3)
        case (0xEF, 0xBC, 0x89): return (UInt8(ascii: ")"), 3)
        case (0xEF, 0xBC, 0x8E): return (UInt8(ascii: "."), 3)
        default: return nil
        }
    }

    /// Why a non-ASCII character that is no separator or digit is refused.
    static func reason(forForeign bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> String {
        let lead = bytes[index]
        let width = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2
        let text = String(
            decoding: UnsafeBufferPointer(rebasing: bytes[index..<min(index + width, bytes.count)]), as: UTF8.self)
        guard let scalar = text.unicodeScalars.first else { return "contains a character that is not text" }
        if scalar.properties.isAlphabetic { return "contains letters" }
        switch scalar.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator, .privateUse, .surrogate, .unassigned:
            return "contains an invisible character (U+\(String(scalar.value, radix: 16, uppercase: true)))"
        default:
            return "contains \"\(text)\", which has no place in a phone number"
        }
    }
}

/// Up to 32 decimal digits packed four bits each, so reading a phone number allocates nothing.
struct PhoneDigits: Sendable {
    /// More digits than a phone number with every prefix it may carry (00, a code, a trunk prefix, "(0)").
    static let capacity = 32

    private var low: UInt64 = 0
    private var high: UInt64 = 0
    /// Storage position of the first digit still in the number.
    private(set) var start = 0
    /// Storage position after the last digit.
    private(set) var end = 0

    var count: Int { end - start }

    /// The digit `offset` places after the first one.
    subscript(offset: Int) -> Int {
        let position = start + offset
        let word = position < 16 ? low : high
        return Int(truncatingIfNeeded: (word >> UInt64((position & 15) * 4)) & 0xF)
    }

    /// Appends a digit 0...9, or returns false when the storage is full.
    mutating func append(_ digit: UInt8) -> Bool {
        guard end < Self.capacity else { return false }
        let shifted = UInt64(digit) << UInt64((end & 15) * 4)
        if end < 16 { low |= shifted } else { high |= shifted }
        end += 1
        return true
    }

    mutating func removeFirst(_ length: Int) {
        start = min(start + length, end)
    }

    /// The first `length` digits read as a number: 6 for "06...".
    func leadingValue(_ length: Int) -> Int {
        var value = 0
        for offset in 0..<min(length, count) { value = value * 10 + self[offset] }
        return value
    }

    func hasPrefix(_ prefix: DigitPrefix) -> Bool {
        count >= prefix.length && leadingValue(prefix.length) == prefix.value
    }

    /// Up to `length` leading digits as text, for messages.
    func leading(_ length: Int) -> String {
        String((0..<min(length, count)).map { Character(Unicode.Scalar(UInt8(self[$0]) + 0x30)) })
    }
}
