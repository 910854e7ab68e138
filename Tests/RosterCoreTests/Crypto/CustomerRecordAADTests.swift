import Testing

@testable import RosterCore
@testable import RosterModel

@Suite("The associated data of customer records, rewritten in place")
struct CustomerRecordAADTests {
    @Test("it spells what SealContext spells for every row id, one buffer reused from row to row")
    func sameAsSealContext() {
        var aad = CustomerRecordAAD()
        for rowID: Int64 in [1, 9, 10, 99, 100, 971_711, 1_000_000, 0, -1, -42, .max, .min, 7] {
            aad.set(rowID: rowID)
            let expected = SealContext(kind: "customer", id: rowID, column: "record").bytes
            #expect(aad.withUnsafeBytes { Array($0) } == expected, "row id \(rowID)")
        }
    }
}

@Suite("Room for a sealed or opened record")
struct AppendZerosTests {
    @Test("appends exactly the zeros asked for, across the block's size, after what the array holds")
    func appendsZeros() {
        for count in [0, 1, 4095, 4096, 4097, 10_000] {
            var bytes: [UInt8] = [7, 8]
            bytes.appendZeros(count)
            #expect(bytes.count == 2 + count)
            #expect(bytes.prefix(2) == [7, 8])
            #expect(bytes.dropFirst(2).allSatisfy { $0 == 0 })
        }
    }
}
