extension Array where Element == UInt8 {
    /// Appends `count` zero bytes, room that a seal or an open then writes in place, copied from a block of zeros
    /// (`append(contentsOf: repeatElement(0, count:))` wrote them one at a time, once per record).
    mutating func appendZeros(_ count: Int) {
        var left = count
        while left > 0 {
            let step = Swift.min(left, zeroBlock.count)
            zeroBlock.withUnsafeBufferPointer { append(contentsOf: UnsafeBufferPointer(rebasing: $0[..<step])) }
            left -= step
        }
    }
}

private let zeroBlock = [UInt8](repeating: 0, count: 4096)
