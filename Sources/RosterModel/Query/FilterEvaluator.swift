#if canImport(Darwin)
    import Darwin
#elseif canImport(Glibc)
    import Glibc
#endif

/// Runs a parsed filter over a `FilterIndex`: checks each condition against the fields, then computes it as a bitset.
struct FilterEvaluator {
    let index: FilterIndex
    let context: FilterContext

    /// The fields a comparison can name besides the customer fields.
    static let builtInFields = ["email", "phone", "crmId", "externalCode"]

    /// The rows `expression` selects.
    func rows(_ expression: FilterExpression) throws(FilterError) -> RowSet {
        switch expression {
        case .and(let left, let right):
            var rows = try rows(left)
            rows.formIntersection(try self.rows(right))
            return rows
        case .or(let left, let right):
            var rows = try rows(left)
            rows.formUnion(try self.rows(right))
            return rows
        case .not(let inner):
            var rows = try rows(inner)
            rows.invert()
            return rows
        case .has(let name):
            return try has(name)
        case .consent(let channel):
            switch channel {
            case .email: return index.consentEmail
            case .sms: return index.consentSMS
            case .push: return index.consentPush
            }
        case .birthdayToday(let position):
            return try birthdayToday(at: position)
        case .comparison(let comparison):
            return try rows(comparison)
        case .segment(let reference):
            do {
                return try rows(reference.expression)
            } catch {
                throw reference.error(error)
            }
        }
    }

    private func has(_ name: FilterExpression.Name) throws(FilterError) -> RowSet {
        switch name.text.lowercased() {
        case "email": return index.hasEmail
        case "sms", "phone": return index.hasSMS
        case "push": return index.hasPush
        case "crmid", "externalcode": return RowSet(count: index.count, filled: true)
        default:
            guard let field = index.field(named: name.text) else {
                let fields = fieldList(near: name.text)
                throw FilterError(
                    "unknown channel or field \"\(name.text)\" (channels: email, sms, push; \(fields))",
                    at: name.position)
            }
            return RowSet.matching(count: index.count) { field.isPresent($0) }
        }
    }

    private func birthdayToday(at position: FilterPosition) throws(FilterError) -> RowSet {
        guard let field = index.field(named: "birthdate") else {
            throw FilterError(
                "birthday = today needs a date field named birthdate (\(fieldList(near: "birthdate")))", at: position)
        }
        guard case .date(let dates) = field.storage else {
            throw FilterError(
                "birthday = today needs birthdate to be a date field; it is a \(field.type.rawValue) field",
                at: position)
        }
        let rule = BirthdayRule(today: context.today, leapDayRule: context.leapDayRule)
        return dates.withUnsafeBufferPointer { dates in
            RowSet.matching(
                count: index.count,
                RowPredicates.MonthDay(dates: dates, first: rule.monthDays[0], second: rule.monthDays.last!))
        }
    }

    private func rows(_ comparison: FilterExpression.Comparison) throws(FilterError) -> RowSet {
        if let part = comparison.datePart { return try datePartRows(part, comparison) }
        let name = comparison.field.text
        switch name.lowercased() {
        case "email": return textRows(index.emails, comparison)
        case "phone": return textRows(index.phones, comparison)
        case "crmid": return textRows(index.crmIds, comparison)
        case "externalcode": return textRows(index.externalCodeColumn, comparison)
        default: break
        }
        guard let field = index.field(named: name) else {
            throw FilterError("unknown field \"\(name)\" (\(fieldList(near: name)))", at: comparison.field.position)
        }
        if comparison.comparison == .contains, field.type != .text {
            throw FilterError(
                "'~' applies to text fields; \"\(field.name)\" is a \(field.type.rawValue) field",
                at: comparison.operatorPosition)
        }
        let value = comparison.value
        func mismatch() -> FilterError {
            let isToday = field.type == .date && value.text.lowercased() == "today"
            let hint = isToday ? " (for birthdays, write birthday = today)" : ""
            return FilterError(
                "expected \(field.type.phrase) for field \"\(field.name)\", found \"\(value.text)\"\(hint)",
                at: value.position)
        }
        switch field.storage {
        case .text(let column):
            return textRows(column, comparison)
        case .date(let dates):
            guard let date = CalendarDate(value.text) else { throw mismatch() }
            return dateRows(dates, comparison.comparison, date.packed)
        case .number(let numbers):
            var text = value.text
            guard FieldType.number.accepts(text), let number = text.withUTF8(IndexedField.number) else {
                throw mismatch()
            }
            return numberRows(numbers, field.numberTexts, comparison.comparison, number, written: text)
        case .boolean(let booleans):
            guard comparison.comparison == .equal || comparison.comparison == .notEqual else {
                throw FilterError(
                    "'\(comparison.comparison.symbol)' does not apply to boolean field \"\(field.name)\"; use = or !=",
                    at: comparison.operatorPosition)
            }
            var text = value.text
            guard let boolean = text.withUTF8(IndexedField.boolean) else { throw mismatch() }
            let wanted = comparison.comparison == .equal
            return RowSet.matching(count: index.count) { (booleans[$0] == boolean) == wanted }
        }
    }

    private func textRows(_ column: FoldedTextColumn, _ comparison: FilterExpression.Comparison) -> RowSet {
        if let codes = column.codes {
            // A dictionary: each distinct value is compared once, then each row takes its value's answer.
            let values = column.values
            let matching = textRows(values, comparison, count: values.count)
            return matching.words.withUnsafeBufferPointer { words in
                codes.withCodes(RowsWithValueIn(count: index.count, values: words))
            }
        }
        return textRows(column, comparison, count: index.count)
    }

    private func textRows(_ column: FoldedTextColumn, _ comparison: FilterExpression.Comparison, count: Int)
        -> RowSet
    {
        let needle = TextFolding.fold(comparison.value.text)
        let comparisonOperator = comparison.comparison
        if comparisonOperator == .contains {
            return RowSet.filled(count: count) { rows, words in
                column.addRows(containing: needle, in: rows, to: words)
            }
        }
        let stored = column.storedForm(of: needle)
        return column.bytes.withUnsafeBufferPointer { buffer in
            column.starts.withUnsafeBufferPointer { starts in
                needle.withUnsafeBufferPointer { needle in
                    switch comparisonOperator {
                    case .equal, .notEqual:
                        return stored.withUnsafeBufferPointer { stored in
                            RowSet.matching(
                                count: count,
                                RowPredicates.TextEquals(
                                    bytes: buffer.baseAddress!, starts: starts, needle: stored,
                                    wanted: comparisonOperator == .equal))
                        }
                    default:
                        return RowSet.matching(
                            count: count,
                            RowPredicates.TextOrder(
                                column: column, buffer: buffer, needle: needle, comparison: comparisonOperator))
                    }
                }
            }
        }
    }

    private func dateRows(_ dates: [Int32], _ comparison: FilterExpression.Operator, _ value: Int32) -> RowSet {
        dates.withUnsafeBufferPointer { dates in
            RowSet.matching(
                count: index.count, RowPredicates.DateRange(dates: dates, value: value, comparison: comparison))
        }
    }

    private func numberRows(
        _ numbers: [Double], _ texts: TextColumn?, _ comparison: FilterExpression.Operator, _ value: Double,
        written: String
    ) -> RowSet {
        numbers.withUnsafeBufferPointer { numbers in
            let range = RowPredicates.NumberRange(numbers: numbers, value: value, comparison: comparison)
            guard let texts else { return RowSet.matching(count: index.count, range) }
            var written = written
            return written.withUTF8 { operand in
                texts.bytes.withUnsafeBufferPointer { bytes in
                    texts.starts.withUnsafeBufferPointer { starts in
                        RowSet.matching(
                            count: index.count,
                            RowPredicates.ExactNumberRange(
                                range: range, numbers: numbers, value: value, texts: bytes, starts: starts,
                                operand: operand, comparison: comparison))
                    }
                }
            }
        }
    }

    /// The fields to name after an unknown one: all of them when there are few, else the closest by spelling.
    func fieldList(near name: String) -> String {
        let names = index.fieldNames
        let key = name.lowercased()
        let closeBuiltIns = FilterEvaluator.builtInFields.filter { EditDistance.between($0.lowercased(), key) <= 2 }
        if names.isEmpty {
            return "this store has no fields yet; built in: \(FilterEvaluator.builtInFields.joined(separator: ", "))"
        }
        if names.count <= 12 { return "fields: " + (names + closeBuiltIns).joined(separator: ", ") }
        let closest = names.sorted {
            EditDistance.between($0.lowercased(), key) < EditDistance.between($1.lowercased(), key)
        }
        return "closest fields: " + (Array(closest.prefix(5)) + closeBuiltIns).joined(separator: ", ")
            + "; \(names.count) fields in all"
    }
}

/// The rows of a dictionary column whose value is in `values` (one bit per value).
private struct RowsWithValueIn: CodesReader {
    let count: Int
    let values: UnsafeBufferPointer<UInt64>

    func read<Code: FixedWidthInteger & UnsignedInteger>(_ codes: UnsafeBufferPointer<Code>) -> RowSet {
        RowSet.matching(count: count, FoldedTextColumn.ValueIn(codes: codes, values: values))
    }
}
