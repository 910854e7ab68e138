/// RFC 3492 Punycode decoding, for the `xn--` labels of internationalized email domains.
///
/// `exämple.com` and `xn--exmple-cua.com` are one domain; Roster keeps email domains in their Unicode form, so the
/// ASCII-compatible spelling is decoded here and both spellings are one key.
enum Punycode {
    private static let base = 36
    private static let tMin = 1
    private static let tMax = 26
    private static let skew = 38
    private static let damp = 700
    private static let initialBias = 72
    private static let initialN = 128

    /// The Unicode text of a Punycode string (the label without its `xn--`), or nil when it is not valid Punycode.
    static func decode(_ input: Substring) -> String? {
        let bytes = Array(input.utf8)
        guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
        var output: [Unicode.Scalar] = []
        let delimiter = bytes.lastIndex(of: UInt8(ascii: "-"))
        if let delimiter {
            for byte in bytes[..<delimiter] { output.append(Unicode.Scalar(byte)) }
        }
        var index = delimiter.map { $0 + 1 } ?? 0
        var n = initialN
        var i = 0
        var bias = initialBias
        while index < bytes.count {
            let oldI = i
            var weight = 1
            var k = base
            while true {
                guard index < bytes.count, let digit = digit(bytes[index]) else { return nil }
                index += 1
                let (product, overflow) = digit.multipliedReportingOverflow(by: weight)
                guard !overflow, i <= Int(Int32.max) - product else { return nil }
                i += product
                let t = k <= bias ? tMin : (k >= bias + tMax ? tMax : k - bias)
                if digit < t { break }
                let (next, overflowWeight) = weight.multipliedReportingOverflow(by: base - t)
                guard !overflowWeight, next <= Int(Int32.max) else { return nil }
                weight = next
                k += base
            }
            bias = adapt(i - oldI, output.count + 1, first: oldI == 0)
            n += i / (output.count + 1)
            i %= output.count + 1
            guard n <= 0x10FFFF, let scalar = Unicode.Scalar(UInt32(n)), n >= 0x80 else { return nil }
            output.insert(scalar, at: i)
            i += 1
        }
        var text = ""
        text.unicodeScalars.append(contentsOf: output)
        return text
    }

    private static func digit(_ byte: UInt8) -> Int? {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"): return Int(byte - UInt8(ascii: "a"))
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): return Int(byte - UInt8(ascii: "A"))
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return Int(byte - UInt8(ascii: "0")) + 26
        default: return nil
        }
    }

    private static func adapt(_ delta: Int, _ count: Int, first: Bool) -> Int {
        var delta = first ? delta / damp : delta / 2
        delta += delta / count
        var k = 0
        while delta > ((base - tMin) * tMax) / 2 {
            delta /= base - tMin
            k += base
        }
        return k + (base - tMin + 1) * delta / (delta + skew)
    }
}
