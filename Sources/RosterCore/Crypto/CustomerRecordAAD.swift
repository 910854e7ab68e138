/// The associated data of a sealed customer record, `roster/v1|customer|ID|record` as
/// `Store.customerRecordContext(_:)` spells it, rewritten in place for each row by the code that seals or opens
/// many records (the bulk import, the working-set decoder): through array appends and removals, or a `String`
/// per row id, it cost ~0.15 µs a row.
struct CustomerRecordAAD {
    private static let prefix = Array("roster/v1|customer|".utf8)
    private static let suffix = Array("|record".utf8)
    /// Room for the prefix, a sign, the 19 digits of any row id and the suffix.
    private var bytes = prefix + [UInt8](repeating: 0, count: 1 + 19 + suffix.count)
    private var count = 0

    mutating func set(rowID: Int64) {
        count = bytes.withUnsafeMutableBufferPointer { out in
            var index = Self.prefix.count
            if rowID < 0 {
                out[index] = UInt8(ascii: "-")
                index += 1
            }
            var digits = 1
            var rest = rowID.magnitude / 10
            while rest > 0 {
                digits += 1
                rest /= 10
            }
            rest = rowID.magnitude
            for position in stride(from: index + digits - 1, through: index, by: -1) {
                out[position] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
            }
            index += digits
            for byte in Self.suffix {
                out[index] = byte
                index += 1
            }
            return index
        }
    }

    func withUnsafeBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try bytes.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[..<count])) }
    }
}
