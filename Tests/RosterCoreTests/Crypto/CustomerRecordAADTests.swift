import Testing

@testable import RosterCore

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
