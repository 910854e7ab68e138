import Foundation
import Testing

@testable import RosterCore
@testable import RosterModel

@Suite("Identity: resolution, merges and conflicts")
struct IdentityRulesTests {
    @Test("any ID finds the customer: CRM id, externalCode, email, phone, deviceId")
    func resolveEveryKind() throws {
        let dir = try TemporaryDirectory()
        let store = try dir.makeStore()
        let added = try store.addCustomer(
            crmId: "CRM-7", email: "Ana@Example.com",
            phone: try PhoneNumber.normalize(countryCode: "34", phone: "600112233"))
        _ = try store.registerDevice(DeviceRegistration(platform: .android, deviceId: "dev-7"))
        _ = try store.login("dev-7", crmId: "CRM-7")
        for id in [
            "CRM-7", " CRM-7 ", added.externalCode, "ana@example.com", "ANA@example.com", "+34600112233",
            "+34 600 11 22 33", "0034600112233", "dev-7",
        ] {
            #expect(try store.customer(id).rowID == added.rowID, "\(id) did not resolve")
        }
        #expect(throws: RosterError.unknownID("nobody")) { try store.customer("nobody") }
    }

    @Test("an email-only customer is merged into an explicit one that later takes its email")
    func channelOnlyMergedIntoExplicit() throws {
        let dir = try TemporaryDirectory()
        let store = try dir.makeStore()
        let emailOnly = try store.customer(forEmail: "Bea@Example.com")
        #expect(emailOnly.origin == .email)
        #expect(emailOnly.crmId == "bea@example.com")
        _ = try store.set("bea@example.com", field: "city", value: "Sevilla")
        _ = try store.setConsent("bea@example.com", channel: .email, enabled: false)
        _ = try store.registerDevice(DeviceRegistration(platform: .ios, deviceId: "dev-b"))
        _ = try store.login("dev-b", crmId: "bea@example.com")

        let merged = try store.addCustomer(crmId: "CRM-B", email: "bea@example.com", fields: [("name", "Bea")])
        #expect(merged.origin == .explicit)
        #expect(merged.email == "bea@example.com")
        #expect(merged.fields["city"]?.value == "Sevilla")
        #expect(merged.fields["name"]?.value == "Bea")
        #expect(merged.consent.email == false, "consent travels with the merged channel")
        #expect(merged.history.map(\.externalCode) == [emailOnly.externalCode])
        #expect(try store.devices(of: merged).map(\.deviceId) == ["dev-b"])
        // The channel-only customer is gone: its CRM id no longer resolves to another row.
        #expect(try store.customer("bea@example.com").rowID == merged.rowID)
        #expect(throws: RosterError.unknownID(emailOnly.externalCode)) { try store.customer(emailOnly.externalCode) }
    }

    @Test("a channel-only customer is merged into the explicit owner when it is linked to that owner's phone")
    func channelOnlyTargetMergedIntoOwner() throws {
        let dir = try TemporaryDirectory()
        let store = try dir.makeStore()
        let explicit = try store.addCustomer(crmId: "CRM-C", phone: try PhoneNumber.parseInternational("+447700900123"))
        _ = try store.customer(forEmail: "carl@example.com")
        let survivor = try store.set("carl@example.com", field: "phone", value: "+44 7700 900123")
        #expect(survivor.rowID == explicit.rowID)
        #expect(survivor.email == "carl@example.com")
        #expect(survivor.phone == "+447700900123")
    }

    @Test("an identifier never moves from one explicit customer to another")
    func explicitConflictRefused() throws {
        let dir = try TemporaryDirectory()
        let store = try dir.makeStore()
        let first = try store.addCustomer(crmId: "CRM-1", email: "dana@example.com")
        let error = #expect(throws: RosterError.self) {
            try store.addCustomer(crmId: "CRM-2", email: "dana@example.com")
        }
        guard case .conflict(.identifierOwned(let noun, let owner, let fieldName)) = error else {
            Issue.record("expected an identifier owned by another customer, got \(String(describing: error))")
            return
        }
        #expect(noun.contains("dana@example.com"))
        #expect(owner == first.externalCode)
        #expect(fieldName == "email")
        #expect(error?.description.contains("roster customer unset \(first.externalCode) email") == true)
        // Nothing changed: CRM-2 was not created, the email stays with CRM-1.
        #expect(throws: RosterError.unknownID("CRM-2")) { try store.customer("CRM-2") }
        #expect(try store.customer("dana@example.com").crmId == "CRM-1")

        _ = try store.addCustomer(crmId: "CRM-2")
        #expect(throws: RosterError.self) { try store.set("CRM-2", field: "email", value: "DANA@example.com") }
        #expect(try store.customer("CRM-2").email == nil)
    }

    @Test("adding an existing explicit CRM id is refused; a channel-only one becomes explicit")
    func addExisting() throws {
        let dir = try TemporaryDirectory()
        let store = try dir.makeStore()
        _ = try store.addCustomer(crmId: "CRM-1")
        #expect(throws: RosterError.self) { try store.addCustomer(crmId: "CRM-1") }
        let channel = try store.customer(forPhone: try PhoneNumber.parseInternational("+34600112233"))
        let promoted = try store.addCustomer(crmId: "+34600112233")
        #expect(promoted.rowID == channel.rowID)
        #expect(promoted.origin == .explicit)
    }

    @Test("a customer's own email is replaced and the old one released")
    func replaceOwnEmail() throws {
        let dir = try TemporaryDirectory()
        let store = try dir.makeStore()
        _ = try store.addCustomer(crmId: "CRM-1", email: "old@example.com")
        _ = try store.set("CRM-1", field: "email", value: "new@example.com")
        #expect(try store.customer("new@example.com").crmId == "CRM-1")
        #expect(throws: RosterError.unknownID("old@example.com")) { try store.customer("old@example.com") }
        _ = try store.addCustomer(crmId: "CRM-2", email: "old@example.com")
        // A replaced address keeps the consent the customer gave for the channel.
        _ = try store.setConsent("CRM-1", channel: .email, enabled: false)
        #expect(try store.set("CRM-1", field: "email", value: "newer@example.com").consent.email == false)
    }

    @Test("field types are inferred once and enforced; bad values change nothing")
    func fieldTypes() throws {
        let dir = try TemporaryDirectory()
        let store = try dir.makeStore()
        _ = try store.addCustomer(
            crmId: "CRM-1", fields: [("Birthdate", "1990-02-28"), ("score", "12.5"), ("zip", "01234")])
        #expect(store.fields.map(\.type) == [.date, .number, .text])
        #expect(throws: RosterError.self) { try store.set("CRM-1", field: "birthdate", value: "1990-02-30") }
        #expect(throws: RosterError.self) { try store.set("CRM-1", field: "SCORE", value: "twelve") }
        #expect(try store.customer("CRM-1").fields["birthdate"]?.value == "1990-02-28")
        // A failed add registers no field type.
        #expect(throws: RosterError.self) {
            try store.addCustomer(crmId: "CRM-2", fields: [("vip", "true"), ("score", "x")])
        }
        #expect(store.fields.map(\.name).contains("vip") == false)
        _ = try store.addCustomer(crmId: "CRM-2", fields: [("vip", "TRUE")])
        #expect(try store.customer("CRM-2").fields["vip"] == FieldValue(type: .boolean, value: "true"))
    }

    @Test("unset removes a field or a channel; consent toggles per channel")
    func unsetAndConsent() throws {
        let dir = try TemporaryDirectory()
        let store = try dir.makeStore()
        _ = try store.addCustomer(crmId: "CRM-1", email: "e@example.com", fields: [("name", "Eva")])
        #expect(try store.unset("CRM-1", field: "NAME").fields.isEmpty)
        #expect(try store.unset("CRM-1", field: "email").email == nil)
        #expect(throws: RosterError.self) { try store.unset("CRM-1", field: "name") }
        let changed = try store.setConsent("CRM-1", channel: .sms, enabled: false)
        #expect(changed.consent == Consent(email: true, sms: false, push: true))
    }
}
