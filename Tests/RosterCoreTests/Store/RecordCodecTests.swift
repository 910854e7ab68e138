import Foundation
import Testing

@testable import RosterCore
@testable import RosterModel

@Suite("Record encoding")
struct RecordCodecTests {
    @Test("the bulk import's encoder writes the same bytes as the general one, and they decode back")
    func encodeNewMatchesEncode() throws {
        let fields = [
            FieldAssignment(key: "birthdate", name: "Birthdate", type: .date, value: "1990-02-28"),
            FieldAssignment(key: "name", name: "Name", type: .text, value: "Zoë 山田"),
        ]
        // Every byte different, high and low nibbles both above and below 10: the hex is written digit by digit.
        let code = (0..<32).map { UInt8(truncatingIfNeeded: $0 * 37 + 11) }
        let customer = Customer(
            rowID: 7, externalCode: Hex.encode(code), crmId: "CRM-7", origin: .explicit,
            email: "zoe@example.com", phone: nil, consent: Consent(email: true, sms: false, push: true),
            fields: Dictionary(
                uniqueKeysWithValues: fields.map { ($0.key, FieldValue(type: $0.type, value: $0.value)) }),
            history: [], createdAt: 1_700_000_000, updatedAt: 1_700_000_000)
        let general = RecordCodec.encode(customer)
        var writer = RecordWriter(version: 0)
        // A writer reused for a second record starts afresh.
        writer.write("left over from an earlier record")
        RecordCodec.encodeNew(
            into: &writer, crmId: "CRM-7", code: code.withUnsafeBytes(RawCode.init), origin: .explicit,
            email: "zoe@example.com", phone: nil, consent: customer.consent, sortedFields: fields, at: 1_700_000_000)
        let bulk = writer.bytes
        #expect(bulk == general)
        #expect(try RecordCodec.decodeCustomer(bulk, rowID: 7) == customer)
    }

    @Test("a device record seals its customer link; a version 1 record (without it) still reads")
    func deviceLink() throws {
        let device = Device(
            rowID: 3, deviceId: "d-1", platform: .ios, enabled: true, locale: "es-ES", createdAt: 1, updatedAt: 2,
            customerRowID: 9)
        let bytes = RecordCodec.encode(device)
        #expect(try RecordCodec.decodeDevice(bytes, rowID: 3, customerRowID: 9).customerRowID == 9)
        #expect(throws: RecordCodec.LinkMismatch.self) {
            try RecordCodec.decodeDevice(bytes, rowID: 3, customerRowID: 8)
        }
        #expect(throws: RecordCodec.LinkMismatch.self) {
            try RecordCodec.decodeDevice(bytes, rowID: 3, customerRowID: nil)
        }
        // Version 1 ended before the link (a bool and a zig-zag varint: 9 is one byte).
        let legacy = [1] + bytes.dropFirst().dropLast(2)
        #expect(try RecordCodec.decodeDevice(Array(legacy), rowID: 3, customerRowID: 4).locale == "es-ES")
    }
}
