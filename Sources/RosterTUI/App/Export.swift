import RosterModel

/// `:export FILE [csv|jsonl]`: the current view as it is listed (filtered and sorted).
public struct ExportRequest: Sendable {
    /// The file, `~` already expanded.
    public let path: String
    /// `csv` (the visible columns, values in clear) or `jsonl` (each row's whole record).
    public let format: String
    public let view: ListKind
    public let columns: [ListColumn]
    public let rows: RowList
    public let customers: CustomerCatalog?
    public let devices: DeviceCatalog?

    public init(
        path: String, format: String, view: ListKind, columns: [ListColumn], rows: RowList,
        customers: CustomerCatalog?, devices: DeviceCatalog?
    ) {
        self.path = path
        self.format = format
        self.view = view
        self.columns = columns
        self.rows = rows
        self.customers = customers
        self.devices = devices
    }

    /// The header of a CSV export: the columns' names.
    public var titles: [String] {
        columns.map { $0 == .devices ? "devices" : $0.title(in: customers?.workingSet) }
    }

    /// The cells of row `position` of a CSV export: every value in clear (an export is the data, as
    /// `roster export` writes it), the externalCode whole.
    public func cells(_ position: Int) -> [String] {
        let row = rows[position]
        if let workingSet = customers?.workingSet, view.showsCustomers {
            return columns.map { column in
                switch column {
                case .externalCode: return workingSet.externalCodes[row]
                case .email: return workingSet.emails[row] ?? ""
                case .phone: return workingSet.phones[row] ?? ""
                case .devices: return String(workingSet.deviceCounts[row])
                case .field(let key):
                    return workingSet.columnIndex(named: key).flatMap { workingSet.columns[$0].values[row] } ?? ""
                default:
                    return ListTable.customerCell(
                        column, field: nil, kind: view, row: row, workingSet, revealed: true
                    ).0
                }
            }
        }
        guard let device = devices?.devices[row] else { return [] }
        return columns.map { column in
            column == .externalCode ? device.externalCode ?? "" : ListTable.deviceCell(column, device, kind: view).0
        }
    }

    /// One CSV line (RFC 4180 quoting), with its line feed.
    public static func csvLine(_ cells: [String]) -> String {
        cells.map { cell in
            cell.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline })
                ? "\"" + cell.replacingOccurrences("\"", "\"\"") + "\"" : cell
        }.joined(separator: ",") + "\n"
    }
}

extension String {
    /// Every `target` replaced by `replacement` (without Foundation).
    fileprivate func replacingOccurrences(_ target: Character, _ replacement: String) -> String {
        var result = ""
        for character in self { if character == target { result += replacement } else { result.append(character) } }
        return result
    }
}

/// What an export wrote.
public struct ExportReport: Sendable, Equatable {
    public let path: String
    public let count: Int
    public let format: String

    public init(path: String, count: Int, format: String) {
        self.path = path
        self.count = count
        self.format = format
    }
}
