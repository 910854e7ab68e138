import Foundation

/// Whether a column has clearly more distinct values than a limit, judged from a sample of its rows before paying for
/// an attempt that would give up.
///
/// A dictionary of a column and the ranking of a sort's distinct values both stop once they pass their limit, but at
/// 10M rows they get there holding tens of MB (a code per row, a hash table of millions of values) and a few hundred
/// milliseconds of hashing: the CRM ids' dictionary held ~80 MB before giving up, on the console's peak. A sample of
/// 16,384 rows, drawn at fixed pseudo-random positions, counts how often a value repeats one already drawn. With `d`
/// values drawn evenly, `s` draws repeat about `s - d(1 - (1 - 1/d)^s)` times (`s²/2d` when `s` is small beside `d`);
/// values drawn unevenly repeat more. So a sample that repeats less than half as often as `limit` values would make
/// it means clearly more than `limit` distinct values (about twice as many or more, and then the attempt would fail);
/// anything else means "maybe", and the caller attempts as before. Deterministic: the positions depend on the number
/// of rows only.
enum DistinctSample {
    /// How many rows a sample draws.
    static let size = 16_384

    /// True when the `count` rows, `hash(position)` giving each one's value's hash (nil: no value), clearly hold more
    /// than `limit` distinct values. False for fewer than four samples' worth of rows (the attempt is cheap then) or
    /// fewer than `size / 4` values drawn.
    static func clearlyMore(than limit: Int, count: Int, hash: (Int) -> UInt64?) -> Bool {
        guard limit > 0, limit < count, count >= 4 * size else { return false }
        var state = 0x5DEE_CE66_D1CE_4E5B ^ UInt64(count)
        func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        // Distinct positions in increasing order: a row drawn twice would repeat itself, and reading in order is kind
        // to the cache.
        var positions = (0..<size).map { _ in Int(next() % UInt64(count)) }
        positions.sort()
        var seen = Set<UInt64>(minimumCapacity: size)
        var drawn = 0
        var repeats = 0
        var previous = -1
        for position in positions where position != previous {
            previous = position
            guard let hash = hash(position) else { continue }
            drawn += 1
            if !seen.insert(hash).inserted { repeats += 1 }
        }
        guard drawn >= size / 4 else { return false }
        let values = Double(limit)
        let expected = Double(drawn) - values * -expm1(Double(drawn) * log1p(-1 / values))
        return Double(repeats) < expected / 2
    }
}
