import Foundation
import HummingbirdTesting
import Testing

@Suite("The /v1/device endpoints")
struct DeviceEndpointTests {
    @Test("a device registered with the SDK's timeZome spelling reads back as deviceGet's five keys first")
    func registerAndGet() async throws {
        let server = try TestServer()
        try await server.test { client in
            let body = #"""
                {"deviceId":"777ded1c-0000-4000-8000-000000000001","platform":"webpush","locale":"es-ES",
                 "timeZome":"Europe/Madrid","timeOffset":60,"browserName":"Firefox","pushToken":"tok-1"}
                """#
            let created = try await client.call(.post, "/v1/device", key: server.writeKey, body: body)
            #expect(created.status == 201)
            #expect(created.data["timeZone"] as? String == "Europe/Madrid")
            let again = try await client.call(.post, "/v1/device", key: server.writeKey, body: body)
            #expect(again.status == 200)
            let answer = try await client.call(
                .get, "/v1/device?deviceId=777ded1c-0000-4000-8000-000000000001", key: server.readKey)
            #expect(answer.status == 200)
            #expect(answer.data["enabled"] as? Bool == true)
            #expect(answer.data["locale"] as? String == "es-ES")
            #expect(answer.data["browserName"] as? String == "Firefox")
            #expect(answer.data["platform"] as? String == "webpush")
        }
    }

    @Test("PUT disables a device and changes its zone; an unknown device is 404 with code 4602")
    func update() async throws {
        let server = try TestServer()
        try await server.test { client in
            _ = try await client.call(
                .post, "/v1/device", key: server.writeKey, body: #"{"deviceId":"d-1","platform":"android"}"#)
            let updated = try await client.call(
                .put, "/v1/device?deviceId=d-1", key: server.writeKey,
                body: #"{"enabled":false,"timeZone":"America/New_York"}"#)
            #expect(updated.status == 200)
            #expect(updated.data["enabled"] as? Bool == false)
            #expect(updated.data["timeZone"] as? String == "America/New_York")
            let missing = try await client.call(
                .put, "/v1/device", key: server.writeKey, body: #"{"deviceId":"nope","enabled":true}"#)
            #expect(missing.status == 404)
            #expect(missing.errorCode == 4602)
            let get = try await client.call(.get, "/v1/device?deviceId=nope", key: server.readKey)
            #expect(get.errorCode == 4602)
        }
    }

    @Test("bad device bodies are 400s that name the problem: unknown keys, wrong types, bad platform or zone")
    func badBodies() async throws {
        let server = try TestServer()
        try await server.test { client in
            let cases: [(String, Int)] = [
                (#"{"platform":"webpush","colour":"red"}"#, 4001),
                (#"{"platform":1}"#, 4002),
                (#"{"platform":"symbian"}"#, 4004),
                (#"{"platform":"ios","timeZone":"Mars/Olympus"}"#, 4004),
                (#"{"platform":"ios","timeZone":"Europe/Madrid","timeZome":"Europe/Paris"}"#, 4004),
                (#"{"deviceId":"x"}"#, 4003),
                (#"{"platform":"ios""#, 4000),
                (#"["platform"]"#, 4002),
            ]
            for (body, code) in cases {
                let answer = try await client.call(.post, "/v1/device", key: server.writeKey, body: body)
                #expect(answer.status == 400, "\(body)")
                #expect(answer.errorCode == code, "\(body)")
                #expect(!((answer.json["message"] as? String) ?? "").isEmpty)
            }
            let enabled = try await client.call(
                .put, "/v1/device?deviceId=x", key: server.writeKey, body: #"{"enabled":1}"#)
            #expect(enabled.errorCode == 4002)
        }
    }
}
