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
    var body: [UInt8] = []
    /// The key's name, or `anonymous` on endpoints without a key.
    var actor = "anonymous"
    /// How the key was let in, when it was from the keys the store thread keeps (`.write` handlers only).
    var grant: KeyGrant?

    /// Who the request's writes are for, as the store thread needs it.
    var writer: WriteKey { WriteKey(name: actor, grant: grant) }

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

/// A successful answer: `data` goes into the platform's envelope, or `raw` is sent as it is (metrics, OpenAPI, an
/// envelope rendered once and kept).
struct Reply: Sendable {
    var status: HTTPResponse.Status = .ok
    var data: JSONValue = .null
    var raw: (contentType: String, body: ByteBuffer)?

    init(status: HTTPResponse.Status = .ok, _ data: JSONValue) {
        self.status = status
        self.data = data
    }

    init(contentType: String, text: String) {
        raw = (contentType, ByteBuffer(string: text))
    }

    /// The same answer with its envelope rendered now, to be sent again as it is.
    var rendered: Reply {
        guard raw == nil else { return self }
        var reply = self
        reply.raw = ("application/json", ByteBuffer(string: Endpoints.envelope(self).rendered()))
        return reply
    }
}

/// What a route does with a request once it is authorized.
enum Handler: Sendable {
    /// Runs on the request's task (long reads, writes outside group commit).
    case task(@Sendable (Call) async throws -> Reply)
    /// Runs on the request's task and writes only through group commit (`StoreExecutor.write(_:by:)`), whose store
    /// thread checks the key again when the keys may have changed: its key is let in from `WriteKeys`.
    case write(@Sendable (Call) async throws -> Reply)
    /// A short read run on the reader that checked the key, in the same checkout.
    case read(@Sendable (Call, Reader) throws -> Reply)
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
        add(router, method, path, role: role, bodyLimit: bodyLimit, unknownCode: unknownCode, handling: .task(handler))
    }

    /// Adds a route that needs a write key and writes only through `StoreExecutor.write(_:by:)` or
    /// `writeAll(_:by:)` with `call.writer`.
    func addWrite(
        _ router: Router<BasicRequestContext>, _ method: HTTPRequest.Method, _ path: RouterPath, bodyLimit: Int,
        unknownCode: Int = 4601, _ handler: @escaping @Sendable (Call) async throws -> Reply
    ) {
        add(
            router, method, path, role: .write, bodyLimit: bodyLimit, unknownCode: unknownCode,
            handling: .write(handler))
    }

    /// Adds a short read that needs a key: the key check and the read take one reader, one after the other.
    func addRead(
        _ router: Router<BasicRequestContext>, _ path: RouterPath, role: ServerKeyRole, unknownCode: Int = 4601,
        _ handler: @escaping @Sendable (Call, Reader) throws -> Reply
    ) {
        add(router, .get, path, role: role, bodyLimit: nil, unknownCode: unknownCode, handling: .read(handler))
    }

    private func add(
        _ router: Router<BasicRequestContext>, _ method: HTTPRequest.Method, _ path: RouterPath,
        role: ServerKeyRole?, bodyLimit: Int?, unknownCode: Int, handling: Handler
    ) {
        let route = path.description
        router.on(path, method: method) { request, _ -> Response in
            let started = ContinuousClock.now
            var actor = "anonymous"
            let response: Response
            do {
                response = Endpoints.response(
                    try await answer(request, role: role, bodyLimit: bodyLimit, actor: &actor, handling))
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

    /// Authorizes the request, reads its body and runs its handler. `actor` becomes the key's name as soon as the
    /// key is accepted, so that a request refused after that is logged with it.
    private func answer(
        _ request: Request, role: ServerKeyRole?, bodyLimit: Int?, actor: inout String, _ handling: Handler
    ) async throws -> Reply {
        switch handling {
        case .read(let read):
            guard let role else { return try await reads.withReader { try read(Call(request: request), $0) } }
            let secret = try Endpoints.bearer(request)
            let (name, outcome) = try await reads.withReader { reader in
                let key = try Endpoints.authorize(secret, needs: role, with: try reader.verifier())
                return (key.name, Result { try read(Call(request: request, actor: key.name), reader) })
            }
            actor = name
            return try outcome.get()
        case .task(let handler), .write(let handler):
            var grant: KeyGrant?
            if let role {
                let secret = try Endpoints.bearer(request)
                if case .write = handling, let (key, granted) = executor.keys.admit(secret, needs: role) {
                    actor = key.name
                    grant = granted
                } else {
                    actor = try Endpoints.authorize(secret, needs: role, with: try await reads.keyVerifier()).name
                }
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
            return try await handler(Call(request: request, body: body, actor: actor, grant: grant))
        }
    }

    /// The secret of the request's `Authorization: Bearer` header: the scheme in any case, one space, the secret
    /// without the spaces and tabs around it. Read over the header's bytes: every request with a key parses it.
    static func bearer(_ request: Request) throws(APIError) -> String {
        guard let header = request.headers[.authorization] else { throw .unauthorized }
        let bytes = header.utf8
        let scheme = "bearer ".utf8
        guard bytes.count > scheme.count,
            zip(bytes, scheme).allSatisfy({ ($0 >= 0x41 && $0 <= 0x5a ? $0 | 0x20 : $0) == $1 })
        else { throw .unauthorized }
        let isBlank = { (byte: UInt8) in byte == 0x20 || byte == 0x09 }
        var secret = bytes.dropFirst(scheme.count)
        while let first = secret.first, isBlank(first) { secret = secret.dropFirst() }
        while let last = secret.last, isBlank(last) { secret = secret.dropLast() }
        guard !secret.isEmpty, secret.count <= 256 else { throw .unauthorized }
        return String(Substring(secret))
    }

    /// The key whose secret this is, if it is valid and its role allows `needs`.
    static func authorize(_ secret: String, needs role: ServerKeyRole, with verifier: ServerKeyVerifier)
        throws(APIError) -> ServerKey
    {
        guard let key = verifier.key(for: secret) else { throw .unauthorized }
        guard key.role.allows(role) else { throw .forbidden(key, needs: role) }
        return key
    }

    static func response(_ reply: Reply) -> Response {
        if let raw = reply.raw {
            return Response(
                status: reply.status, headers: [.contentType: raw.contentType], body: ResponseBody(byteBuffer: raw.body)
            )
        }
        return json(status: reply.status, envelope(reply))
    }

    /// The platform's envelope of a successful answer.
    static func envelope(_ reply: Reply) -> JSONValue {
        .object([
            ("statusCode", .int(Int64(reply.status.code))), ("message", .string(reply.status.reasonPhrase)),
            ("data", reply.data),
        ])
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
