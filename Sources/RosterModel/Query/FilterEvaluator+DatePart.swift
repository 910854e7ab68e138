extension FilterEvaluator {
    /// `FIELD year OP N` and `FIELD month OP N` over a date field's packed dates.
    func datePartRows(_ part: FilterExpression.DatePart, _ comparison: FilterExpression.Comparison)
        throws(FilterError) -> RowSet
    {
        let name = comparison.field.text
        guard !FilterEvaluator.builtInFields.contains(where: { $0.lowercased() == name.lowercased() }),
            let field = index.field(named: name)
        else {
            throw FilterError(
                "'\(part.rawValue)' applies to date fields; unknown date field \"\(name)\" (\(fieldList(near: name)))",
                at: comparison.field.position)
        }
        guard case .date(let dates) = field.storage else {
            throw FilterError(
                "'\(part.rawValue)' applies to date fields; \"\(field.name)\" is a \(field.type.rawValue) field",
                at: comparison.field.position)
        }
        guard comparison.comparison != .contains else {
            throw FilterError(
                "'~' does not apply to a \(part.rawValue); use =, !=, <, <=, > or >=", at: comparison.operatorPosition)
        }
        let range = part == .year ? 0...9999 : 1...12
        let text = comparison.value.text
        guard text.utf8.count <= 4, text.utf8.allSatisfy({ (0x30...0x39).contains($0) }), let value = Int(text),
            range.contains(value)
        else {
            throw FilterError(
                "expected a \(part.rawValue) (\(range.lowerBound)–\(range.upperBound)) for field \"\(field.name)\", "
                    + "found \"\(text)\"", at: comparison.value.position)
        }
        let shift: Int32 = part == .year ? 9 : 5
        let mask: Int32 = part == .year ? 0x3FFF : 0xF
        let operand = Int32(value)
        let wanted = comparison.comparison
        return dates.withUnsafeBufferPointer { dates in
            RowSet.matching(
                count: index.count,
                RowPredicates.Closure { row in
                    let date = dates[row]
                    guard date >= 0 else { return wanted == .notEqual }
                    let piece = date >> shift & mask
                    return wanted.accepts(order: piece < operand ? -1 : piece == operand ? 0 : 1)
                })
        }
    }
}
