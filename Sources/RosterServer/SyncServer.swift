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
    /// Read-only connections beside the writer, for reads in parallel (0: every read on the store thread).
    public var readConnections = 4
    /// Whether a field write is worked out on a reader before the store thread writes it (`Store.prepare`): it
    /// moves the store thread's work for an update to other cores, and costs more than it saves when no core is
    /// free (docs/server.md, "Prepared writes").
    public var prepareWrites = false
    /// The largest upload `POST /v2/import` accepts, in bytes (a file, so larger than a JSON body).
    public var maxCSVBytes = 256 << 20
    /// The most customers one `POST /v2/customers` takes.
    public var maxBatchCustomers = 1000
    /// The longest a JSON body may take to arrive (a client trickling bytes is cut off with 408).
    public var requestTimeout: Duration = .seconds(30)
    /// The longest an upload to `POST /v2/import` may take to arrive.
    public var uploadTimeout: Duration = .seconds(600)
    /// How long reads are counted before their summary is written to the audit log (and at shutdown).
    public var readAuditInterval: Duration = .seconds(60)
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
    let reads: ReadPool
    let readAudit: ReadAudit
    let queries = QueryCache()
    let metrics = ServerMetrics()
    let configuration: ServerConfiguration
    let logger: Logger
    let storeFacts: StoreFacts

    /// Takes over the store: from now on only the server's store thread uses it.
    public init(store: Store, configuration: ServerConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        storeFacts = StoreFacts(region: store.region, path: store.path, applicationId: store.applicationId)
        // An upload is written into a pipe that the sealing side may close early (its error is then the answer):
        // the write must fail, not kill the process.
        signal(SIGPIPE, SIG_IGN)
        // Opened before the store thread starts: they copy the keys and header of the store as it is now.
        let readers = ReadPool.open(store, size: configuration.readConnections)
        executor = StoreExecutor(store: store, metrics: metrics)
        reads = ReadPool(readers: readers, writer: store, executor: executor)
        readAudit = ReadAudit(executor: executor, interval: configuration.readAuditInterval)
    }

    /// The routes, for `Application` or for HummingbirdTesting.
    public func router() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: ErrorEnvelopeMiddleware())
        let endpoints = Endpoints(
            executor: executor, reads: reads, readAudit: readAudit, metrics: metrics, configuration: configuration,
            logger: logger)
        addServiceRoutes(router, endpoints)
        addDeviceRoutes(router, endpoints)
        addCustomerRoutes(router, endpoints)
        addRosterRoutes(router, endpoints)
        addImportRoutes(router, endpoints)
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
        readAudit.flush()
        reads.close()
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
