import Foundation

/// GDPR access (Art. 15/20): everything held on one customer.
extension Store {
    /// One JSON document with the customer, its devices and the store's region.
    public func accessExport(_ id: String) throws -> JSONValue {
        let customer = try self.customer(id)
        let devices = try devices(of: customer)
        try audit(.export, subject: customer.externalCode, detail: "access export")
        let trail = try auditEntries().filter { $0.subject == customer.externalCode }
        guard case .object(let members) = customer.json(devices: devices) else { return .null }
        return .object(
            [
                ("region", .string(region)), ("exportedAt", .string(Timestamp.iso8601(Store.now()))),
                ("store", .string(path)),
            ] + members + [("audit", .array(trail.map(\.json)))])
    }
}
