/// One customer field prepared for filters: its values parsed once into the form comparisons run on.
struct IndexedField: Sendable {
    /// The field name as first written (`Name`).
    let name: String
    /// The lower-cased name fields are matched by.
    let key: String
    let type: FieldType
    let storage: Storage
    /// A number field's values as written, for the rows whose doubles tie with an operand (see `DecimalText`).
    let numberTexts: TextColumn?
    /// How many rows hold each value, for a dictionary or date field of few values (`ColumnCounts`).
    let counts: ColumnCounts?

    enum Storage: Sendable {
        case text(FoldedTextColumn)
        /// `CalendarDate.packed` per row; -1 when missing.
        case date([Int32])
        /// NaN when missing, so that every comparison but `!=` is false without a test.
        case number([Double])
        /// 0 false, 1 true, 2 missing.
        case boolean([UInt8])
    }

    static let missingDate: Int32 = -1
    static let missingBoolean: UInt8 = 2

    /// `dictionaryLimit` is how many distinct values a text column may have to be folded as a dictionary (nil: the
    /// default, a quarter of the rows).
    init(_ column: WorkingSet.Column, dictionaryLimit: Int? = nil) {
        name = column.name
        key = column.key
        type = column.type
        let values = column.values
        numberTexts = column.type == .number ? values : nil
        switch column.type {
        case .text:
            let folded = FoldedTextColumn(values, dictionaryLimit: dictionaryLimit)
            storage = .text(folded)
            counts = folded.codes?.withCodes(CodeCounter(values: folded.values.count))
        case .date:
            let dates = IndexedField.parsed(values, missing: IndexedField.missingDate, IndexedField.date)
            storage = .date(dates)
            counts = ColumnCounts(dates: dates, missing: IndexedField.missingDate)
        case .number:
            storage = .number(IndexedField.parsed(values, missing: .nan, IndexedField.number))
            counts = nil
        case .boolean:
            storage = .boolean(IndexedField.parsed(values, missing: IndexedField.missingBoolean, IndexedField.boolean))
            counts = nil
        }
    }

    /// Counts a dictionary's codes at their width.
    private struct CodeCounter: CodesReader {
        let values: Int
        func read<Code: FixedWidthInteger & UnsignedInteger>(_ codes: UnsafeBufferPointer<Code>) -> ColumnCounts? {
            ColumnCounts(codes: codes, values: values)
        }
    }

    /// Parses every value in parallel chunks, straight from the column's bytes; a value that does not parse counts
    /// as missing.
    private static func parsed<Value>(
        _ values: TextColumn, missing: Value, _ parse: (UnsafeBufferPointer<UInt8>) -> Value?
    ) -> [Value] {
        let count = values.count
        return [Value](unsafeUninitializedCapacity: count) { buffer, initialized in
            let buffer = buffer
            values.bytes.withUnsafeBufferPointer { bytes in
                values.starts.withUnsafeBufferPointer { starts in
                    RowSet.forEachChunk(count: count) { rows in
                        for row in rows {
                            let start = Int(starts[row])
                            let end = Int(starts[row + 1])
                            let value =
                                end > start
                                ? parse(UnsafeBufferPointer(rebasing: bytes[start..<end - 1])) ?? missing
                                : missing
                            (buffer.baseAddress! + row).initialize(to: value)
                        }
                    }
                }
            }
            initialized = count
        }
    }

    /// A `YYYY-MM-DD` calendar date, packed.
    static func date(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32? {
        // A birthday without a year (`--MM-DD`) is year 0: its month and day match `birthday = today`.
        if bytes.count == 7, bytes[0] == UInt8(ascii: "-"), bytes[1] == UInt8(ascii: "-"), bytes[4] == UInt8(ascii: "-")
        {
            let digits = [bytes[2], bytes[3], bytes[5], bytes[6]].map { Int($0 &- UInt8(ascii: "0")) }
            guard digits.allSatisfy({ $0 < 10 }),
                let date = CalendarDate(year: 0, month: digits[0] * 10 + digits[1], day: digits[2] * 10 + digits[3])
            else { return nil }
            return date.packed
        }
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var result = 0
            for index in range {
                let digit = bytes[index] &- UInt8(ascii: "0")
                guard digit < 10 else { return nil }
                result = result * 10 + Int(digit)
            }
            return result
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
            let date = CalendarDate(year: year, month: month, day: day)
        else { return nil }
        return date.packed
    }

    private static let powersOfTen: [Double] = (0...22).map { exponent in
        (0..<exponent).reduce(1.0) { value, _ in value * 10 }
    }

    /// A decimal number. Up to 15 significant digits it is computed as an exact integer divided by an exact power of
    /// ten, which IEEE division rounds correctly, the same value `Double(String)` gives, several times faster.
    static func number(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        var index = 0
        let negative = bytes.first == UInt8(ascii: "-")
        if negative { index = 1 }
        var mantissa: Int64 = 0
        var digits = 0
        var fractionDigits = 0
        var sawDot = false
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "."), !sawDot {
                sawDot = true
            } else {
                let digit = byte &- UInt8(ascii: "0")
                guard digit < 10, digits < 15 else { return Double(String(decoding: bytes, as: UTF8.self)) }
                mantissa = mantissa * 10 + Int64(digit)
                if mantissa != 0 { digits += 1 }
                if sawDot { fractionDigits += 1 }
            }
            index += 1
        }
        guard index > (negative ? 1 : 0), bytes.last != UInt8(ascii: "."), fractionDigits <= 22 else {
            return Double(String(decoding: bytes, as: UTF8.self))
        }
        let value = Double(mantissa) / powersOfTen[fractionDigits]
        return negative ? -value : value
    }

    /// `true` or `false`, in any case, as 1 or 0.
    static func boolean(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt8? {
        func spells(_ word: StaticString) -> Bool {
            guard bytes.count == word.utf8CodeUnitCount else { return false }
            for index in 0..<bytes.count where bytes[index] | 0x20 != word.utf8Start[index] { return false }
            return true
        }
        if spells("true") { return 1 }
        if spells("false") { return 0 }
        return nil
    }

    /// Whether `row` has a value.
    func isPresent(_ row: Int) -> Bool {
        switch storage {
        case .text(let column): return column.length(row) > 0
        case .date(let values): return values[row] >= 0
        case .number(let values): return !values[row].isNaN
        case .boolean(let values): return values[row] != IndexedField.missingBoolean
        }
    }
}
