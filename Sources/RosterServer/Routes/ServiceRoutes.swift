import Hummingbird
import RosterCore

extension SyncServer {
    /// `/health`, `/metrics` and `/openapi.json`: no key needed, no personal value in them.
    func addServiceRoutes(_ router: Router<BasicRequestContext>, _ endpoints: Endpoints) {
        let facts = storeFacts
        endpoints.add(router, .get, "/health", role: nil) { _ in
            Reply(
                .object([
                    ("status", .string("ok")), ("region", .string(facts.region)), ("store", .string(facts.path)),
                    ("version", .string(RosterVersion.string)),
                ]))
        }
        let metrics = metrics
        endpoints.add(router, .get, "/metrics", role: nil) { _ in
            Reply(contentType: "text/plain; version=0.0.4", text: metrics.render())
        }
        endpoints.add(router, .get, "/openapi.json", role: nil) { _ in
            Reply(contentType: "application/json", text: OpenAPIDocument.text)
        }
    }
}
