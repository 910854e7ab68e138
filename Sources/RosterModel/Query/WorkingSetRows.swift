import Foundation

/// Rows of a working set being built: sealed customer records are opened and decoded straight into these compact
/// columns, with no `Customer`, dictionary or `String` per row.
package struct WorkingSetRows {
    package var rowIDs: [Int64] = []
    /// 32 bytes per row.
    package var codes: [UInt8] = []
    package var crmIds: TextColumnBuilder
    package var emails: TextColumnBuilder
    package var phones: TextColumnBuilder
    package var consent: [UInt8] = []
    /// One per field of the layout, in its order.
    package var fields: [TextColumnBuilder]

    package init(fieldCount: Int, capacity: Int) {
        rowIDs.reserveCapacity(capacity)
        codes.reserveCapacity(capacity * 32)
        consent.reserveCapacity(capacity)
        crmIds = TextColumnBuilder(capacity: capacity, bytesPerRow: 12)
        emails = TextColumnBuilder(capacity: capacity, bytesPerRow: 28)
        phones = TextColumnBuilder(capacity: capacity, bytesPerRow: 14)
        fields = (0..<fieldCount).map { _ in TextColumnBuilder(capacity: capacity, bytesPerRow: 10) }
    }

    package var count: Int { rowIDs.count }

    package mutating func append(contentsOf other: WorkingSetRows) {
        rowIDs += other.rowIDs
        codes += other.codes
        crmIds.append(contentsOf: other.crmIds)
        emails.append(contentsOf: other.emails)
        phones.append(contentsOf: other.phones)
        consent += other.consent
        for index in fields.indices { fields[index].append(contentsOf: other.fields[index]) }
    }

    /// Reserves room for `total` rows (an exact count), in the text columns at the bytes per row they hold so far
    /// and 5% more, but never more than `maximumBytes` for one column: the first guesses are small, and a column
    /// that outgrows its room doubles it, copying itself (at a million customers a spike of ~40 MB at the end of
    /// a bulk import, and up to twice the room kept).
    package mutating func reserve(rows total: Int, maximumBytes: Int) {
        guard count > 0, total > count else { return }
        rowIDs.reserveCapacity(total)
        codes.reserveCapacity(total * 32)
        consent.reserveCapacity(total)
        let rows = Double(count)
        func reserve(_ column: inout TextColumnBuilder) {
            let projected = Double(column.bytes.count) / rows * Double(total) * 1.05
            column.reserve(rows: total, bytes: Int(min(projected, Double(maximumBytes))) + 4096)
        }
        reserve(&crmIds)
        reserve(&emails)
        reserve(&phones)
        for index in fields.indices { reserve(&fields[index]) }
    }

    /// The working set of these rows, with the device count of each.
    package func build(layout: WorkingSetLayout, deviceCounts: [Int32]) -> WorkingSet {
        WorkingSet(
            rowIDs: rowIDs, externalCodes: ExternalCodeColumn(raw: codes), crmIds: crmIds.build(),
            emails: emails.build(), phones: phones.build(), consent: ConsentColumn(bits: consent),
            deviceCounts: deviceCounts,
            columns: layout.fields.indices.map {
                WorkingSet.Column(
                    name: layout.fields[$0].name, type: layout.fields[$0].type, values: fields[$0].build())
            })
    }
}

/// The fields of a working set: the store's field registry, sorted by key.
package struct WorkingSetLayout: Equatable {
    package struct Field: Equatable {
        package let key: String
        package let name: String
        package let type: FieldType

        package init(key: String, name: String, type: FieldType) {
            self.key = key
            self.name = name
            self.type = type
        }
    }

    package let fields: [Field]
    /// The keys' UTF-8, to match a record's field keys without making strings.
    let keyBytes: [[UInt8]]

    package init(fields: [Field]) {
        self.fields = fields.sorted { $0.key < $1.key }
        keyBytes = self.fields.map { Array($0.key.utf8) }
    }

    /// The column of a record's field key, trying `hint` first (records and layouts both sort keys).
    package func index(of key: UnsafeBufferPointer<UInt8>, hint: Int) -> Int? {
        func matches(_ index: Int) -> Bool {
            keyBytes[index].withUnsafeBufferPointer { $0.elementsEqual(key) }
        }
        if hint < keyBytes.count, matches(hint) { return hint }
        return keyBytes.indices.first(where: matches)
    }
}
