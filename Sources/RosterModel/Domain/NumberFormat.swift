/// How one number column writes its numbers: a decimal point or a decimal comma, with or without thousands
/// separators (`1,234.5`, `1.234,5`, `1 234,5`, `1'234.5`).
///
/// Values are stored as exact decimal strings (`1234.5`): digits as written, a `.` for the decimal separator, no
/// grouping and no `+`. They never pass through a binary floating-point number on the way in.
public struct NumberColumnFormat: Sendable, Equatable {
    public var decimalComma: Bool

    package init(decimalComma: Bool) { self.decimalComma = decimalComma }

    public var description: String { decimalComma ? "decimal comma (1.234,5)" : "decimal point (1,234.5)" }

    /// The stored form of a cell, or the reason it is refused.
    func stored(_ value: String, field: String) -> Result<String, RowRejection> {
        if let plain = NumberColumnFormat.plain(value) { return .success(plain) }
        guard let canonical = NumberColumnFormat.canonical(value, decimalComma: decimalComma) else {
            return .failure(
                RowRejection(
                    "\"\(value)\" is not a number written with a \(decimalComma ? "decimal comma" : "decimal point"), "
                        + "the type of field \(field)"))
        }
        return .success(canonical)
    }

    /// The value itself when it is already `-?digits[.digits]` (the usual cell: no copy).
    private static func plain(_ value: String) -> String? {
        let isPlain = value.withUTF8Bytes { bytes -> Bool in
            var sawDigit = false
            var sawDot = false
            for (offset, byte) in bytes.enumerated() {
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): sawDigit = true
                case UInt8(ascii: "-") where offset == 0: continue
                case UInt8(ascii: "."):
                    guard sawDigit, !sawDot else { return false }
                    sawDot = true
                default: return false
                }
            }
            return sawDigit && bytes.last != UInt8(ascii: ".")
        }
        return isPlain ? value : nil
    }

    /// `value` as an exact decimal string, reading `decimalComma` for its separator; nil when it is not a number
    /// written that way. Thousands separators (the other of `.` and `,`, a space, a no-break space or `'`) must
    /// group the integer part by threes.
    package static func canonical(_ value: String, decimalComma: Bool) -> String? {
        var scalars = Substring(value).unicodeScalars[...]
        var sign = ""
        if let first = scalars.first, first == "-" || first == "+" {
            if first == "-" { sign = "-" }
            scalars = scalars.dropFirst()
        }
        let decimal: Unicode.Scalar = decimalComma ? "," : "."
        let grouping: Set<Unicode.Scalar> = [decimalComma ? "." : ",", " ", "\u{00A0}", "\u{202F}", "'"]
        var integer = ""
        var fraction: String?
        var groups: [Int] = [0]
        var separator: Unicode.Scalar?
        for scalar in scalars {
            if scalar.properties.numericType == .decimal, scalar.isASCII {
                if fraction != nil {
                    fraction!.unicodeScalars.append(scalar)
                } else {
                    integer.unicodeScalars.append(scalar)
                    groups[groups.count - 1] += 1
                }
            } else if scalar == decimal, fraction == nil {
                fraction = ""
            } else if grouping.contains(scalar), fraction == nil, separator == nil || separator == scalar {
                separator = scalar
                groups.append(0)
            } else {
                return nil
            }
        }
        guard !integer.isEmpty else { return nil }
        if groups.count > 1 {
            guard (1...3).contains(groups[0]), groups.dropFirst().allSatisfy({ $0 == 3 }) else { return nil }
        }
        if let fraction {
            guard !fraction.isEmpty else { return nil }
            return sign + integer + "." + fraction
        }
        return sign + integer
    }

    /// Whether a cell's integer part starts with a zero that is not the only digit (`01234`): an identifier such as
    /// a postcode, kept as text.
    package static func hasLeadingZero(_ value: String) -> Bool {
        let digits = value.utf8.drop(while: { $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "+") })
        guard digits.count > 1, digits.first == UInt8(ascii: "0") else { return false }
        let next = digits.dropFirst().first
        return next != UInt8(ascii: ".") && next != UInt8(ascii: ",")
    }
}
