import Foundation
import RosterModel

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
            ("roster", .string("export")), ("version", .int(Int64(JSONLTrailer.firstVersion))),
            ("region", .string(store.region)),
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
        var trailer = JSONLTrailer()
        func flush(force: Bool = false) throws {
            guard force || buffer.count >= 1 << 16 else { return }
            if format == .jsonl {
                // Each line is counted once, as it leaves (every line of the export ends with a line feed).
                for line in buffer.split(separator: 0x0A, omittingEmptySubsequences: false).dropLast() {
                    trailer.add(line: line)
                }
            }
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
                (excel
                    ? [
                        "externalCode", "customerId", "origin", "email", "emailConsent", "phone", "smsConsent",
                        "pushConsent", "devices",
                    ] : ["customerId", "externalCode", "email", "emailConsent", "phone", "smsConsent", "pushConsent"])
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
                // Without --excel, exactly the columns `roster import contacts` reads back (nothing it would take
                // for a field).
                var cells =
                    excel
                    ? [
                        customer.externalCode, customer.crmId, customer.origin.rawValue, customer.email ?? "",
                        String(customer.consent.email), customer.phone ?? "", String(customer.consent.sms),
                        String(customer.consent.push), String(devices.count),
                    ]
                    : [
                        customer.crmId, customer.externalCode, customer.email ?? "", String(customer.consent.email),
                        customer.phone ?? "", String(customer.consent.sms), String(customer.consent.push),
                    ]
                cells += fieldKeys.map { customer.fields[$0]?.value ?? "" }
                buffer += csvLine(cells, separator: separator)
            }
            if customer != nil { count += 1 }
            try flush()
        }
        try flush(force: true)
        if format == .jsonl { try sink(Data(trailer.line)) }
        return count
    }

    private func csvLine(_ cells: [String], separator: UInt8) -> [UInt8] {
        var line = [UInt8]()
        for (index, cell) in cells.enumerated() {
            if index > 0 { line.append(separator) }
            line += Array(CustomerExport.csvCell(cell, separator: separator, neutralized: excel).utf8)
        }
        line += excel ? [0x0D, 0x0A] : [0x0A]
        return line
    }

    /// One CSV cell, quoted when needed; for a spreadsheet (`neutralized`), also made safe from formula injection.
    ///
    /// A cell starting with `=`, `+`, `-`, `@` (or a tab or carriage return) would run as a formula in a
    /// spreadsheet; a leading apostrophe makes it text (OWASP's advice). Phones in E.164 start with `+`
    /// and get one too. That changes the value, so it is done only for `--excel`: a plain CSV export is data for
    /// `roster import contacts`, not for a spreadsheet.
    static func csvCell(_ value: String, separator: UInt8, neutralized: Bool = true) -> String {
        var text = value
        if neutralized, let first = text.unicodeScalars.first, ["=", "+", "-", "@", "\t", "\r"].contains(first) {
            text = "'" + text
        }
        let needsQuotes = text.utf8.contains { (byte: UInt8) -> Bool in
            byte == separator || byte == 0x22 || byte == 0x0A || byte == 0x0D
        }
        return needsQuotes ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
    }
}
