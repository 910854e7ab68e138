import Foundation
import Hummingbird
import RosterCore
import RosterModel

extension SyncServer {
    /// The platform's customer endpoints: the customer, its fields, links and consent.
    func addCustomerRoutes(_ router: Router<BasicRequestContext>, _ endpoints: Endpoints) {
        let executor = executor
        let reads = endpoints.reads
        let limit = configuration.maxJSONBytes
        let prepareWrites = configuration.prepareWrites
        let applicationId = storeFacts.applicationId
        endpoints.addRead(router, "/v2/customer", role: .read) { call, reader in
            let id = try call.requiredQuery("customerId")
            return Reply(CustomerBody.summary(try reader.store.customer(id), applicationId: applicationId))
        }
        endpoints.addRead(router, "/v2/customer/field", role: .read) { call, reader in
            let id = try call.requiredQuery("customerId")
            let names = call.query("fieldNames")?.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty }
            return Reply(CustomerBody.fields(try reader.store.customer(id), names: names))
        }
        endpoints.addWrite(router, .put, "/v2/customer/field", bodyLimit: limit) { call in
            let id = try call.requiredQuery("customerId")
            guard case .object(let members) = try JSONInput.parse(call.body) else {
                throw APIError.wrongType("the body", expected: "a JSON object of field names and values")
            }
            var fields: [FieldChange] = []
            for (name, value) in members.sorted(by: { $0.key < $1.key }) {
                guard let text = value.fieldText else {
                    throw APIError.wrongType(name, expected: "a string, number or boolean")
                }
                fields.append(FieldChange(name: name, value: text))
            }
            let change = StoreChange.setFields(id: id, fields: fields)
            let prepared = prepareWrites ? reads.prepare(change) : nil
            let result = try await executor.write(change, by: call.writer, prepared: prepared)
            return CustomerBody.reply(result) { CustomerBody.fields($0, names: nil) }
        }
        endpoints.addWrite(router, .delete, "/v2/customer/field", bodyLimit: limit) { call in
            let id = try call.requiredQuery("customerId")
            let body = try call.object(allowed: ["fields"])
            guard let names = try body.strings("fields") else { throw APIError.missing("\"fields\"") }
            let result = try await executor.write(.unsetFields(id: id, names: names), by: call.writer)
            return CustomerBody.reply(result) { CustomerBody.fields($0, names: nil) }
        }
        for (method, isLink) in [(HTTPRequest.Method.post, true), (.delete, false)] {
            endpoints.addWrite(router, method, "/v2/customer/link", bodyLimit: limit) { call in
                let body = try call.object(allowed: [
                    "channel", "customerId", "deviceId", "email", "phone", "countryCode",
                ])
                let id = try body.requiredString("customerId")
                let link = try CustomerBody.link(body)
                let change: StoreChange = isLink ? .link(id: id, link) : .unlink(id: id, link)
                let result = try await executor.write(change, by: call.writer)
                return CustomerBody.reply(result) { CustomerBody.summary($0, applicationId: applicationId) }
            }
        }
        endpoints.addWrite(router, .put, "/v2/customer/consent", bodyLimit: limit) { call in
            let body = try call.object(allowed: ["customerId", "channel", "enabled"])
            let id = try body.requiredString("customerId")
            let channel = try CustomerBody.channel(try body.requiredString("channel"))
            guard let enabled = try body.bool("enabled") else { throw APIError.missing("\"enabled\"") }
            let result = try await executor.write(
                .consent(id: id, channel: channel, enabled: enabled), by: call.writer)
            return CustomerBody.reply(result) { CustomerBody.consent($0) }
        }
    }
}

/// The customer bodies of the platform's API.
enum CustomerBody {
    /// `{id, customerId, applicationId, createdAt, updatedAt}`: `id` is the externalCode, `customerId` the CRM id.
    static func summary(_ customer: Customer, applicationId: String) -> JSONValue {
        .object([
            ("id", .string(customer.externalCode)), ("customerId", .string(customer.crmId)),
            ("applicationId", .string(applicationId)), ("externalCode", .string(customer.externalCode)),
            ("createdAt", .string(Timestamp.iso8601(customer.createdAt))),
            ("updatedAt", .string(Timestamp.iso8601(customer.updatedAt))),
        ])
    }

    /// A flat object of field values by the names asked for (null for a field the customer lacks), or all fields.
    static func fields(_ customer: Customer, names: [String]?) -> JSONValue {
        guard let names else {
            return .object(customer.fields.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value.value)) })
        }
        return .object(names.map { ($0, customer.fields[$0.lowercased()].map { .string($0.value) } ?? .null) })
    }

    static func consent(_ customer: Customer) -> JSONValue {
        .object([
            ("email", .bool(customer.consent.email)), ("sms", .bool(customer.consent.sms)),
            ("push", .bool(customer.consent.push)),
        ])
    }

    /// 201 when the write created the customer, else 200.
    static func reply(_ result: StoreChangeResult, _ data: (Customer) -> JSONValue) -> Reply {
        switch result {
        case .customer(let customer, let created): return Reply(status: created ? .created : .ok, data(customer))
        case .device(let device, _): return Reply(DeviceBody.json(device))
        }
    }

    static func channel(_ name: String) throws -> Channel {
        guard let channel = Channel(rawValue: name.lowercased()) else {
            throw APIError.invalid("\"channel\" must be email, sms or push (got \"\(name)\"); nothing was changed")
        }
        return channel
    }

    /// `{channel, email | phone [+ countryCode] | deviceId}`: the identifier must match the channel.
    static func link(_ body: JSONFields) throws -> ChannelLink {
        let channel = try channel(try body.requiredString("channel"))
        switch channel {
        case .email:
            return .email(try body.requiredString("email"))
        case .sms:
            return .phone(countryCode: try body.string("countryCode"), number: try body.requiredString("phone"))
        case .push:
            return .device(try body.requiredString("deviceId"))
        }
    }
}
