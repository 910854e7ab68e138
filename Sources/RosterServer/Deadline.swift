/// A bound on how long a request may take to send its body: a client that trickles bytes (or stops) would
/// otherwise hold a connection and a task for as long as it likes, within the idle timeout of each byte.
enum Deadline {
    /// Runs `body`, or throws 408 when it has not finished after `limit` (it is then cancelled: reading a request
    /// body stops at cancellation).
    static func run<T: Sendable>(_ limit: Duration, _ body: @escaping @Sendable () async throws -> T) async throws -> T
    {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await body() }
            group.addTask {
                try await Task.sleep(for: limit)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let value = first else {
                throw APIError.timeout(limit)
            }
            return value
        }
    }
}
