import Hummingbird
import RosterCore
import RosterModel

extension SyncServer {
    /// Roster's own endpoints: batch upsert, query, preview, and the GDPR access export and erasure.
    func addRosterRoutes(_ router: Router<BasicRequestContext>, _ endpoints: Endpoints) {
        let executor = executor
        let reads = reads
        let limit = configuration.maxJSONBytes
        let maxCustomers = configuration.maxBatchCustomers
        let queries = queries
        endpoints.addWrite(router, .post, "/v2/customers", bodyLimit: limit) { call in
            guard case .array(let items) = try JSONInput.parse(call.body) else {
                throw APIError.wrongType("the body", expected: "a JSON array of customers")
            }
            guard items.count <= maxCustomers else {
                throw APIError.invalid(
                    "\(items.count) customers in one request; the limit is \(maxCustomers): split the batch "
                        + "(nothing was changed)")
            }
            return Reply(try await BatchUpsert.run(items, executor: executor, by: call.writer))
        }
        endpoints.add(router, .post, "/v2/query", role: .read, bodyLimit: limit) { call in
            let body = try call.object(allowed: ["filter", "limit", "cursor"])
            let filter = try body.requiredString("filter")
            let pageSize = try body.int("limit") ?? 100
            guard (1...1000).contains(pageSize) else { throw APIError.invalid("\"limit\" must be 1 to 1000") }
            let offset: Int
            if let cursor = try body.string("cursor") {
                guard let value = Int(cursor), value >= 0 else {
                    throw APIError.invalid(
                        "\"cursor\" is not one this server gave (send the nextCursor of the last page)")
                }
                offset = value
            } else {
                offset = 0
            }
            let (count, codes) = try await reads.readLong { store in
                let segment = try queries.segment(store)
                let rows = try segment.rows(matching: filter, context: try Segment.context(store: store))
                let page = rows.dropFirst(offset).prefix(pageSize)
                return (rows.count, page.map { segment.workingSet.externalCodes[Int($0)] })
            }
            let next = offset + codes.count < count ? JSONValue.string(String(offset + codes.count)) : .null
            return Reply(
                .object([
                    ("count", .int(Int64(count))), ("externalCodes", .array(codes.map(JSONValue.string))),
                    ("nextCursor", next),
                ]))
        }
        endpoints.add(router, .get, "/v2/preview", role: .read) { call in
            let id = try call.requiredQuery("customerId")
            let source = try call.requiredQuery("template")
            let template: Template
            do {
                template = try Template.parse(source)
            } catch {
                throw APIError.invalid("\(error)")
            }
            let rendering = try await reads.read { template.render(try $0.customer(id)) }
            return Reply(
                .object([
                    ("rendered", .string(rendering.text)), ("missing", .array(rendering.missing.map(JSONValue.string))),
                ]))
        }
        endpoints.add(router, .get, "/v2/customer/export", role: .admin) { call in
            let id = try call.requiredQuery("customerId")
            let actor = call.actor
            return Reply(
                try await executor.run { store in try store.attributed(to: actor) { try $0.accessExport(id) } })
        }
        endpoints.add(router, .post, "/v2/customer/erase", role: .admin, bodyLimit: limit) { call in
            let body = try call.object(allowed: ["customerId", "suppress"])
            let id = try body.requiredString("customerId")
            let suppress = try body.bool("suppress") ?? false
            let actor = call.actor
            let report = try await executor.run { store in
                try store.attributed(to: actor) { try $0.erase(id, suppress: suppress) }
            }
            return Reply(
                .object([
                    ("externalCode", .string(report.externalCode)), ("devices", .int(Int64(report.devices))),
                    ("suppressed", .bool(report.suppressed)), ("walCleared", .bool(report.walCleared)),
                ]))
        }
    }
}

/// `POST /v2/customers`: every item is judged alone; the valid ones commit together.
enum BatchUpsert {
    static let keys: Set<String> = ["customerId", "email", "countryCode", "phone", "fields", "consent"]

    static func run(_ items: [JSONInput], executor: StoreExecutor, by key: WriteKey) async throws -> JSONValue {
        var parsed: [(index: Int, change: StoreChange)] = []
        var results = [JSONValue?](repeating: nil, count: items.count)
        for (index, item) in items.enumerated() {
            do {
                parsed.append((index, .upsert(try upsert(item))))
            } catch {
                results[index] = rejected(index, APIError.from(error))
            }
        }
        let outcomes = await executor.writeAll(parsed.map(\.change), by: key)
        // A key revoked before the batch's first group refuses the whole request, as a reader's check would have.
        // A batch may span groups (more changes queued together than a group takes): a revocation between two
        // leaves the earlier items written, and the later ones are refused item by item (4010), so that the answer
        // says which were written.
        if let first = outcomes.first, case .failure(let error as APIError) = first,
            [401, 403].contains(error.status.code),
            outcomes.allSatisfy({
                if case .failure(let other as APIError) = $0 { other.code == error.code } else { false }
            })
        {
            throw error
        }
        for ((index, _), outcome) in zip(parsed, outcomes) {
            switch outcome {
            case .success(.customer(let customer, let created)):
                results[index] = .object([
                    ("index", .int(Int64(index))), ("status", .string(created ? "created" : "updated")),
                    ("externalCode", .string(customer.externalCode)),
                ])
            case .success(.device):
                results[index] = rejected(index, APIError.stopping)
            case .failure(let error):
                if error is ServerStopped { throw error }
                results[index] = rejected(index, APIError.from(error))
            }
        }
        let accepted = results.filter { result in
            guard case .object(let members) = result else { return false }
            return members.contains { $0.0 == "status" && $0.1 != .string("rejected") }
        }.count
        return .object([
            ("accepted", .int(Int64(accepted))), ("rejected", .int(Int64(items.count - accepted))),
            ("results", .array(results.map { $0 ?? .null })),
        ])
    }

    private static func rejected(_ index: Int, _ error: APIError) -> JSONValue {
        .object([
            ("index", .int(Int64(index))), ("status", .string("rejected")), ("errorCode", .int(Int64(error.code))),
            ("message", .string(error.message)),
        ])
    }

    private static func upsert(_ item: JSONInput) throws -> CustomerUpsert {
        let body = try JSONFields(item, allowed: keys, what: "each customer")
        var upsert = CustomerUpsert(crmId: try body.requiredString("customerId"))
        upsert.email = try body.string("email")
        if let phone = try body.string("phone") {
            upsert.phone = .phone(countryCode: try body.string("countryCode"), number: phone)
        } else if try body.string("countryCode") != nil {
            throw APIError.missing("\"phone\" (a countryCode was given)")
        }
        for (name, value) in (try body.object("fields") ?? [:]).sorted(by: { $0.key < $1.key }) {
            guard let text = value.fieldText else {
                throw APIError.wrongType(name, expected: "a string, number or boolean")
            }
            upsert.fields.append(FieldChange(name: name, value: text))
        }
        for (name, value) in try body.object("consent") ?? [:] {
            guard let channel = Channel(rawValue: name) else {
                throw APIError.unknownKey(name, allowed: Channel.allCases.map(\.rawValue))
            }
            guard case .bool(let enabled) = value else { throw APIError.wrongType(name, expected: "true or false") }
            upsert.consent[channel] = enabled
        }
        return upsert
    }
}
