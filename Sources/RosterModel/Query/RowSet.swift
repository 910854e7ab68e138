import Dispatch
import RosterConcurrency

/// A set of rows of a working set as a bitset, the form in which filter conditions are combined word by word.
struct RowSet: Sendable {
    private(set) var words: [UInt64]
    /// The number of rows of the working set, not of the set.
    let count: Int

    /// Below this many rows a second thread costs more than it saves.
    static let parallelThreshold = 1 << 16

    init(count: Int, filled: Bool = false) {
        self.count = count
        words = Array(repeating: filled ? ~0 : 0, count: (count + 63) / 64)
        if filled { clearTail() }
    }

    /// Ranges of rows, each starting on a word boundary, that threads can fill without sharing a word.
    static func chunks(count: Int) -> [Range<Int>] {
        guard count >= parallelThreshold else { return [0..<count] }
        let middle = (count / 2 + 63) & ~63
        return [0..<middle, middle..<count]
    }

    /// Runs `body` once per chunk of rows, the chunks in parallel.
    ///
    /// `body` writes disjoint parts of buffers it captures, which the compiler cannot see; the chunks share no word.
    static func forEachChunk(count: Int, _ body: (Range<Int>) -> Void) {
        let chunks = chunks(count: count)
        guard chunks.count > 1 else { return body(chunks[0]) }
        withoutActuallyEscaping(body) { body in
            let shared = UncheckedSendable(body)
            DispatchQueue.concurrentPerform(iterations: chunks.count) { shared.value(chunks[$0]) }
        }
    }

    /// The rows for which `predicate` holds, evaluated in parallel chunks.
    static func matching<Predicate: RowPredicate>(count: Int, _ predicate: Predicate) -> RowSet {
        var set = RowSet(count: count)
        set.words.withUnsafeMutableBufferPointer { words in
            let words = words
            forEachChunk(count: count) { rows in
                var row = rows.lowerBound
                while row &+ 64 <= rows.upperBound {
                    var word: UInt64 = 0
                    for bit in 0..<64 { word |= UInt64(predicate(row &+ bit) ? 1 : 0) &<< UInt64(bit) }
                    words[row &>> 6] = word
                    row &+= 64
                }
                if row < rows.upperBound {
                    var word: UInt64 = 0
                    for bit in 0..<(rows.upperBound - row) where predicate(row + bit) { word |= 1 << UInt64(bit) }
                    words[row >> 6] = word
                }
            }
        }
        return set
    }

    /// The rows for which `test` holds: for conditions rare enough that a call per row does not matter.
    static func matching(count: Int, _ test: @escaping (Int) -> Bool) -> RowSet {
        matching(count: count, RowPredicates.Closure(test: test))
    }

    /// A set filled by `fill`, which gets a chunk of rows and the words to set bits in (global row numbering).
    static func filled(count: Int, _ fill: (Range<Int>, UnsafeMutableBufferPointer<UInt64>) -> Void) -> RowSet {
        var set = RowSet(count: count)
        set.words.withUnsafeMutableBufferPointer { words in
            let words = words
            forEachChunk(count: count) { fill($0, words) }
        }
        return set
    }

    mutating func formIntersection(_ other: RowSet) {
        words.withUnsafeMutableBufferPointer { mine in
            other.words.withUnsafeBufferPointer { theirs in
                for index in mine.indices { mine[index] &= theirs[index] }
            }
        }
    }

    mutating func formUnion(_ other: RowSet) {
        words.withUnsafeMutableBufferPointer { mine in
            other.words.withUnsafeBufferPointer { theirs in
                for index in mine.indices { mine[index] |= theirs[index] }
            }
        }
    }

    mutating func invert() {
        words.withUnsafeMutableBufferPointer { mine in
            for index in mine.indices { mine[index] = ~mine[index] }
        }
        clearTail()
    }

    /// The number of rows in the set.
    var cardinality: Int {
        words.reduce(0) { $0 + $1.nonzeroBitCount }
    }

    /// The number of rows in both sets, without making the intersection.
    func countInCommon(with other: RowSet) -> Int {
        precondition(count == other.count, "sets of one working set")
        return zip(words, other.words).reduce(0) { $0 + ($1.0 & $1.1).nonzeroBitCount }
    }

    /// The number of rows in none of `sets` (all of one working set of `count` rows).
    static func countInNone(_ sets: [RowSet], count: Int) -> Int {
        precondition(sets.allSatisfy { $0.count == count }, "sets of one working set")
        var inAny = 0
        for word in 0..<(count + 63) / 64 {
            inAny += sets.reduce(UInt64(0)) { $0 | $1.words[word] }.nonzeroBitCount
        }
        return count - inAny
    }

    /// The rows in the set, ascending.
    func indices() -> [Int32] {
        let total = cardinality
        return [Int32](unsafeUninitializedCapacity: total) { buffer, initialized in
            var next = 0
            for (index, word) in words.enumerated() {
                var bits = word
                let base = Int32(truncatingIfNeeded: index << 6)
                while bits != 0 {
                    buffer[next] = base + Int32(bits.trailingZeroBitCount)
                    next += 1
                    bits &= bits &- 1
                }
            }
            initialized = total
        }
    }

    // Bits past the last row must stay clear so that counts and inversions stay exact.
    private mutating func clearTail() {
        let used = count & 63
        if used != 0, !words.isEmpty { words[words.count - 1] &= (1 << UInt64(used)) - 1 }
    }
}
