import RosterCSV
import RosterModel

/// What an import settles before it plans a row: each column's role (from the header and the mapping) and how each
/// field's cells are read, from a sample of the file.
///
/// A field the store does not know is typed by its sampled values, not by its first one: a column is a date or
/// number column when at least two thirds of its values are written as dates or numbers, and then a row whose value
/// is not one is refused with the reason. A date column's day/month order comes from its values (a part above 12
/// decides); when the sample leaves it open, the rest of the file is read for a value that decides; when none does,
/// the import needs an order given (`dateOrder`) and is refused without one. Both import paths plan with the same
/// layout, so they type and convert alike.
struct ImportLayout: Sendable {
    let map: ColumnMap
    let readings: [String: FieldReading]
    let formats: [ImportSummary.ColumnFormat]
    let defaultCountry: String?

    /// At most this many rows are sampled, and at most `sampleValues` values of each field.
    static let sampleRows = 20_000
    static let sampleValues = 1_000

    /// Values of one field in the sample.
    private struct Sample {
        var name: String
        var column: Int?
        var values: [String] = []
    }

    static func make(
        reader: CSVReader, kind: ImportKind, mapping: ColumnMapping, dateOrder: DateOrder?, defaultCountry: String?,
        storeTypes: [String: (name: String, type: FieldType)]
    ) throws -> ImportLayout {
        if let defaultCountry {
            do {
                _ = try PhoneNumber.parseCountryCode(defaultCountry)
            } catch {
                throw MappingError.badDefaultCountry(defaultCountry)
            }
        }
        let map = try ColumnMap(
            header: reader.header, kind: kind, mapping: mapping, hasDefaultCountry: defaultCountry != nil)
        let semicolon = reader.dialect.delimiter == UInt8(ascii: ";")
        var samples = try sample(reader, map: map, kind: kind)
        var readings: [String: FieldReading] = [:]
        var pending: [String: DateColumnFormat] = [:]
        for (key, sample) in samples {
            let declared = map.declared[key]
            let type = storeTypes[key]?.type ?? declared?.type ?? infer(sample.values, semicolon: semicolon)?.type
            guard let type else { continue }
            var reading = FieldReading(type: type, name: sample.name)
            switch type {
            case .date:
                let texts = sample.values.compactMap(DateText.read)
                var format = DateColumnFormat()
                let hints = Set(texts.compactMap(\.orderHint))
                if hints.count == 1 {
                    format.order = hints.first
                    format.orderFromValues = true
                } else {
                    format.order = declared?.dateOrder ?? dateOrder
                    if format.order == nil {
                        if hints.count > 1 {
                            throw MappingError.conflictingDateOrder(field: sample.name, column: source(sample, map))
                        }
                        if texts.contains(where: \.needsOrder) { pending[key] = format }
                    }
                }
                reading.date = format
            case .number:
                reading.number = NumberColumnFormat(
                    decimalComma: infer(sample.values, semicolon: semicolon)?.number?.decimalComma ?? semicolon)
            case .text, .boolean:
                break
            }
            readings[key] = reading
        }
        if !pending.isEmpty {
            let decided = try decideOrders(reader, map: map, kind: kind, pending: Set(pending.keys), samples: samples)
            for key in pending.keys {
                guard let order = decided[key] else {
                    throw MappingError.ambiguousDateOrder(field: samples[key]!.name, column: source(samples[key]!, map))
                }
                readings[key]!.date!.order = order
                readings[key]!.date!.orderFromValues = true
            }
        }
        var formats: [ImportSummary.ColumnFormat] = []
        for key in readings.keys.sorted() {
            guard var reading = readings[key], let sample = samples[key] else { continue }
            if var format = reading.date {
                for text in sample.values.compactMap(DateText.read) { format.note(text) }
                reading.date = format
                readings[key] = reading
                let order =
                    format.order == nil || format.orderFromValues ? "" : " (day/month order given: \(format.order!))"
                formats.append(.init(field: sample.name, type: .date, format: format.description + order))
            } else if let number = reading.number, number.decimalComma {
                formats.append(.init(field: sample.name, type: .number, format: number.description))
            }
        }
        samples.removeAll()
        return ImportLayout(map: map, readings: readings, formats: formats, defaultCountry: defaultCountry)
    }

    /// A planner for this layout.
    func planner(kind: ImportKind, storeTypes: [String: (name: String, type: FieldType)]) -> RowPlanner {
        RowPlanner(
            kind: kind, map: map, storeFieldTypes: storeTypes, readings: readings, defaultCountry: defaultCountry)
    }

    /// Where a field's values come from, as the file or mapping names it.
    private static func source(_ sample: Sample, _ map: ColumnMap) -> String {
        guard let column = sample.column else { return "fieldValue (rows of \(sample.name))" }
        return map.sources[column]
    }

    /// The field columns of a wide file: index, name and key.
    private static func fieldColumns(_ map: ColumnMap) -> [(index: Int, name: String, key: String)] {
        map.roles.enumerated().compactMap { index, role in
            guard case .field(let raw) = role else { return nil }
            let name = raw.trimmed
            let key = name.lowercased()
            guard !name.isEmpty, !Store.reservedFieldNames.contains(key), !name.hasControlCharacters else { return nil }
            return (index, name, key)
        }
    }

    /// Each field's non-empty values in the first rows of the file.
    private static func sample(_ reader: CSVReader, map: ColumnMap, kind: ImportKind) throws -> [String: Sample] {
        var samples: [String: Sample] = [:]
        let columns = fieldColumns(map)
        for column in columns where samples[column.key] == nil {
            samples[column.key] = Sample(name: column.name, column: column.index)
        }
        let nameColumn = map.column(.fieldName)
        let valueColumn = map.column(.fieldValue)
        var rows = 0
        while rows < sampleRows, let result = try reader.next() {
            rows += 1
            guard case .success(let record) = result else { continue }
            let fields = map.expand(record.fields)
            if kind == .fields {
                guard let nameColumn, let valueColumn, nameColumn < fields.count, valueColumn < fields.count else {
                    continue
                }
                let name = fields[nameColumn].trimmed
                let value = fields[valueColumn].trimmed
                let key = name.lowercased()
                guard !name.isEmpty, !value.isEmpty, !Store.reservedFieldNames.contains(key) else { continue }
                samples[key, default: Sample(name: name)].values.append(value)
                continue
            }
            var full = true
            for column in columns where column.index < fields.count {
                let value = fields[column.index].trimmed
                guard !value.isEmpty, samples[column.key]!.values.count < sampleValues else { continue }
                samples[column.key]!.values.append(value)
                full = full && samples[column.key]!.values.count >= sampleValues
            }
            if full && !columns.isEmpty && columns.allSatisfy({ samples[$0.key]!.values.count >= sampleValues }) {
                break
            }
        }
        return samples
    }

    /// Reads the rest of the file for a value that decides the order of each pending date field.
    private static func decideOrders(
        _ reader: CSVReader, map: ColumnMap, kind: ImportKind, pending: Set<String>, samples: [String: Sample]
    ) throws -> [String: DateOrder] {
        var decided: [String: DateOrder] = [:]
        let columns = fieldColumns(map).filter { pending.contains($0.key) }
        if kind != .fields {
            var decoded = [Bool](repeating: false, count: map.fileColumnCount)
            for column in columns {
                if column.index < map.fileColumnCount {
                    decoded[column.index] = true
                } else {
                    for source in map.sourceColumns(ofDerived: column.index) { decoded[source] = true }
                }
            }
            reader.decodedColumns = decoded
        }
        let nameColumn = map.column(.fieldName)
        let valueColumn = map.column(.fieldValue)
        while decided.count < pending.count, let result = try reader.next() {
            guard case .success(let record) = result else { continue }
            let fields = map.expand(record.fields)
            if kind == .fields {
                guard let nameColumn, let valueColumn, nameColumn < fields.count, valueColumn < fields.count else {
                    continue
                }
                let key = fields[nameColumn].trimmed.lowercased()
                if pending.contains(key), decided[key] == nil,
                    let hint = DateText.read(fields[valueColumn].trimmed)?.orderHint
                {
                    decided[key] = hint
                }
                continue
            }
            for column in columns where column.index < fields.count && decided[column.key] == nil {
                if let hint = DateText.read(fields[column.index].trimmed)?.orderHint { decided[column.key] = hint }
            }
        }
        return decided
    }

    /// The type a field's sampled values suggest (and, for numbers, the decimal separator); nil with no values.
    static func infer(_ values: [String], semicolon: Bool) -> (type: FieldType, number: NumberColumnFormat?)? {
        let count = values.count
        guard count > 0 else { return nil }
        if values.allSatisfy({ FieldType.boolean.accepts($0) }) { return (.boolean, nil) }
        var dates = 0
        var serialsOrNone = 0
        for value in values {
            if FieldReading.isZeroDate(value) {
                serialsOrNone += 1
                continue
            }
            switch DateText.read(value) {
            case .fixed, .ordered, .twoDigitYear: dates += 1
            case .serial: serialsOrNone += 1
            case nil: break
            }
        }
        if dates > 0 && (dates + serialsOrNone) * 3 >= count * 2 { return (.date, nil) }
        // Identifiers such as postcodes (`08001`) look numeric but must keep their zeros.
        if values.contains(where: NumberColumnFormat.hasLeadingZero) { return (.text, nil) }
        let points = values.count { NumberColumnFormat.canonical($0, decimalComma: false) != nil }
        let commas = values.count { NumberColumnFormat.canonical($0, decimalComma: true) != nil }
        let decimalComma = semicolon ? commas >= points : commas > points
        if (decimalComma ? commas : points) * 3 >= count * 2 {
            return (.number, NumberColumnFormat(decimalComma: decimalComma))
        }
        return (.text, nil)
    }
}
