extension FilterIndex {
    /// `rows` (every row when nil) ordered by column `key`: typed (numbers numerically, dates as dates, booleans
    /// false before true, text by its folded form, so accents and case do not count), stable (rows with equal values
    /// keep their order in `rows`), rows without a value last in both directions. Empty text counts as no value, as
    /// `has FIELD` does. Consent orders by its marks, channel by channel (email, then SMS, then push): absent, then
    /// refused, then consented. A field the working set does not have leaves the order as it is.
    ///
    /// Runs on both cores; `isCancelled` is checked between phases and every 65,536 rows, and a cancelled sort
    /// returns nil.
    public func sorted(
        _ rows: [Int32]? = nil, by key: ColumnKey, ascending: Bool = true,
        isCancelled: @Sendable () -> Bool = { false }
    ) -> [Int32]? {
        func run<Keys: SortKeys>(_ keys: Keys) -> [Int32]? {
            CustomerSort(keys: keys).sorted(rows, count: count, ascending: ascending, isCancelled: isCancelled)
        }
        switch key {
        case .externalCode: return run(ExternalCodeSortKeys(codes: externalCodes))
        case .crmId: return run(TextSortKeys(column: crmIds))
        case .email: return run(TextSortKeys(column: emails))
        case .phone: return run(TextSortKeys(column: phones))
        case .devices: return run(IntegerSortKeys<Int32>(values: deviceCounts, missing: nil))
        case .consent: return run(IntegerSortKeys<UInt8>(values: consentCodes, missing: nil))
        case .field(let name):
            guard let field = field(named: name) else { return rows ?? (0..<Int32(count)).map { $0 } }
            switch field.storage {
            case .text(let column): return run(TextSortKeys(column: column))
            case .date(let dates): return run(IntegerSortKeys(values: dates, missing: IndexedField.missingDate))
            case .number(let numbers): return run(NumberSortKeys(numbers: numbers, texts: field.numberTexts))
            case .boolean(let values):
                return run(IntegerSortKeys(values: values, missing: IndexedField.missingBoolean))
            }
        }
    }

    /// Each row's consent as one number ordered as `sorted` documents: per channel 0 absent, 1 refused,
    /// 2 consented, email weighing most.
    var consentCodes: [UInt8] {
        (0..<count).map { row in
            func state(_ channel: RowSet, _ consented: RowSet) -> UInt8 {
                channel.contains(row) ? (consented.contains(row) ? 2 : 1) : 0
            }
            return state(hasEmail, consentEmail) * 9 + state(hasSMS, consentSMS) * 3 + state(hasPush, consentPush)
        }
    }
}

extension RowSet {
    @inline(__always)
    func contains(_ row: Int) -> Bool { words[row >> 6] & (1 << UInt64(row & 63)) != 0 }
}
