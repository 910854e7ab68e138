import Foundation
import RosterModel

/// Running a filter against a store: the working set, its index and "today" in the store's time zone.
public struct Segment: Sendable {
    public let workingSet: WorkingSet
    public let index: FilterIndex

    /// Loads (or rebuilds) the store's working set and indexes it for filters.
    public init(store: Store, progress: (@Sendable (Double) -> Void)? = nil) throws {
        workingSet = try store.loadWorkingSet(progress: progress)
        index = FilterIndex(workingSet)
        Trace.mark("filter index ready")
    }

    /// "Today" for `birthday = today`: a fixed `YYYY-MM-DD`, or now in a time zone (the store's by default).
    /// It names the store's saved segments, for `@NAME`.
    public static func context(store: Store, today: String? = nil, timeZone: String? = nil) throws -> FilterContext {
        var context = try dayContext(store: store, today: today, timeZone: timeZone)
        context.segments = try store.savedSegments()
        return context
    }

    private static func dayContext(store: Store, today: String?, timeZone: String?) throws -> FilterContext {
        if let today {
            do {
                return try FilterContext.fixed(today, leapDayRule: store.leapDayRule)
            } catch {
                throw RosterError.invalidValue(.today(today, reason: error.description))
            }
        }
        let name = timeZone ?? store.timeZone
        guard let zone = TimeZone(identifier: name) else {
            throw RosterError.invalidValue(.unknownTimeZone(name))
        }
        return FilterContext.today(in: zone, leapDayRule: store.leapDayRule)
    }

    /// Row indices of the working set that `expression` selects.
    public func rows(matching expression: String, context: FilterContext) throws -> [Int32] {
        do {
            let rows = try index.evaluate(try Filter.parse(expression, segments: context.segments), context: context)
            Trace.mark("filter: \(rows.count) rows")
            return rows
        } catch {
            throw RosterError.invalidValue(.filter(error))
        }
    }

    /// The row ids (store rows) of the customers `expression` selects, for exports.
    public static func rowIDs(matching expression: String, in store: Store) throws -> Set<Int64> {
        let segment = try Segment(store: store)
        let rows = try segment.rows(matching: expression, context: try context(store: store))
        return Set(rows.map { segment.workingSet.rowIDs[Int($0)] })
    }
}
