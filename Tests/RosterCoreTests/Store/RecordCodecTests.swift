import Foundation
import Testing

@testable import RosterCore

@Suite("Record encoding")
struct RecordCodecTests {
    @Test("the bulk import's encoder writes the same bytes as the general one, and they decode back")
    func encodeNewMatchesEncode() throws {
        let fields = [
            FieldAssignment(key: "birthdate", name: "Birthdate", type: .date, value: "1990-02-28"),
            FieldAssignment(key: "name", name: "Name", type: .text, value: "Zoë 山田"),
        ]
        let customer = Customer(
            rowID: 7, externalCode: String(repeating: "ab", count: 32), crmId: "CRM-7", origin: .explicit,
            email: "zoe@example.com", phone: nil, consent: Consent(email: true, sms: false, push: true),
            fields: Dictionary(
                uniqueKeysWithValues: fields.map { ($0.key, FieldValue(type: $0.type, value: $0.value)) }),
            history: [], createdAt: 1_700_000_000, updatedAt: 1_700_000_000)
        let general = RecordCodec.encode(customer)
        var writer = RecordWriter(version: 0)
        // A writer reused for a second record starts afresh.
        writer.write("left over from an earlier record")
        Hex.decode(customer.externalCode)!.withUnsafeBytes { code in
            RecordCodec.encodeNew(
                into: &writer, crmId: "CRM-7", code: code, origin: .explicit, email: "zoe@example.com",
                phone: nil, consent: customer.consent, sortedFields: fields, at: 1_700_000_000)
        }
        let bulk = writer.bytes
        #expect(bulk == general)
        #expect(try RecordCodec.decodeCustomer(bulk, rowID: 7) == customer)
    }
}
