import Foundation
import Testing

@testable import RosterServer

@Suite("Request metrics by route, method and status")
struct ServerMetricsTests {
    @Test("each request counts once under its route, method and status, and its duration under its route")
    func counted() throws {
        let metrics = ServerMetrics()
        for _ in 0..<3 {
            metrics.recordRequest(route: "/health", method: "GET", status: 200, duration: .milliseconds(3))
        }
        metrics.recordRequest(route: "/health", method: "GET", status: 503, duration: .milliseconds(30))
        metrics.recordRequest(route: "/v1/device", method: "GET", status: 200, duration: .microseconds(500))
        let lines = metrics.render().split(separator: "\n").map(String.init)
        func value(_ name: String, _ labels: [String]) -> String? {
            lines.first { line in line.hasPrefix(name + "{") && labels.allSatisfy { line.contains($0) } }?
                .split(separator: " ").last.map(String.init)
        }
        #expect(value("roster_http_requests_total", [#"route="/health""#, #"status="200""#]) == "3")
        #expect(value("roster_http_requests_total", [#"route="/health""#, #"status="503""#]) == "1")
        #expect(value("roster_http_requests_total", [#"route="/v1/device""#, #"method="GET""#]) == "1")
        #expect(value("roster_http_request_duration_seconds_count", [#"route="/health""#]) == "4")
        #expect(value("roster_http_request_duration_seconds_bucket", [#"route="/health""#, #"le="0.005""#]) == "3")
    }
}
