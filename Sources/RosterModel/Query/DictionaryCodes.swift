/// The value of each row of a dictionary column (`FoldedTextColumn.codes`; 0 is "missing"): 2 bytes a row while
/// the column has fewer than 65,536 values — cities and names have tens to thousands — else 4.
///
/// At 10M rows a code per row was 38 MB for each of `name` and `city`, on the console's peak; the counting sorts and
/// frequency tables read every code, so half the bytes is also half their memory traffic. Loops over the codes are
/// written once, generic over the width (`withCodes`), and specialized for each.
enum DictionaryCodes: Sendable {
    case narrow([UInt16])
    case wide([UInt32])

    /// The number of rows.
    var count: Int {
        switch self {
        case .narrow(let codes): codes.count
        case .wide(let codes): codes.count
        }
    }

    /// The value of `row`.
    @inline(__always)
    subscript(row: Int) -> Int {
        switch self {
        case .narrow(let codes): Int(codes[row])
        case .wide(let codes): Int(codes[row])
        }
    }

    /// `body` on the codes at their own width.
    @inline(__always)
    func withCodes<Reader: CodesReader>(_ body: Reader) -> Reader.Result {
        switch self {
        case .narrow(let codes): codes.withUnsafeBufferPointer { body.read($0) }
        case .wide(let codes): codes.withUnsafeBufferPointer { body.read($0) }
        }
    }
}

/// A loop over a dictionary column's codes, at either width.
protocol CodesReader {
    associatedtype Result
    func read<Code: FixedWidthInteger & UnsignedInteger>(_ codes: UnsafeBufferPointer<Code>) -> Result
}

/// Builds a dictionary column's codes, 2 bytes a row until a value past 65,535 needs 4.
struct DictionaryCodesBuilder {
    private var narrow: [UInt16]
    private var wide: [UInt32]?

    /// `count` rows, all missing (0).
    init(count: Int) { narrow = [UInt16](repeating: 0, count: count) }

    /// Runs `body` over the codes from `start` at their current width; `body` returns nil when done, or the row at
    /// which it needs a value the width cannot hold, from which it is run again with 4 bytes a row.
    mutating func fill(_ body: (_ codes: CodesWriter, _ from: Int) -> Int?) {
        if wide == nil {
            guard let stopped = narrow.withUnsafeMutableBufferPointer({ body(CodesWriter(narrow: $0), 0) }) else {
                return
            }
            var wide = [UInt32](repeating: 0, count: narrow.count)
            for row in 0..<stopped { wide[row] = UInt32(narrow[row]) }
            narrow = []
            self.wide = wide
            _ = self.wide!.withUnsafeMutableBufferPointer { body(CodesWriter(wide: $0), stopped) }
        }
    }

    var codes: DictionaryCodes { wide.map { .wide($0) } ?? .narrow(narrow) }
}

/// Where a dictionary's builder writes the value of each row.
struct CodesWriter {
    private let narrow: UnsafeMutableBufferPointer<UInt16>?
    private let wide: UnsafeMutableBufferPointer<UInt32>?

    fileprivate init(narrow: UnsafeMutableBufferPointer<UInt16>) { (self.narrow, wide) = (narrow, nil) }
    fileprivate init(wide: UnsafeMutableBufferPointer<UInt32>) { (narrow, self.wide) = (nil, wide) }

    /// The largest value this width holds.
    var maximum: Int { narrow != nil ? Int(UInt16.max) : Int(UInt32.max) }

    @inline(__always)
    func set(_ row: Int, _ value: Int) {
        if let narrow { narrow[row] = UInt16(truncatingIfNeeded: value) } else { wide![row] = UInt32(value) }
    }
}
