/// A bound on how deep a JSON line may nest, checked before any parser recurses into it.
///
/// Roster's own export nests three levels (a customer, its fields or devices, one field or device); a line
/// that nests past `maximum` is not an export and is refused with the byte where it went too deep.
enum JSONDepth {
    static let maximum = 16

    /// The 1-based byte offset in `bytes` of the `{` or `[` that opens level `maximum + 1`, if any.
    static func offsetPastLimit(_ bytes: [UInt8]) -> Int? {
        var depth = 0
        var inString = false
        var escaped = false
        for (offset, byte) in bytes.enumerated() {
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
                if depth > maximum { return offset + 1 }
            case UInt8(ascii: "}"), UInt8(ascii: "]"): depth -= 1
            default: break
            }
        }
        return nil
    }

    /// The rejection of a line that nests too deep, naming the byte.
    static func rejection(at offset: Int) -> String {
        "it nests objects and arrays more than \(maximum) levels deep (at byte \(offset)); a Roster export nests 3"
    }
}
