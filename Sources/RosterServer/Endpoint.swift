import Foundation
import HTTPTypes
import Hummingbird
import Logging
import RosterCore
import RosterModel
import Synchronization

/// What a handler gets: the request's query, its body (already size-checked) and the key that authorized it.
struct Call: Sendable {
    let request: Request
    let body: [UInt8]
    /// The key's name, or `anonymous` on endpoints without a key.
    let actor: String

    /// A query parameter, percent-decoded.
    func query(_ name: String) -> String? { request.uri.queryParameters.get(name) }

    func requiredQuery(_ name: String) throws(APIError) -> String {
        guard let value = query(name), !value.isEmpty else { throw .missing("the query parameter \(name)") }
        return value
    }

    /// The body as an object with only the keys in `allowed`.
    func object(allowed: Set<String>) throws(APIError) -> JSONFields {
        try JSONFields(try JSONInput.parse(body), allowed: allowed)
    }
}

/// A successful answer: `data` goes into the platform's envelope, or `raw` is sent as it is (metrics, OpenAPI).
struct Reply: Sendable {
    var status: HTTPResponse.Status = .ok
    var data: JSONValue = .null
    var raw: (contentType: String, text: String)?

    init(status: HTTPResponse.Status = .ok, _ data: JSONValue) {
        self.status = status
        self.data = data
    }

    init(contentType: String, text: String) {
        raw = (contentType, text)
    }
}

/// How endpoints are registered: authorization, body limits, error answers, request logs and metrics in one place.
struct Endpoints: Sendable {
    let executor: StoreExecutor
    let reads: ReadPool
    let readAudit: ReadAudit
    let metrics: ServerMetrics
    let configuration: ServerConfiguration
    let logger: Logger

    /// Adds a route. `role` nil means no key is needed; `bodyLimit` nil means the body is not read.
    func add(
        _ router: Router<BasicRequestContext>, _ method: HTTPRequest.Method, _ path: RouterPath,
        role: ServerKeyRole?, bodyLimit: Int? = nil, unknownCode: Int = 4601,
        _ handler: @escaping @Sendable (Call) async throws -> Reply
    ) {
        let route = path.description
        router.on(path, method: method) { request, _ -> Response in
            let started = ContinuousClock.now
            var actor = "anonymous"
            let response: Response
            do {
                if let role {
                    let key = try await authorize(request, needs: role)
                    actor = key.name
                }
                var body: [UInt8] = []
                if let bodyLimit {
                    let requestBody = request.body
                    body = try await Deadline.run(configuration.requestTimeout) {
                        do {
                            var buffer = try await requestBody.collect(upTo: bodyLimit)
                            return buffer.readBytes(length: buffer.readableBytes) ?? []
                        } catch is CancellationError {
                            throw CancellationError()
                        } catch {
                            throw APIError.tooLarge(limit: bodyLimit)
                        }
                    }
                }
                let reply = try await handler(Call(request: request, body: body, actor: actor))
                response = Endpoints.response(reply)
            } catch {
                let apiError = APIError.from(error, unknown: unknownCode)
                if apiError.status.code >= 500 {
                    // The route and code only: the error's text may hold a value from the request.
                    logger.error(
                        "request failed", metadata: ["route": "\(route)", "errorCode": "\(apiError.code)"])
                }
                response = Endpoints.response(apiError)
            }
            if method == .get, role != nil, Endpoints.revealing.contains(route),
                (200..<300).contains(response.status.code)
            {
                readAudit.record(key: actor, route: route)
            }
            let elapsed = ContinuousClock.now - started
            metrics.recordRequest(
                route: route, method: method.rawValue, status: response.status.code, duration: elapsed)
            // Never the query string or the body: they hold personal values.
            logger.info(
                "request",
                metadata: [
                    "method": "\(method.rawValue)", "route": "\(route)", "status": "\(response.status.code)",
                    "key": "\(actor)", "ms": "\((elapsed / .milliseconds(1) * 1000).rounded() / 1000)",
                ])
            return response
        }
    }

    /// The reads that show personal values in clear, audited in summary (`ReadAudit`).
    static let revealing: Set<String> = ["/v1/device", "/v2/customer", "/v2/customer/field", "/v2/preview"]

    /// The key a request carries, if it is valid and its role allows `needs`.
    private func authorize(_ request: Request, needs role: ServerKeyRole) async throws -> ServerKey {
        guard let header = request.headers[.authorization] else { throw APIError.unauthorized }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { throw APIError.unauthorized }
        let secret = String(parts[1]).trimmingCharacters(in: .whitespaces)
        guard !secret.isEmpty, secret.utf8.count <= 256 else { throw APIError.unauthorized }
        guard let key = try await reads.keyVerifier().key(for: secret) else { throw APIError.unauthorized }
        guard key.role.allows(role) else { throw APIError.forbidden(key, needs: role) }
        return key
    }

    static func response(_ reply: Reply) -> Response {
        if let raw = reply.raw {
            return Response(
                status: reply.status, headers: [.contentType: raw.contentType],
                body: ResponseBody(byteBuffer: ByteBuffer(string: raw.text)))
        }
        return json(
            status: reply.status,
            .object([
                ("statusCode", .int(Int64(reply.status.code))), ("message", .string(reply.status.reasonPhrase)),
                ("data", reply.data),
            ]))
    }

    static func response(_ error: APIError) -> Response {
        var response = json(
            status: error.status,
            .object([
                ("statusCode", .int(Int64(error.status.code))), ("errorCode", .int(Int64(error.code))),
                ("message", .string(error.message)),
            ]))
        // The rest of a body cut off by its limit or deadline is not read: the connection cannot carry another
        // request.
        if error.code == 4080 || error.code == 4130 { response.headers[.connection] = "close" }
        return response
    }

    private static func json(status: HTTPResponse.Status, _ value: JSONValue) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: value.rendered())))
    }
}

/// Answers unmatched routes and methods in the platform's error shape instead of Hummingbird's.
struct ErrorEnvelopeMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as HTTPError {
            let code = error.status == .notFound ? 4040 : error.status.code * 10
            return Endpoints.response(
                APIError(
                    status: error.status, code: code,
                    message: error.status == .notFound
                        ? "no endpoint \(request.method.rawValue) \(request.uri.path) (see /openapi.json)"
                        : (error.body ?? error.status.reasonPhrase)))
        }
    }
}
