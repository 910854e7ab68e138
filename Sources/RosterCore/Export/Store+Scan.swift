import Foundation
import GRDB
import RosterModel

/// Reading every customer and device of a store, in row order, decrypted one at a time.
extension Store {
    /// The number of customers.
    public func customerCount() throws -> Int {
        try db.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM customer") ?? 0 }
    }

    /// Calls `body` with every customer and its devices, in row order; anonymous devices come last with a nil customer.
    public func forEachCustomer(_ body: (Customer?, [Device]) throws -> Void) throws {
        try db.read { db in
            var devicesByCustomer: [Int64: [Device]] = [:]
            var anonymous: [Device] = []
            for rowID in try Int64.fetchAll(db, sql: "SELECT id FROM device ORDER BY id") {
                let device = try loadDevice(db, rowID)
                if let owner = device.customerRowID {
                    devicesByCustomer[owner, default: []].append(device)
                } else {
                    anonymous.append(device)
                }
            }
            let ids = try Int64.fetchCursor(db, sql: "SELECT id FROM customer ORDER BY id")
            var rowIDs: [Int64] = []
            while let id = try ids.next() { rowIDs.append(id) }
            for rowID in rowIDs {
                try body(try loadCustomer(db, rowID), devicesByCustomer[rowID] ?? [])
            }
            if !anonymous.isEmpty { try body(nil, anonymous) }
        }
    }
}

extension Store {
    /// One customer by its row id (the console keeps row ids from the working set).
    public func customer(rowID: Int64) throws -> Customer {
        try db.read { try loadCustomer($0, rowID) }
    }

    /// Which of `rowIDs` (at most a few thousand) the store still has: a console's list, loaded before another
    /// process erased or merged some of its customers.
    public func presentCustomers(_ rowIDs: [Int64]) throws -> Set<Int64> {
        guard !rowIDs.isEmpty else { return [] }
        let marks = Array(repeating: "?", count: rowIDs.count).joined(separator: ",")
        return try db.read { db in
            Set(try Int64.fetchAll(db, sql: "SELECT id FROM customer WHERE id IN (\(marks))", arguments: .init(rowIDs)))
        }
    }

    /// The customer of a row id that may be gone since it was read (a console's list, loaded before another
    /// process erased or merged the customer): nil when the store has no such row. A row that is there but does not
    /// open is still an integrity error.
    public func customerIfPresent(rowID: Int64) throws -> Customer? {
        try db.read { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM customer WHERE id = ?", arguments: [rowID]) ?? false else {
                return nil
            }
            return try loadCustomer(db, rowID)
        }
    }

    /// Every device of the store, in row order.
    public func allDevices() throws -> [Device] {
        try db.read { db in
            try Int64.fetchAll(db, sql: "SELECT id FROM device ORDER BY id").map { try loadDevice(db, $0) }
        }
    }
}
