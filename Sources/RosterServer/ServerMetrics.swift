import Prometheus
import RosterCore
import Synchronization

/// The server's Prometheus metrics: requests by route and status, request and commit durations, batch sizes.
///
/// Labels carry the route template (`/v2/customer/field`), never a query string or a value from a request.
final class ServerMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    private let commitDuration: DurationHistogram
    private let batchSize: ValueHistogram
    private let commits: Counter
    private let preparedWritten: Counter
    private let preparedRedone: Counter
    /// The request metrics made so far, by route, method and status: made once each, then only looked up here (the
    /// registry builds the metric's name and hashes its labels on every `make`).
    private let requestMetrics = Mutex<[RequestKey: (count: Counter, duration: DurationHistogram)]>([:])

    private struct RequestKey: Hashable {
        let route: String
        let method: String
        let status: Int
    }

    init() {
        commitDuration = registry.makeDurationHistogram(
            descriptor: MetricNameDescriptor(
                namespace: "roster", metricName: "commit_duration", unitName: "seconds",
                helpText: "Time to commit one group of writes (one transaction; its flush follows on another thread)."),
            labels: [],
            buckets: [
                .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10),
                .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .seconds(1),
            ])
        batchSize = registry.makeValueHistogram(
            descriptor: MetricNameDescriptor(
                namespace: "roster", metricName: "commit_batch", unitName: "changes",
                helpText: "How many writes one transaction committed together (group commit)."),
            labels: [], buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256])
        commits = registry.makeCounter(
            descriptor: MetricNameDescriptor(
                namespace: "roster", metricName: "commits", unitName: "total",
                helpText: "Transactions committed by the server."),
            labels: [])
        let prepared = MetricNameDescriptor(
            namespace: "roster", metricName: "prepared_writes", unitName: "total",
            helpText: "Writes prepared on a reader: written as prepared, or redone on the store thread because "
                + "what they were prepared from changed meanwhile.")
        preparedWritten = registry.makeCounter(descriptor: prepared, labels: [("outcome", "written")])
        preparedRedone = registry.makeCounter(descriptor: prepared, labels: [("outcome", "redone")])
    }

    /// Records one request once its response is known.
    func recordRequest(route: String, method: String, status: Int, duration: Duration) {
        let key = RequestKey(route: route, method: method, status: status)
        let metrics =
            requestMetrics.withLock { $0[key] }
            ?? {
                let made = makeRequestMetrics(key)
                requestMetrics.withLock { $0[key] = made }
                return made
            }()
        metrics.count.increment()
        metrics.duration.record(duration)
    }

    private func makeRequestMetrics(_ key: RequestKey) -> (count: Counter, duration: DurationHistogram) {
        let count = registry.makeCounter(
            descriptor: MetricNameDescriptor(
                namespace: "roster", metricName: "http_requests", unitName: "total",
                helpText: "Requests answered, by route, method and status."),
            labels: [("route", key.route), ("method", key.method), ("status", String(key.status))])
        let duration = registry.makeDurationHistogram(
            descriptor: MetricNameDescriptor(
                namespace: "roster", metricName: "http_request_duration", unitName: "seconds",
                helpText: "Time from request to response, by route."),
            labels: [("route", key.route)],
            buckets: [
                .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25),
                .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1),
            ])
        return (count, duration)
    }

    /// Records one group commit.
    func recordCommit(changes: Int, duration: Duration) {
        commits.increment()
        batchSize.record(Double(changes))
        commitDuration.record(duration)
    }

    /// Records what became of a committed group's prepared writes.
    func recordPrepared(_ prepared: [PreparedChange]) {
        guard !prepared.isEmpty else { return }
        let written = prepared.count(where: { $0.wasWritten })
        if written > 0 { preparedWritten.increment(by: Int64(written)) }
        if written < prepared.count { preparedRedone.increment(by: Int64(prepared.count - written)) }
    }

    /// The text exposition format.
    func render() -> String { registry.emitToString() }
}
