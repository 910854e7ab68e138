import Foundation
import RosterCore

/// Orders a list's rows by one of its columns: typed (numbers as numbers, dates as dates, text without regard
/// to case and accents), stable (equal values keep the list's order), missing values last either way.
enum ListSorter {
    /// A sort key: a number, or text folded for comparison; nil when the value is missing.
    enum Value: Comparable {
        case number(Double)
        case text(String)
    }

    /// The rows of `request` in order; nil when `cancelled` said so before the end.
    static func sort(_ request: SortRequest, cancelled: () -> Bool) -> [Int32]? {
        let rows = request.rows
        var keys: [(value: Value?, position: Int32)] = []
        keys.reserveCapacity(rows.count)
        let value = valueFunction(request)
        for position in 0..<rows.count {
            if position & 0xFFFF == 0 && cancelled() { return nil }
            keys.append((value(rows[position]), Int32(position)))
        }
        if cancelled() { return nil }
        let ascending = request.key.ascending
        keys.sort { left, right in
            switch (left.value, right.value) {
            case (nil, nil): return left.position < right.position
            case (nil, _): return false
            case (_, nil): return true
            case (let a?, let b?):
                if a == b { return left.position < right.position }
                return ascending ? a < b : b < a
            }
        }
        if cancelled() { return nil }
        return keys.map { Int32(rows[Int($0.position)]) }
    }

    /// Folds text for comparison: case and accents ignored.
    static func fold(_ text: String) -> String {
        text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
    }

    /// How to read the sort key of a row (a working-set row or a device index).
    static func valueFunction(_ request: SortRequest) -> (Int) -> Value? {
        if let devices = request.devices?.devices, !request.view.showsCustomers {
            return { index in deviceValue(request.key.column, devices[index]) }
        }
        guard let workingSet = request.customers?.workingSet else { return { _ in nil } }
        switch request.key.column {
        case .externalCode: return { .text(workingSet.externalCodes[$0]) }
        case .crmId: return { workingSet.crmIds[$0].map { .text(fold($0)) } }
        case .email: return { workingSet.emails[$0].map { .text(fold($0)) } }
        case .phone: return { workingSet.phones[$0].map { .text($0) } }
        case .devices: return { .number(Double(workingSet.deviceCounts[$0])) }
        case .consent:
            return { row in
                let consent = workingSet.consent[row]
                return .number(Double((consent.email ? 4 : 0) + (consent.sms ? 2 : 0) + (consent.push ? 1 : 0)))
            }
        case .field(let key):
            guard let column = workingSet.column(named: key) else { return { _ in nil } }
            let values = column.values
            switch column.type {
            case .number: return { row in values[row].flatMap { Double($0) }.map { .number($0) } }
            case .date, .boolean: return { row in values[row].map { .text($0.lowercased()) } }
            case .text: return { row in values[row].map { .text(fold($0)) } }
            }
        default:
            return { _ in nil }
        }
    }

    static func deviceValue(_ column: ListColumn, _ device: Device) -> Value? {
        switch column {
        case .deviceId: return .text(fold(device.deviceId))
        case .platform: return .text(device.platform.rawValue)
        case .push: return .number(device.enabled ? 1 : 0)
        case .locale: return device.locale.map { .text(fold($0)) }
        case .timeZone: return device.timeZone.map { .text(fold($0)) }
        case .externalCode: return device.externalCode.map { .text($0) }
        case .system: return device.osName.map { .text(fold($0)) }
        case .pushToken: return device.pushToken.map { .text($0) }
        default: return nil
        }
    }
}
