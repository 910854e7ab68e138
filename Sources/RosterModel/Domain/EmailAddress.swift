import Foundation

/// The email channel's address, normalized so that one address is one key: trimmed, lower-cased, checked, its
/// domain in Unicode form (`xn--exmple-cua.com` is kept as `exämple.com`).
public enum EmailAddress {
    /// The longest address SMTP can carry (RFC 5321: a 256-octet path less its angle brackets).
    static let maximumLength = 254
    /// The longest local part SMTP can carry (RFC 5321).
    static let maximumLocalLength = 64
    /// The longest domain label DNS can carry.
    static let maximumLabelLength = 63

    /// Trims, lower-cases (ASCII fast path; full Unicode lowercasing only when non-ASCII bytes occur), validates.
    public static func normalize(_ raw: String) throws(IdentifierError) -> String {
        var text = raw
        switch text.withUTF8({ normalized($0) }) {
        case .address(let address): return address
        case .refused(let reason): throw IdentifierError(kind: .email, value: raw, reason: reason)
        }
    }

    private enum Outcome {
        case address(String)
        case refused(String)
    }

    private static func normalized(_ bytes: UnsafeBufferPointer<UInt8>) -> Outcome {
        var lower = 0
        var upper = bytes.count
        while lower < upper, let width = spaceWidth(bytes, startingAt: lower) { lower += width }
        while upper > lower, let width = spaceWidth(bytes, endingAt: upper) { upper -= width }
        if lower == upper { return .refused("is empty") }

        var at = -1
        var atCount = 0
        var isASCII = true
        for index in lower..<upper {
            switch bytes[index] {
            case UInt8(ascii: "@"):
                atCount += 1
                if at < 0 { at = index }
            case UInt8(ascii: " "), UInt8(ascii: "\t"): return .refused("contains a space")
            case 0x00..<0x20, 0x7F: return .refused("contains a control character")
            case 0x80...: isASCII = false
            default: break
            }
        }
        if atCount == 0 { return .refused("has no @") }
        if atCount > 1 { return .refused("has more than one @") }
        if at == lower { return .refused("has nothing before the @") }
        if at == upper - 1 { return .refused("has no domain") }
        if at - lower > maximumLocalLength {
            return .refused("has more than \(maximumLocalLength) characters before the @")
        }
        if bytes[lower] == UInt8(ascii: ".") { return .refused("starts with a dot, which no mailbox does") }
        for index in lower..<at where !isLocalByte(bytes[index]) {
            return .refused(
                "contains \"\(Character(Unicode.Scalar(bytes[index])))\", which an email address cannot hold")
        }
        if let refusal = domainRefusal(UnsafeBufferPointer(rebasing: bytes[(at + 1)..<upper])) {
            return .refused(refusal)
        }

        let trimmed = UnsafeBufferPointer(rebasing: bytes[lower..<upper])
        var address = isASCII ? lowercasedASCII(trimmed) : lowercasedUnicode(trimmed)
        guard case .address(var text) = address else { return address }
        if text.contains("xn--") {
            address = unicodeDomain(text)
            guard case .address(let decoded) = address else { return address }
            text = decoded
        }
        if text.utf8.count > maximumLength {
            return .refused("is longer than the \(maximumLength) characters an email address may have")
        }
        return address
    }

    /// Why the part after the @ is no mail domain, or nil when it is one.
    private static func domainRefusal(_ domain: UnsafeBufferPointer<UInt8>) -> String? {
        if domain.first == UInt8(ascii: ".") { return "has a domain that starts with a dot" }
        if domain.last == UInt8(ascii: ".") { return "has a domain that ends with a dot" }
        var labelStart = 0
        var hasDot = false
        for index in 0...domain.count {
            let byte = index < domain.count ? domain[index] : UInt8(ascii: ".")
            switch byte {
            case UInt8(ascii: "."):
                if index == labelStart { return "has two dots in a row in its domain" }
                if index - labelStart > maximumLabelLength {
                    return "has a domain label longer than \(maximumLabelLength) characters"
                }
                if domain[labelStart] == UInt8(ascii: "-") || domain[index - 1] == UInt8(ascii: "-") {
                    return "has a domain label that starts or ends with a hyphen"
                }
                if index < domain.count { hasDot = true }
                labelStart = index + 1
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), 0x80...:
                break
            default:
                return "has \"\(Character(Unicode.Scalar(byte)))\" in its domain, "
                    + "which may hold only letters, digits, hyphens and dots"
            }
        }
        return hasDot ? nil : "has no dot in its domain"
    }

    /// The address with its domain's `xn--` (IDNA ASCII-compatible) labels decoded to Unicode, lower-cased and
    /// composed: one domain has one spelling, whichever the file used.
    private static func unicodeDomain(_ address: String) -> Outcome {
        guard let at = address.lastIndex(of: "@") else { return .address(address) }
        let domain = address[address.index(after: at)...]
        var labels: [String] = []
        for label in domain.split(separator: ".", omittingEmptySubsequences: false) {
            guard label.hasPrefix("xn--") else {
                labels.append(String(label))
                continue
            }
            guard let decoded = Punycode.decode(label.dropFirst(4)), !decoded.isEmpty,
                decoded.unicodeScalars.allSatisfy({
                    !$0.properties.isWhitespace && $0.properties.generalCategory != .control && $0 != "." && $0 != "@"
                })
            else { return .refused("has a domain label \"\(label)\" that is not valid IDNA (xn--…)") }
            labels.append(decoded.lowercased().precomposedStringWithCanonicalMapping)
        }
        return .address(String(address[...at]) + labels.joined(separator: "."))
    }

    /// Letters, digits and the symbols RFC 5322 allows unquoted before the @, dots included, and non-ASCII
    /// (RFC 6531). Dot placement is not checked: real mailboxes such as `taro..yamada.@docomo.ne.jp` exist.
    private static func isLocalByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), 0x80...:
            return true
        case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"),
            UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "/"),
            UInt8(ascii: "="), UInt8(ascii: "?"), UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "`"),
            UInt8(ascii: "{"), UInt8(ascii: "|"), UInt8(ascii: "}"), UInt8(ascii: "~"), UInt8(ascii: "."):
            return true
        default:
            return false
        }
    }

    private static func lowercasedASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Outcome {
        .address(
            String(unsafeUninitializedCapacity: bytes.count) { buffer in
                for index in 0..<bytes.count {
                    let byte = bytes[index]
                    buffer[index] = byte &- UInt8(ascii: "A") < 26 ? byte | 0x20 : byte
                }
                return bytes.count
            })
    }

    /// Lower-cases with Unicode's rules and composes (NFC), so `José` typed on any keyboard is one key.
    private static func lowercasedUnicode(_ bytes: UnsafeBufferPointer<UInt8>) -> Outcome {
        let text = String(decoding: bytes, as: UTF8.self)
        for scalar in text.unicodeScalars where !scalar.isASCII {
            if scalar.properties.isWhitespace { return .refused("contains a space") }
            switch scalar.properties.generalCategory {
            case .control, .format, .lineSeparator, .paragraphSeparator, .privateUse, .surrogate, .unassigned:
                let code = String(scalar.value, radix: 16, uppercase: true)
                return .refused("contains an invisible character (U+\(code))")
            default: break
            }
        }
        return .address(text.lowercased().precomposedStringWithCanonicalMapping)
    }

    /// The width of an ASCII or Unicode space (no-break, thin, ideographic, zero-width, BOM) at `index`.
    private static func spaceWidth(_ bytes: UnsafeBufferPointer<UInt8>, startingAt index: Int) -> Int? {
        switch bytes[index] {
        case 0x09...0x0D, 0x20: return 1
        case 0xC2 where index + 1 < bytes.count: return bytes[index + 1] == 0xA0 ? 2 : nil
        case 0xE2, 0xE3, 0xEF:
            guard index + 2 < bytes.count else { return nil }
            return isWideSpace(bytes[index], bytes[index + 1], bytes[index + 2]) ? 3 : nil
        default: return nil
        }
    }

    /// The width of a space that ends just before `end`.
    private static func spaceWidth(_ bytes: UnsafeBufferPointer<UInt8>, endingAt end: Int) -> Int? {
        let last = bytes[end - 1]
        if last == 0x20 || (0x09...0x0D).contains(last) { return 1 }
        if end >= 2, bytes[end - 2] == 0xC2, last == 0xA0 { return 2 }
        if end >= 3, isWideSpace(bytes[end - 3], bytes[end - 2], last) { return 3 }
        return nil
    }

    /// U+2000...U+200B, U+202F, U+205F, U+3000 and U+FEFF in UTF-8.
    private static func isWideSpace(_ first: UInt8, _ second: UInt8, _ third: UInt8) -> Bool {
        switch (first, second, third) {
        case (0xE2, 0x80, 0x80...0x8B), (0xE2, 0x80, 0xAF), (0xE2, 0x81, 0x9F), (0xE3, 0x80, 0x80),
            (0xEF, 0xBB, 0xBF):
            return true
        default:
            return false
        }
    }
}
