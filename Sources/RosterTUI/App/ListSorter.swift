import Foundation
import RosterModel

/// Orders a list's rows by one of its columns: typed (numbers as numbers, dates as dates, text without regard
/// to case and accents), stable (equal values keep the list's order), missing values last either way.
enum ListSorter {
    /// A sort key: a number, or text folded for comparison; nil when the value is missing.
    enum Value: Comparable {
        case number(Double)
        case text(String)
    }

    /// The rows of `request` in order; nil when `cancelled` said so before the end. Customers are sorted by
    /// RosterCore (`FilterIndex.sorted`: on both cores, from the index the filters use); devices here.
    static func sort(
        _ request: SortRequest, store: ConsoleStore, cancelled: @escaping @Sendable () -> Bool
    ) -> [Int32]? {
        guard request.view.showsCustomers else { return sort(request, cancelled: cancelled) }
        guard let workingSet = request.customers?.workingSet, let key = request.key.column.columnKey else { return nil }
        let rows: [Int32]? =
            switch request.rows {
            case .all: nil
            case .indices(let list): list
            }
        return store.filterIndex(for: workingSet).sorted(
            rows, by: key, ascending: request.key.ascending, isCancelled: cancelled)
    }

    /// The devices of `request` in order; nil when `cancelled` said so before the end.
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

    /// How to read the sort key of a device.
    static func valueFunction(_ request: SortRequest) -> (Int) -> Value? {
        let devices = request.devices?.devices ?? []
        return { index in deviceValue(request.key.column, devices[index]) }
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
