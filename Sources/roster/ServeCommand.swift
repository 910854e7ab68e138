import ArgumentParser
import Foundation
import Logging
import RosterCore
import RosterModel
import RosterServer
import Synchronization

struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the sync API: the platform's device and customer endpoints over this store.",
        discussion: """
            Clients authenticate with `Authorization: Bearer KEY` (see `roster key create`). /health, /metrics \
            (Prometheus) and /openapi.json need no key. Every write is durable when it is acknowledged; writes \
            that arrive together commit in one transaction. Request logs (stderr) name the route, status, key \
            and time, never a query or a body. SIGTERM or SIGINT stops taking connections, finishes the \
            requests in flight, and exits 0. Listening on an address other than loopback is refused unless \
            --insecure says that a proxy in front of it terminates TLS.
            """)

    @OptionGroup var storeOptions: StoreOptions

    @Option(help: ArgumentHelp("The address and port to listen on (port 0: any free port).", valueName: "addr:port"))
    var listen = "127.0.0.1:8420"

    @Option(
        name: .customLong("tls-cert"),
        help: ArgumentHelp("The certificate chain (PEM): serve HTTPS.", valueName: "path"))
    var tlsCertificate: String?

    @Option(name: .customLong("tls-key"), help: ArgumentHelp("The certificate's private key (PEM).", valueName: "path"))
    var tlsKey: String?

    @Flag(help: "Allow a non-loopback address without TLS (behind a TLS-terminating proxy only).")
    var insecure = false

    @Option(help: ArgumentHelp("The largest JSON body accepted, in bytes.", valueName: "bytes"))
    var maxBodyBytes = 1 << 20

    @Option(help: ArgumentHelp("The largest upload POST /v2/import accepts, in bytes.", valueName: "bytes"))
    var maxCsvBytes = 256 << 20

    @Option(help: ArgumentHelp("Close a connection idle for this many seconds.", valueName: "seconds"))
    var idleTimeout = 30

    @Option(
        help: ArgumentHelp(
            "Answer 408 to a request whose JSON body has not arrived after this many seconds.", valueName: "seconds"))
    var requestTimeout = 30.0

    @Option(help: ArgumentHelp("The same for an upload to POST /v2/import.", valueName: "seconds"))
    var uploadTimeout = 600.0

    @Option(
        help: ArgumentHelp(
            "Read-only store connections that answer reads in parallel beside the writer (0: reads wait for the "
                + "store thread).", valueName: "count"))
    var readConnections = 4

    @Flag(
        help: ArgumentHelp(
            "Work field writes out on the read connections before the writer writes them: for machines with cores "
                + "to spare; slower when the writer and the clients already use every core."))
    var prepareWrites = false

    @Option(help: ArgumentHelp("trace, debug, info, notice, warning, error or critical.", valueName: "level"))
    var logLevel = "info"

    func validate() throws {
        // A day at most: longer is no bound at all, and far longer overflows the clocks' integers.
        let day = 86_400.0
        guard (0.05...day).contains(requestTimeout), (0.05...day).contains(uploadTimeout) else {
            throw ValidationError("--request-timeout and --upload-timeout must be 0.05 to 86400 seconds")
        }
        guard (1...Int(day)).contains(idleTimeout) else {
            throw ValidationError("--idle-timeout must be 1 to 86400 seconds")
        }
        let configuration = try serverConfiguration()
        if (tlsCertificate == nil) != (tlsKey == nil) { throw ValidationError("--tls-cert and --tls-key go together") }
        if !configuration.isLoopback && !insecure && tlsCertificate == nil {
            throw ValidationError(
                "\(configuration.host) is not a loopback address: the API carries personal data and keys, so it is "
                    + "served there only with --tls-cert and --tls-key, or with --insecure behind a proxy that "
                    + "terminates TLS")
        }
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("--log-level \(logLevel) is not a level")
        }
        guard maxBodyBytes >= 1024 else { throw ValidationError("--max-body-bytes must be at least 1024") }
        guard maxCsvBytes >= 1024 else { throw ValidationError("--max-csv-bytes must be at least 1024") }
        guard (0...64).contains(readConnections) else { throw ValidationError("--read-connections must be 0 to 64") }
    }

    func serverConfiguration() throws -> ServerConfiguration {
        guard let colon = listen.lastIndex(of: ":"), let port = Int(listen[listen.index(after: colon)...]),
            (0...65535).contains(port)
        else { throw ValidationError("--listen \(listen): write it as address:port, such as 127.0.0.1:8420") }
        var configuration = ServerConfiguration()
        configuration.host = String(listen[..<colon]).trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        configuration.port = port
        configuration.maxJSONBytes = maxBodyBytes
        configuration.maxCSVBytes = maxCsvBytes
        configuration.idleTimeout = .seconds(idleTimeout)
        configuration.requestTimeout = .milliseconds(Int(requestTimeout * 1000))
        configuration.uploadTimeout = .milliseconds(Int(uploadTimeout * 1000))
        configuration.readConnections = readConnections
        configuration.prepareWrites = prepareWrites
        configuration.tlsCertificatePath = tlsCertificate
        configuration.tlsKeyPath = tlsKey
        return configuration
    }

    func run() throws {
        let configuration = try serverConfiguration()
        let store = try storeOptions.open()
        var logger = Logger(label: "roster.serve")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        let server = SyncServer(store: store, configuration: configuration, logger: logger)
        let region = store.region
        let scheme = configuration.tlsCertificatePath == nil ? "http" : "https"
        let application = try server.application { host, port in
            // Scripts and tests read this line to learn the port (with --listen …:0).
            Output.line("roster serve: listening on \(scheme)://\(host):\(port) (region \(region))")
        }
        let outcome = ServeOutcome()
        Task {
            do {
                try await application.runService()
            } catch {
                outcome.error.withLock { $0 = error }
            }
            outcome.done.signal()
        }
        outcome.done.wait()
        // In-flight requests are answered by now; finish queued store work and close the store.
        server.shutdown()
        if let error = outcome.error.withLock({ $0 }) {
            throw RosterError.io(path: listen, detail: "the server stopped: \(error)")
        }
    }
}

/// How the server's task ended, handed to the blocked main thread.
private final class ServeOutcome: Sendable {
    let error = Mutex<(any Error)?>(nil)
    let done = DispatchSemaphore(value: 0)
}
