import Foundation
import GRDB
import RosterModel

extension SavedSegment {
    /// A name as given (a leading `@` allowed), checked: letters, digits, `_`, `-` and `.`, starting with a letter or
    /// a digit, at most `maximumNameLength` characters, so that `@NAME` reads as one word in a filter.
    public static func validName(_ raw: String) throws -> String {
        let name = (raw.hasPrefix("@") ? String(raw.dropFirst()) : raw).precomposedStringWithCanonicalMapping
        guard let first = name.first else { throw RosterError.invalidValue(.segmentNameMissing) }
        guard name.count <= maximumNameLength else {
            throw RosterError.invalidValue(.segmentNameTooLong(length: name.count, limit: maximumNameLength))
        }
        let allowed = name.allSatisfy { $0.isLetter || $0.isNumber || "_-.".contains($0) }
        guard allowed, first.isLetter || first.isNumber else { throw RosterError.invalidValue(.notASegmentName(name)) }
        return name
    }
}

/// Saved segments in the store (`segment`): names and expressions sealed like settings (Store+Settings.swift), found
/// by the blind index of the lower-cased name, so names are unique ignoring case.
extension Store {
    static let segmentRows = SealedNames(table: "segment", what: "a saved segment", key: SavedSegment.key)

    /// Every saved segment, sorted by name (ignoring case).
    public func savedSegments() throws -> SavedSegments {
        try db.read { try savedSegments($0) }
    }

    func savedSegments(_ db: Database) throws -> SavedSegments {
        SavedSegments(
            try Store.segmentRows.all(keys: keys, db).map {
                SavedSegment(name: $0.name, expression: String(decoding: $0.value, as: UTF8.self))
            })
    }

    /// Saves a segment after checking it: its name, and its expression against the other saved segments (an unknown
    /// `@NAME` or a cycle is refused) and against the customers' fields through `check` (which runs it; its result is
    /// returned). Refuses to replace a segment of the same name (ignoring case) unless `replacing`. Audited.
    public func saveSegment<Result>(
        named rawName: String, expression: String, replacing: Bool,
        check: (Filter, SavedSegments) throws -> Result
    ) throws -> Result {
        let name = try SavedSegment.validName(rawName)
        let segment = SavedSegment(name: name, expression: expression)
        let filter: Filter
        let current = try savedSegments()
        // Refused before `check`, which may load every customer; checked again when writing.
        if let existing = current.segment(named: name), !replacing { throw Self.alreadySaved(existing) }
        do throws(FilterError) {
            filter = try Filter.parse(expression, segments: current.with(segment))
        } catch {
            throw RosterError.invalidValue(.filter(error))
        }
        let result: Result
        do {
            result = try check(filter, current.with(segment))
        } catch let error as FilterError {
            throw RosterError.invalidValue(.filter(error))
        }
        TestHook.stop(at: "segment-checked")
        try write { db in
            let stored = try savedSegments(db)
            let existing = stored.segment(named: name)
            if let existing, !replacing { throw Self.alreadySaved(existing) }
            // Another process may have changed the other segments, or renamed a field, since the check: check the
            // references and the field names again (a field renamed meanwhile would leave the segment naming none).
            try loadFieldTypes(db)
            do throws(FilterError) {
                let filter = try Filter.parse(expression, segments: stored.with(segment))
                try FilterParser.checkFieldNames(in: filter) { fieldType($0) != nil }
            } catch {
                throw RosterError.invalidValue(.filter(error))
            }
            try Store.segmentRows.save(Array(expression.utf8), named: name, keys: keys, db)
            try audit(db, .segment, subject: "*", detail: existing == nil ? "segment saved" : "segment replaced")
        }
        return result
    }

    private static func alreadySaved(_ existing: SavedSegment) -> RosterError {
        .conflict(.segmentExists(name: existing.name, expression: existing.expression))
    }

    /// Deletes a saved segment; refused when the name is unknown (the error lists the saved ones) or when another
    /// segment refers to it. Audited.
    public func deleteSegment(named rawName: String) throws {
        let name = rawName.hasPrefix("@") ? String(rawName.dropFirst()) : rawName
        try write { db in
            let segments = try savedSegments(db)
            guard let segment = segments.segment(named: name) else {
                throw RosterError.invalidValue(.unknownSegment(name: name, saved: segments.all.map(\.name)))
            }
            let users = segments.all.filter { other in
                SavedSegment.key(other.name) != SavedSegment.key(name)
                    && FilterParser.references(in: other.expression).contains(SavedSegment.key(name))
            }
            guard users.isEmpty else {
                throw RosterError.conflict(.segmentInUse(name: segment.name, usedBy: users.map(\.name)))
            }
            _ = try Store.segmentRows.remove(named: name, keys: keys, db)
            try audit(db, .segment, subject: "*", detail: "segment deleted")
        }
    }
}

extension Store {
    /// For `roster check`: every setting and saved segment opens and is indexed under its own name.
    func checkSettingsAndSegments(_ db: Database, _ report: inout CheckReport) {
        for table in [SealedNames.settings, Store.segmentRows] {
            do {
                _ = try table.all(keys: keys, db)
            } catch {
                report.add("settings", "\(error)")
            }
        }
    }
}
