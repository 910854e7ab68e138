import Foundation
import Testing

@testable import RosterCore
@testable import RosterModel

@Suite("The store's leap-day setting")
struct LeapDaySettingTests {
    func count(_ store: Store, today: String) throws -> Int {
        let segment = try Segment(store: store)
        return try segment.rows(
            matching: "birthday = today", context: try Segment.context(store: store, today: today)
        ).count
    }

    @Test("29 February birthdays count on 1 March by default, on 28 February when the store says so")
    func rule() throws {
        let dir = try TemporaryDirectory()
        let keyFile = dir.file("k.key")
        try KeyFile.create(at: keyFile)
        let store = try Store.create(
            at: dir.file("feb.roster"), region: "eu", leapDayRule: .februaryTwentyEighth, key: .keyFile(path: keyFile))
        _ = try store.addCustomer(crmId: "LEAP", fields: [("birthdate", "2000-02-29")])
        #expect(try count(store, today: "2027-02-28") == 1)
        #expect(try count(store, today: "2027-03-01") == 0)
        try store.close()
        let reopened = try Store.open(at: dir.file("feb.roster"), key: .keyFile(path: keyFile))
        #expect(reopened.leapDayRule == .februaryTwentyEighth)

        let other = try TemporaryDirectory()
        let plain = try other.makeStore()
        _ = try plain.addCustomer(crmId: "LEAP", fields: [("birthdate", "2000-02-29")])
        #expect(try count(plain, today: "2027-03-01") == 1)
        #expect(try count(plain, today: "2028-02-29") == 1)
    }
}
