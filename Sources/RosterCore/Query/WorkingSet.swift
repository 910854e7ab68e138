import Foundation

/// A decrypted, columnar, in-memory view of every customer of a store, for filters, sorting and the console.
///
/// It is built at unlock (from the store's encrypted snapshot) and never written to disk in clear.
/// Row `i` of every array describes the same customer; rows are in store order (row id).
public struct WorkingSet: Sendable {
    /// One customer field as a column: a value (or nil) per row.
    public struct Column: Sendable {
        /// The field name as first written (`Name`).
        public let name: String
        /// The lower-cased name fields are matched by (`name`).
        public let key: String
        public let type: FieldType
        public var values: [String?]

        public init(name: String, type: FieldType, values: [String?]) {
            self.name = name
            self.key = name.lowercased()
            self.type = type
            self.values = values
        }
    }

    public var rowIDs: [Int64]
    public var externalCodes: [String]
    public var crmIds: [String]
    public var emails: [String?]
    public var phones: [String?]
    public var consent: [Consent]
    /// Devices logged in as each customer.
    public var deviceCounts: [Int32]
    /// One column per known field, sorted by key.
    public var columns: [Column]

    /// The number of customers.
    public var count: Int { rowIDs.count }

    public init(
        rowIDs: [Int64], externalCodes: [String], crmIds: [String], emails: [String?], phones: [String?],
        consent: [Consent], deviceCounts: [Int32], columns: [Column]
    ) {
        precondition(
            [externalCodes.count, crmIds.count, emails.count, phones.count, consent.count, deviceCounts.count]
                .allSatisfy { $0 == rowIDs.count } && columns.allSatisfy { $0.values.count == rowIDs.count },
            "every column of a working set has one entry per customer")
        self.rowIDs = rowIDs
        self.externalCodes = externalCodes
        self.crmIds = crmIds
        self.emails = emails
        self.phones = phones
        self.consent = consent
        self.deviceCounts = deviceCounts
        self.columns = columns.sorted { $0.key < $1.key }
    }

    /// A working set of a few customers, for tests and small stores: fields become columns by name.
    public init(customers: [Customer], deviceCounts: [Int64: Int] = [:], fieldNames: [String: String] = [:]) {
        var types: [String: FieldType] = [:]
        for customer in customers {
            for (key, value) in customer.fields where types[key] == nil { types[key] = value.type }
        }
        let columns = types.keys.sorted().map { key in
            Column(
                name: fieldNames[key] ?? key, type: types[key]!, values: customers.map { $0.fields[key]?.value })
        }
        self.init(
            rowIDs: customers.map(\.rowID), externalCodes: customers.map(\.externalCode),
            crmIds: customers.map(\.crmId), emails: customers.map(\.email), phones: customers.map(\.phone),
            consent: customers.map(\.consent),
            deviceCounts: customers.map { Int32(deviceCounts[$0.rowID] ?? 0) }, columns: columns)
    }

    /// The column of a field, matched case-insensitively (`$Name` finds `name`).
    public func column(named name: String) -> Column? {
        let key = name.lowercased()
        return columns.first { $0.key == key }
    }

    /// The index of a field's column, matched case-insensitively.
    public func columnIndex(named name: String) -> Int? {
        let key = name.lowercased()
        return columns.firstIndex { $0.key == key }
    }
}
