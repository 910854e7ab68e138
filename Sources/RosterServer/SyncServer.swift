import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOCore
import RosterCore

/// How `roster serve` listens and what it accepts.
public struct ServerConfiguration: Sendable {
    /// The address to bind; loopback unless the operator opts out.
    public var host = "127.0.0.1"
    /// 0 picks a free port (tests); the bound one is reported to `onListening`.
    public var port = 8420
    /// The largest JSON body accepted, in bytes.
    public var maxJSONBytes = 1 << 20
    /// The most customers one `POST /v2/customers` takes.
    public var maxBatchCustomers = 1000
    /// A connection with no request in flight for this long is closed (slow or stuck clients).
    public var idleTimeout: Duration = .seconds(30)
    /// PEM files of the certificate chain and private key; with both, the server speaks only HTTPS.
    public var tlsCertificatePath: String?
    public var tlsKeyPath: String?

    public init() {}

    /// Whether `host` is a loopback address, which needs neither TLS nor `--insecure`.
    public var isLoopback: Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }
}

/// The sync API over one unlocked store: the platform's `/v1/device` and `/v2/customer…` endpoints and Roster's own.
public final class SyncServer: Sendable {
    let executor: StoreExecutor
    let metrics = ServerMetrics()
    let configuration: ServerConfiguration
    let logger: Logger
    let storeFacts: StoreFacts

    /// Takes over the store: from now on only the server's store thread uses it.
    public init(store: Store, configuration: ServerConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        storeFacts = StoreFacts(region: store.region, path: store.path, applicationId: store.applicationId)
        executor = StoreExecutor(store: store, metrics: metrics)
    }

    /// The routes, for `Application` or for HummingbirdTesting.
    public func router() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: ErrorEnvelopeMiddleware())
        let endpoints = Endpoints(
            executor: executor, keys: KeyCache(executor: executor), metrics: metrics, configuration: configuration,
            logger: logger)
        addServiceRoutes(router, endpoints)
        addDeviceRoutes(router, endpoints)
        addCustomerRoutes(router, endpoints)
        addRosterRoutes(router, endpoints)
        return router
    }

    /// An application ready to run (`runService()` handles SIGTERM and SIGINT: in-flight requests finish first).
    public func application(onListening: @escaping @Sendable (String, Int) -> Void = { _, _ in }) throws
        -> some ApplicationProtocol
    {
        let host = configuration.host
        var server = HTTPServerBuilder.http1(
            configuration: .init(idleTimeout: TimeAmount(configuration.idleTimeout)))
        if let certificatePath = configuration.tlsCertificatePath, let keyPath = configuration.tlsKeyPath {
            server = try .tls(server, tlsConfiguration: try Self.tls(certificate: certificatePath, key: keyPath))
        }
        return Application(
            router: router(),
            server: server,
            configuration: ApplicationConfiguration(
                address: .hostname(host, port: configuration.port), serverName: "roster"),
            onServerRunning: { channel in onListening(host, channel.localAddress?.port ?? 0) },
            logger: logger)
    }

    private static func tls(certificate: String, key: String) throws -> TLSConfiguration {
        do {
            let chain = try NIOSSLCertificate.fromPEMFile(certificate)
            return TLSConfiguration.makeServerConfiguration(
                certificateChain: chain.map { .certificate($0) },
                privateKey: .privateKey(try NIOSSLPrivateKey(file: key, format: .pem)))
        } catch {
            throw RosterError.io(
                path: certificate, detail: "cannot use this certificate and the key \(key) for TLS: \(error)")
        }
    }

    /// Finishes queued store work and closes the store (after the application stopped).
    public func shutdown() {
        executor.shutdown()
    }
}

/// What `/health` reports, read once at start.
struct StoreFacts: Sendable {
    let region: String
    let path: String
    let applicationId: String
}

extension TimeAmount {
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self = .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
