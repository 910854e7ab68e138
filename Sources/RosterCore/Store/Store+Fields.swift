import Foundation
import GRDB
import RosterModel

/// What `renameField` changed (or, checking only, would change).
public struct FieldRenameReport: Equatable, Sendable {
    /// The new name, as stored.
    public let name: String
    /// How many customers have the field.
    public let customers: Int
    /// The saved segments whose conditions name it, now written with the new name.
    public let segments: [String]
}

/// Why a field command changed nothing.
public enum FieldCommandError: Error, Equatable, Sendable, CustomStringConvertible {
    case unknownField(String, known: [String])
    case sameType(String, FieldType)
    /// A rename to the name the field has, exactly.
    case sameName(String)
    case nameTaken(String)
    case badName(String)
    /// Every date value reads both as day/month and as month/day.
    case ambiguousDateOrder(String)
    /// Some date values are day/month and others month/day.
    case conflictingDateOrder(String)
    /// More values would be dropped than when the operator was asked (the store changed in between).
    case changedSinceCheck(String)
    /// Saved segments that name the field would mean something else under the new name (or cannot be read).
    case segmentWouldChange(segments: [String], String)

    public var description: String {
        switch self {
        case .unknownField(let name, let known):
            return "no field named \(name) in this store"
                + (known.isEmpty ? " (it has no fields yet)" : " (fields: \(known.joined(separator: ", ")))")
        case .sameType(let name, let type): return "field \(name) is already \(type.phrase); nothing was changed"
        case .sameName(let name): return "the field is already named \(name); nothing was changed"
        case .nameTaken(let name): return "a field named \(name) already exists; nothing was changed"
        case .badName(let name):
            return
                "\"\(TerminalText.escape(name))\" cannot name a field (empty, a channel or device column, or control "
                + "characters); nothing was changed"
        case .ambiguousDateOrder(let name):
            return "the values of field \(name) could all be day/month or month/day (none has a part above 12): give "
                + "the order, dmy or mdy; nothing was changed"
        case .changedSinceCheck(let name):
            return "the values of field \(name) changed since they were checked: more would be dropped than you were "
                + "shown; nothing was changed (check again)"
        case .segmentWouldChange(let segments, let reason):
            let names = segments.map { "@" + $0 }.joined(separator: ", ")
            return
                "the saved \(segments.count == 1 ? "segment" : "segments") \(names) \(segments.count == 1 ? "names" : "name") "
                + "this field, and \(reason); nothing was changed"
        case .conflictingDateOrder(let name):
            return "the values of field \(name) are written both day/month and month/day: give the order, dmy or "
                + "mdy, to convert those written that way; nothing was changed"
        }
    }
}

/// Field administration: list, retype and rename the fields a store holds.
extension Store {
    /// Every field with its type and the number of customers that have a value (decrypts every customer).
    public func fieldSummaries() throws -> [FieldSummary] {
        var counts: [String: Int] = [:]
        try db.read { db in
            // A long-running process (the console) lists the fields another process registered since it last looked.
            try reloadIfWrittenElsewhere(db)
            try forEachStoredCustomer(db) { customer in
                for key in customer.fields.keys { counts[key, default: 0] += 1 }
            }
        }
        return fields.map { FieldSummary(name: $0.name, type: $0.type, count: counts[$0.name.lowercased()] ?? 0) }
    }

    /// Converts every stored value of a field to `type`. Changes nothing, and reports the values that do not
    /// convert, unless all of them do or `dropUnconvertible` is set (then those values are removed). Audited.
    /// `checkOnly` reports what would happen and changes nothing (the console asks before it applies);
    /// `droppingAtMost` refuses to drop more values than the operator was shown.
    public func retypeField(
        _ rawName: String, to type: FieldType, dateOrder: DateOrder? = nil, dropUnconvertible: Bool = false,
        checkOnly: Bool = false, droppingAtMost: Int? = nil
    ) throws -> RetypeReport {
        try write { db in
            let (key, name, from) = try knownField(db, rawName)
            guard from != type else { throw FieldCommandError.sameType(name, type) }
            var holders: [(customer: Customer, value: String)] = []
            try forEachStoredCustomer(db) { customer in
                if let value = customer.fields[key] { holders.append((customer, value.value)) }
            }
            let reading = try Self.reading(for: type, values: holders.map(\.value), field: name, order: dateOrder)
            var converted: [(Customer, String?)] = []
            var unconvertible: [RetypeReport.Unconvertible] = []
            for (customer, value) in holders {
                switch reading.read(value, field: name) {
                case .success(let stored): converted.append((customer, stored))
                case .failure(let problem):
                    unconvertible.append(
                        .init(externalCode: customer.externalCode, value: value, reason: problem.reason))
                    converted.append((customer, nil))
                }
            }
            let format = reading.date.map(\.description) ?? reading.number.map(\.description)
            if dropUnconvertible, let droppingAtMost, unconvertible.count > droppingAtMost {
                throw FieldCommandError.changedSinceCheck(name)
            }
            let applied = (unconvertible.isEmpty || dropUnconvertible) && !checkOnly
            let report = RetypeReport(
                field: name, from: from, to: type, converted: converted.count - unconvertible.count,
                unconvertible: unconvertible, applied: applied, format: format)
            guard applied else { return report }
            try replaceFieldType(db, key: key, name: name, type: type)
            for (customer, stored) in converted {
                var changed = customer
                changed.fields[key] = stored.map { FieldValue(type: type, value: $0) }
                try updateCustomer(db, old: customer, new: changed)
            }
            try audit(
                db, .field, subject: "*",
                detail: "retype \(key) from \(from.rawValue) to \(type.rawValue): \(report.converted) converted, "
                    + "\(unconvertible.count) dropped")
            try updateWorkingSetSnapshot(db)
            return report
        }
    }

    /// Renames a field on every customer that has it (a change of case only is allowed), in the saved segments
    /// whose conditions name it and in the lists' remembered columns, and says how many customers have it and which
    /// segments changed. Audited.
    /// `checkOnly` validates and counts, and changes nothing.
    @discardableResult
    public func renameField(_ rawOld: String, to rawNew: String, checkOnly: Bool = false) throws -> FieldRenameReport {
        try write { db in
            let (oldKey, oldName, type) = try knownField(db, rawOld)
            let newName = rawNew.trimmed
            let newKey = newName.lowercased()
            guard !newName.utf8.elementsEqual(oldName.utf8) else { throw FieldCommandError.sameName(newName) }
            guard !newName.isEmpty, !newName.hasControlCharacters, !Store.reservedFieldNames.contains(newKey) else {
                throw FieldCommandError.badName(rawNew)
            }
            guard newKey == oldKey || fieldType(newKey) == nil else { throw FieldCommandError.nameTaken(newName) }
            let segments = try renamedSegments(db, oldKey, to: newName)
            var holders: [Customer] = []
            try forEachStoredCustomer(db) { if $0.fields[oldKey] != nil { holders.append($0) } }
            let report = FieldRenameReport(name: newName, customers: holders.count, segments: segments.map(\.name))
            if checkOnly { return report }
            // By bytes: a key that only changes how its accents are encoded is equal for Swift but not for SQLite,
            // and leaving the old row would register the field twice.
            let keyChanges = !newKey.utf8.elementsEqual(oldKey.utf8)
            if keyChanges { try db.execute(sql: "DELETE FROM field WHERE key = ?", arguments: [oldKey]) }
            registerFieldType(oldKey, nil)
            try replaceFieldType(db, key: newKey, name: newName, type: type)
            for customer in holders where keyChanges {
                var changed = customer
                changed.fields[newKey] = changed.fields.removeValue(forKey: oldKey)
                try updateCustomer(db, old: customer, new: changed)
            }
            if keyChanges {
                try renameRememberedColumns(db, oldKey, to: newKey)
                try rememberRename(db, from: oldKey, to: newKey, name: newName)
            }
            for segment in segments {
                try Store.segmentRows.save(Array(segment.expression.utf8), named: segment.name, keys: keys, db)
            }
            try audit(
                db, .field, subject: "*",
                detail: "rename \(oldName) to \(newName): \(holders.count) customers, \(segments.count) segments")
            try updateWorkingSetSnapshot(db)
            return report
        }
    }

    /// The saved segments whose conditions name field `oldKey`, rewritten to name `newName`. Refused (nothing
    /// changes) when a segment would come to mean something else, or cannot be read.
    private func renamedSegments(_ db: Database, _ oldKey: String, to newName: String) throws -> [SavedSegment] {
        guard oldKey != newName.lowercased() else { return [] }
        let saved = try savedSegments(db)
        var rewritten: [SavedSegment] = []
        var refused: [(segment: String, reason: String)] = []
        for segment in saved.all {
            do {
                if let text = try FilterParser.renamingField(
                    oldKey, to: newName, in: segment.expression, segments: saved)
                {
                    rewritten.append(SavedSegment(name: segment.name, expression: text))
                }
            } catch let error as FilterRenameError {
                refused.append((segment.name, error.message))
            } catch {
                // Its own text was checked when it was saved, whatever the segments it names: a sealed row changed.
                // The parse error is not repeated: it could quote the segment's values.
                refused.append((segment.name, "it cannot be read as a filter (roster segment list shows it)"))
            }
        }
        if !refused.isEmpty {
            var said = Set<String>()
            let reasons = refused.map(\.reason).filter { said.insert($0).inserted }
            throw FieldCommandError.segmentWouldChange(
                segments: refused.map(\.segment), reasons.joined(separator: "; "))
        }
        return rewritten
    }

    /// The fields renamed lately, oldest first (at most `keptRenames`): a process that loaded the customers before a
    /// rename finds there what its names became.
    public func fieldRenames() throws -> [FieldRename] {
        try db.read { try Self.fieldRenames($0, keys: keys) }
    }

    /// How many renames `fieldRenames` keeps: a console more renames behind than this cannot follow them, and says so.
    static let keptRenames = 64

    /// The setting that keeps them, sealed like every setting (field names can be personal).
    static let fieldRenamesSetting = "fields.renamed"

    private static func fieldRenames(_ db: Database, keys: KeyRing) throws -> [FieldRename] {
        guard let value = try SealedNames.settings.value(named: fieldRenamesSetting, keys: keys, db) else { return [] }
        return (try? JSONDecoder().decode([FieldRename].self, from: Data(value))) ?? []
    }

    private func rememberRename(_ db: Database, from oldKey: String, to newKey: String, name: String) throws {
        var renames = try Self.fieldRenames(db, keys: keys)
        renames.append(FieldRename(number: (renames.last?.number ?? 0) + 1, from: oldKey, to: newKey, name: name))
        let kept = Array(renames.suffix(Self.keptRenames))
        try SealedNames.settings.save(
            Array(try JSONEncoder().encode(kept)), named: Self.fieldRenamesSetting, keys: keys, db)
    }

    /// The columns remembered for a list (`rememberColumns`); nil when none are, or the setting is not a list of names.
    public func rememberedColumns(list: String) throws -> [String]? {
        try setting(named: Store.columnsSettingPrefix + list).flatMap(Self.columnNames)
    }

    /// A remembered list of column names, as stored.
    private static func columnNames(_ value: Data) -> [String]? {
        (try? JSONSerialization.jsonObject(with: value)) as? [String]
    }

    /// Remembers a list's columns (the setting `columnsSettingPrefix` + `list`, a JSON array of names), in one write:
    /// a field name the store no longer has, but renamed since, is saved under its name now. A console checks the
    /// names against customers it loaded before, and a rename can land in between.
    public func rememberColumns(_ names: [String], list: String) throws {
        try write { db in
            try loadFieldTypes(db)
            let renames = try Self.fieldRenames(db, keys: keys)
            let followed = names.map { name -> String in
                guard fieldType(name) == nil else { return name }
                var current = name
                for rename in renames where rename.from == current { current = rename.to }
                return fieldType(current) == nil ? name : current
            }
            let value = try JSONSerialization.data(withJSONObject: followed)
            try SealedNames.settings.save(Array(value), named: Store.columnsSettingPrefix + list, keys: keys, db)
        }
    }

    /// The lists' remembered columns (`columnsSettingPrefix`) that name field `oldKey`, made to name `newKey`: a
    /// remembered column of a field no longer in the store shows empty. A setting that is not a list of names is left
    /// as it is (the console starts from its defaults when it cannot read one).
    private func renameRememberedColumns(_ db: Database, _ oldKey: String, to newKey: String) throws {
        for (name, value) in try SealedNames.settings.all(keys: keys, db)
        where name.hasPrefix(Store.columnsSettingPrefix) {
            guard let names = Self.columnNames(Data(value)), names.contains(oldKey) else { continue }
            let renamed = try JSONSerialization.data(withJSONObject: names.map { $0 == oldKey ? newKey : $0 })
            try SealedNames.settings.save(Array(renamed), named: name, keys: keys, db)
        }
    }

    /// Replaces a field's registry row (its name and type, with the row's MAC) and the in-memory registry. Field
    /// administration changes types and names only here.
    func replaceFieldType(_ db: Database, key: String, name: String, type: FieldType) throws {
        try writeFieldType(db, key: key, name: name, type: type, replacing: true)
        registerFieldType(key, (name, type))
    }

    private func knownField(_ db: Database, _ rawName: String) throws -> (key: String, name: String, type: FieldType) {
        try loadFieldTypes(db)
        let key = rawName.trimmed.lowercased()
        // The key as the registry holds it: Swift finds `código` however its accent is encoded, SQLite by bytes.
        guard let known = fieldType(key), let stored = storedFieldKey(key) else {
            throw FieldCommandError.unknownField(rawName.trimmed, known: fields.map(\.name))
        }
        return (stored, known.name, known.type)
    }

    /// How stored values are read as `type`: a date field's day/month order from the values (or the one given),
    /// a number field's decimal separator from the values.
    static func reading(for type: FieldType, values: [String], field: String, order: DateOrder?) throws -> FieldReading
    {
        var reading = FieldReading(type: type)
        switch type {
        case .date:
            let texts = values.compactMap(DateText.read)
            var format = DateColumnFormat(order: order)
            let hints = Set(texts.compactMap(\.orderHint))
            if hints.count == 1 {
                format.order = hints.first
                format.orderFromValues = true
            } else if order == nil {
                if hints.count > 1 { throw FieldCommandError.conflictingDateOrder(field) }
                if texts.contains(where: \.needsOrder) { throw FieldCommandError.ambiguousDateOrder(field) }
            }
            for text in texts { format.note(text) }
            reading.date = format
        case .number:
            let points = values.count { NumberColumnFormat.canonical($0, decimalComma: false) != nil }
            let commas = values.count { NumberColumnFormat.canonical($0, decimalComma: true) != nil }
            reading.number = NumberColumnFormat(decimalComma: commas > points)
        case .boolean:
            return FieldReading(type: .boolean, booleans: true)
        case .text:
            break
        }
        return reading
    }

    private func forEachStoredCustomer(_ db: Database, _ body: (Customer) throws -> Void) throws {
        let rows = try Row.fetchCursor(db, sql: "SELECT id, keySalt, record FROM customer ORDER BY id")
        while let row = try rows.next() {
            try body(try openCustomer(salt: row["keySalt"], record: row["record"], rowID: row["id"]))
        }
    }
}
