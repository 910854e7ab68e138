import Foundation

/// `roster export customers`: every customer (or a segment) as CSV or JSON lines.
public struct CustomerExport {
    public enum Format: String, CaseIterable, Sendable { case csv, jsonl }

    public var format: Format
    /// UTF-8 with a BOM and `;` separators, as European Excel opens directly.
    public var excel = false
    /// Only these row ids (a filter's result); nil exports everyone.
    public var rowIDs: Set<Int64>?

    public init(format: Format) { self.format = format }

    /// The first line of a jsonl export: what it is and which region it belongs to.
    static func jsonlHeader(store: Store) -> JSONValue {
        .object([
            ("roster", .string("export")), ("version", .int(1)), ("region", .string(store.region)),
            ("exportedAt", .string(Timestamp.iso8601(Store.now()))),
            (
                "fields",
                .array(store.fields.map { .object([("name", .string($0.name)), ("type", .string($0.type.rawValue))]) })
            ),
        ])
    }

    /// Writes the export to `sink` in chunks; returns the number of customers written.
    @discardableResult
    public func write(from store: Store, to sink: (Data) throws -> Void) throws -> Int {
        var buffer = [UInt8]()
        buffer.reserveCapacity(1 << 16)
        func flush(force: Bool = false) throws {
            guard force || buffer.count >= 1 << 16 else { return }
            try sink(Data(buffer))
            buffer.removeAll(keepingCapacity: true)
        }
        let fieldKeys = store.fields.map { $0.name.lowercased() }
        let separator: UInt8 = excel ? UInt8(ascii: ";") : UInt8(ascii: ",")
        switch format {
        case .jsonl:
            buffer += Array((CustomerExport.jsonlHeader(store: store).rendered() + "\n").utf8)
        case .csv:
            if excel { buffer += [0xEF, 0xBB, 0xBF] }
            let header =
                [
                    "externalCode", "customerId", "origin", "email", "emailConsent", "phone", "smsConsent",
                    "pushConsent", "devices",
                ]
                + store.fields.map(\.name)
            buffer += csvLine(header, separator: separator)
        }
        var count = 0
        try store.forEachCustomer { customer, devices in
            if let customer, let rowIDs, !rowIDs.contains(customer.rowID) { return }
            if customer == nil, rowIDs != nil { return }
            switch format {
            case .jsonl:
                let value =
                    customer?.json(devices: devices) ?? .object([("anonymousDevices", .array(devices.map(\.fullJSON)))])
                buffer += Array((value.rendered() + "\n").utf8)
            case .csv:
                guard let customer else { return }
                var cells = [
                    customer.externalCode, customer.crmId, customer.origin.rawValue, customer.email ?? "",
                    String(customer.consent.email), customer.phone ?? "", String(customer.consent.sms),
                    String(customer.consent.push), String(devices.count),
                ]
                cells += fieldKeys.map { customer.fields[$0]?.value ?? "" }
                buffer += csvLine(cells, separator: separator)
            }
            if customer != nil { count += 1 }
            try flush()
        }
        try flush(force: true)
        return count
    }

    private func csvLine(_ cells: [String], separator: UInt8) -> [UInt8] {
        var line = [UInt8]()
        for (index, cell) in cells.enumerated() {
            if index > 0 { line.append(separator) }
            line += Array(CustomerExport.csvCell(cell, separator: separator).utf8)
        }
        line += excel ? [0x0D, 0x0A] : [0x0A]
        return line
    }

    /// One CSV cell: neutralized against formula injection, quoted when needed.
    ///
    /// A cell starting with `=`, `+`, `-`, `@` (or a tab or carriage return) would run as a formula in a
    /// spreadsheet; a leading apostrophe makes it text (OWASP's advice). Phones in E.164 start with `+`
    /// and get one too: the jsonl export is the lossless format.
    static func csvCell(_ value: String, separator: UInt8) -> String {
        var text = value
        if let first = text.unicodeScalars.first, ["=", "+", "-", "@", "\t", "\r"].contains(first) {
            text = "'" + text
        }
        let needsQuotes = text.utf8.contains { (byte: UInt8) -> Bool in
            byte == separator || byte == 0x22 || byte == 0x0A || byte == 0x0D
        }
        return needsQuotes ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
    }
}
