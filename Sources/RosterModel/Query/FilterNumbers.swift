/// Exact order of decimal numbers as written, for the values a `Double` cannot tell apart.
///
/// CRMs hold 16–20 digit ids as numbers; `9007199254740993` and `9007199254740992` are one `Double`. Rounding to the
/// nearest double is monotonic, so two values with different doubles are ordered by them; only values with the same
/// double are compared here, digit by digit.
enum DecimalText {
    /// The order of two decimals written as `-?digits[.digits]`: negative, zero or positive, as `a - b`.
    static func compare(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Int {
        let left = Parts(a)
        let right = Parts(b)
        if left.isZero && right.isZero { return 0 }
        let leftSign = left.isZero ? 0 : (left.negative ? -1 : 1)
        let rightSign = right.isZero ? 0 : (right.negative ? -1 : 1)
        if leftSign != rightSign { return leftSign < rightSign ? -1 : 1 }
        let magnitude = left.compareMagnitude(right)
        return leftSign < 0 ? -magnitude : magnitude
    }

    static func compare(_ a: String, _ b: String) -> Int {
        var a = a
        var b = b
        return a.withUTF8 { a in b.withUTF8 { b in compare(a, b) } }
    }

    /// A decimal split into its sign, its integer digits without leading zeros and its fraction without trailing ones.
    private struct Parts {
        let negative: Bool
        let integer: UnsafeBufferPointer<UInt8>
        let fraction: UnsafeBufferPointer<UInt8>

        init(_ bytes: UnsafeBufferPointer<UInt8>) {
            var start = 0
            negative = bytes.first == UInt8(ascii: "-")
            if negative || bytes.first == UInt8(ascii: "+") { start = 1 }
            let dot = bytes[start...].firstIndex(of: UInt8(ascii: ".")) ?? bytes.count
            var integerStart = start
            while integerStart < dot, bytes[integerStart] == UInt8(ascii: "0") { integerStart += 1 }
            var fractionEnd = bytes.count
            while fractionEnd > dot + 1, bytes[fractionEnd - 1] == UInt8(ascii: "0") { fractionEnd -= 1 }
            integer = UnsafeBufferPointer(rebasing: bytes[integerStart..<dot])
            fraction = UnsafeBufferPointer(rebasing: bytes[min(dot + 1, fractionEnd)..<fractionEnd])
        }

        var isZero: Bool { integer.isEmpty && fraction.isEmpty }

        func compareMagnitude(_ other: Parts) -> Int {
            if integer.count != other.integer.count { return integer.count < other.integer.count ? -1 : 1 }
            for index in 0..<integer.count where integer[index] != other.integer[index] {
                return integer[index] < other.integer[index] ? -1 : 1
            }
            for index in 0..<max(fraction.count, other.fraction.count) {
                let mine = index < fraction.count ? fraction[index] : UInt8(ascii: "0")
                let theirs = index < other.fraction.count ? other.fraction[index] : UInt8(ascii: "0")
                if mine != theirs { return mine < theirs ? -1 : 1 }
            }
            return 0
        }
    }
}

extension RowPredicates {
    /// A number comparison exact to the digits written: the doubles decide, and where a row's double equals the
    /// operand's, the row's text is compared with the operand's digit by digit.
    struct ExactNumberRange: RowPredicate {
        let range: NumberRange
        let numbers: UnsafeBufferPointer<Double>
        let value: Double
        let texts: UnsafeBufferPointer<UInt8>
        let starts: UnsafeBufferPointer<UInt32>
        let operand: UnsafeBufferPointer<UInt8>
        let comparison: FilterExpression.Operator

        @inline(__always)
        func callAsFunction(_ row: Int) -> Bool {
            guard numbers[row] == value else { return range(row) }
            let start = Int(starts[row])
            let end = Int(starts[row + 1])
            let text = UnsafeBufferPointer(rebasing: texts[start..<max(start, end - 1)])
            return comparison.accepts(order: DecimalText.compare(text, operand))
        }
    }
}
