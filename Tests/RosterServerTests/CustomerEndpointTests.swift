import Foundation
import HummingbirdTesting
import RosterCore
import RosterModel
import Testing

@Suite("The /v2/customer endpoints")
struct CustomerEndpointTests {
    @Test("PUT fields creates the customer; GET returns the platform's shape and the fields asked for")
    func fields() async throws {
        let server = try TestServer()
        try await server.test { client in
            let put = try await client.call(
                .put, "/v2/customer/field?customerId=CRM-1", key: server.writeKey,
                body: #"{"name":"Ana","birthdate":"1990-04-02","score":12,"vip":true}"#)
            #expect(put.status == 201)
            #expect(put.data["name"] as? String == "Ana")
            #expect(put.data["score"] as? String == "12")
            let customer = try await client.call(.get, "/v2/customer?customerId=CRM-1", key: server.readKey)
            #expect(customer.status == 200)
            #expect(customer.data["customerId"] as? String == "CRM-1")
            let code = customer.data["id"] as? String ?? ""
            #expect(code.count == 64)
            #expect(customer.data["applicationId"] as? String != nil)
            let fields = try await client.call(
                .get, "/v2/customer/field?customerId=\(code)&fieldNames=Name,city", key: server.readKey)
            #expect(fields.data["Name"] as? String == "Ana")
            #expect(fields.data["city"] is NSNull)
            let wrongType = try await client.call(
                .put, "/v2/customer/field?customerId=CRM-1", key: server.writeKey, body: #"{"birthdate":"soon"}"#)
            #expect(wrongType.status == 400)
            #expect(wrongType.errorCode == 4004)
            let twice = try await client.call(
                .put, "/v2/customer/field?customerId=CRM-1", key: server.writeKey,
                body: #"{"city":"Lugo","City":"Vigo"}"#)
            #expect(twice.status == 400)
            let deleted = try await client.call(
                .delete, "/v2/customer/field?customerId=CRM-1", key: server.writeKey, body: #"{"fields":["vip"]}"#)
            #expect(deleted.status == 200)
            #expect(deleted.data["vip"] == nil)
            let unknown = try await client.call(.get, "/v2/customer?customerId=CRM-404", key: server.readKey)
            #expect(unknown.status == 404)
            #expect(unknown.errorCode == 4601)
        }
    }

    @Test("links give a customer an email, a phone and a device; an email owned by another is a 409")
    func links() async throws {
        let server = try TestServer()
        try await server.test { client in
            _ = try await client.call(
                .post, "/v1/device", key: server.writeKey, body: #"{"deviceId":"dev-9","platform":"ios"}"#)
            let email = try await client.call(
                .post, "/v2/customer/link", key: server.writeKey,
                body: #"{"channel":"email","email":" Ana@Example.COM ","customerId":"CRM-1"}"#)
            #expect(email.status == 201)
            let phone = try await client.call(
                .post, "/v2/customer/link", key: server.writeKey,
                body: #"{"channel":"sms","countryCode":"44","phone":"07700 900123","customerId":"CRM-1"}"#)
            #expect(phone.status == 200)
            let device = try await client.call(
                .post, "/v2/customer/link", key: server.writeKey,
                body: #"{"channel":"push","deviceId":"dev-9","customerId":"CRM-1"}"#)
            #expect(device.status == 200)
            let byPhone = try await client.call(.get, "/v2/customer?customerId=%2B447700900123", key: server.readKey)
            #expect(byPhone.data["customerId"] as? String == "CRM-1")
            let deviceAnswer = try await client.call(.get, "/v1/device?deviceId=dev-9", key: server.readKey)
            #expect(deviceAnswer.data["externalCode"] as? String == byPhone.data["id"] as? String)
            let taken = try await client.call(
                .post, "/v2/customer/link", key: server.writeKey,
                body: #"{"channel":"email","email":"ana@example.com","customerId":"CRM-2"}"#)
            #expect(taken.status == 409)
            #expect(taken.errorCode == 4090)
            let badEmail = try await client.call(
                .post, "/v2/customer/link", key: server.writeKey,
                body: #"{"channel":"email","email":"not-an-email","customerId":"CRM-1"}"#)
            #expect(badEmail.status == 400)
            #expect(badEmail.errorCode == 4005)
            let unlinked = try await client.call(
                .delete, "/v2/customer/link", key: server.writeKey,
                body: #"{"channel":"push","deviceId":"dev-9","customerId":"CRM-1"}"#)
            #expect(unlinked.status == 200)
            let anonymous = try await client.call(.get, "/v1/device?deviceId=dev-9", key: server.readKey)
            #expect(anonymous.data["externalCode"] is NSNull)
        }
    }

    @Test("consent per channel, and every change audited with the key's name as the actor")
    func consentAndAudit() async throws {
        let server = try TestServer()
        try await server.test { client in
            _ = try await client.call(
                .put, "/v2/customer/field?customerId=CRM-1", key: server.writeKey, body: #"{"name":"Ana"}"#)
            let consent = try await client.call(
                .put, "/v2/customer/consent", key: server.writeKey,
                body: #"{"customerId":"CRM-1","channel":"sms","enabled":false}"#)
            #expect(consent.status == 200)
            #expect(consent.data["sms"] as? Bool == false)
            #expect(consent.data["email"] as? Bool == true)
            let export = try await client.call(.get, "/v2/customer/export?customerId=CRM-1", key: server.adminKey)
            #expect(export.status == 200)
            let trail = export.data["audit"] as? [[String: Any]] ?? []
            let actors = trail.map { "\($0["actor"] ?? "") \($0["action"] ?? "")" }
            #expect(actors.contains("crm-sync field"))
            #expect(actors.contains("crm-sync consent"))
            #expect(actors.contains("dpo export"))
        }
    }

    @Test("erasure by an admin key removes the customer and is audited under the key's name")
    func erase() async throws {
        let server = try TestServer()
        try await server.test { client in
            _ = try await client.call(
                .put, "/v2/customer/field?customerId=CRM-1", key: server.writeKey, body: #"{"name":"Ana"}"#)
            let erased = try await client.call(
                .post, "/v2/customer/erase", key: server.adminKey, body: #"{"customerId":"CRM-1","suppress":true}"#)
            #expect(erased.status == 200)
            #expect(erased.data["suppressed"] as? Bool == true)
            let gone = try await client.call(.get, "/v2/customer?customerId=CRM-1", key: server.readKey)
            #expect(gone.status == 404)
            let again = try await client.call(
                .put, "/v2/customer/field?customerId=CRM-1", key: server.writeKey, body: #"{"name":"Ana"}"#)
            #expect(again.status == 409)
        }
    }
}
