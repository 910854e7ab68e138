import Foundation
import RosterModel

/// GDPR access (Art. 15/20): everything held on one customer.
extension Store {
    /// One JSON document with the customer, its devices and the store's region.
    public func accessExport(_ id: String) throws -> JSONValue {
        var document = JSONValue.null
        try accessExport(id) { document = $0 }
        return document
    }

    /// The access export handed to `deliver` inside the transaction that audits it: a delivery that fails (a full
    /// disk) rolls the audit entry back, so that nothing is recorded as disclosed that was not.
    public func accessExport(_ id: String, deliver: (JSONValue) throws -> Void) throws {
        let customer = try self.customer(id)
        let devices = try devices(of: customer)
        guard case .object(let members) = customer.json(devices: devices) else { return }
        try db.write { db in
            try audit(db, .export, subject: customer.externalCode, detail: "access export")
            let trail = try auditEntries(db).filter { $0.subject == customer.externalCode }
            try deliver(
                .object(
                    [
                        ("region", .string(region)), ("exportedAt", .string(Timestamp.iso8601(Store.now()))),
                        ("store", .string(path)),
                    ] + members + [("audit", .array(trail.map(\.json)))]))
        }
    }
}
