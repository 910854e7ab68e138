/// How the cells of one field are read from a file into the stored form of the field's type: dates in the column's
/// forms and day/month order to `YYYY-MM-DD` (or `--MM-DD`), numbers with the column's decimal separator to an exact
/// decimal string.
package struct FieldReading: Sendable {
    package let type: FieldType
    package var date: DateColumnFormat?
    package var number: NumberColumnFormat?
    /// The field's name as the file writes it (for a long file's fields, whose names are in its rows).
    package var name: String?
    /// Whether yes/no, 1/0, on/off are read as booleans too (a retype from text; an import reads true/false).
    var booleans = false

    package init(type: FieldType, booleans: Bool) {
        self.type = type
        self.booleans = booleans
    }

    package init(type: FieldType, date: DateColumnFormat? = nil, number: NumberColumnFormat? = nil, name: String? = nil)
    {
        self.type = type
        self.name = name
        self.date = date
        self.number = number
    }

    /// The stored value; nil for a cell that means "no date" (Outlook's `0/0/00`); or why the row is refused.
    package func read(_ value: String, field: String) -> Result<String?, RowRejection> {
        switch type {
        case .text:
            return .success(value)
        case .boolean:
            if booleans, let flag = Flag.parse(value) { return .success(flag ? "true" : "false") }
            guard FieldType.boolean.accepts(value) else { return .failure(mismatch(value, field)) }
            return .success(value.lowercased())
        case .date:
            if FieldType.parseDate(value) != nil { return .success(value) }  // ISO, the usual cell: no copy
            if FieldReading.isZeroDate(value) { return .success(nil) }
            let format = date ?? DateColumnFormat(order: nil, serials: false)
            return format.stored(value, field: field).map { Optional($0) }
        case .number:
            return (number ?? NumberColumnFormat(decimalComma: false)).stored(value, field: field).map { Optional($0) }
        }
    }

    private func mismatch(_ value: String, _ field: String) -> RowRejection {
        RowRejection("\"\(value)\" is not \(type.phrase), the type of field \(field)")
    }

    /// `0/0/00`, `00.00.0000`: how Outlook and some spreadsheets write an empty date.
    package static func isZeroDate(_ value: String) -> Bool {
        var sawZero = false
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "0"): sawZero = true
            case UInt8(ascii: "/"), UInt8(ascii: "."), UInt8(ascii: "-"): continue
            default: return false
            }
        }
        return sawZero && value.utf8.count > 1
    }
}
