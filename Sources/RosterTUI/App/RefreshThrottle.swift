/// The pace of live refresh: a store that changes all the time (an import, a busy server) reloads the console at
/// most once per `interval`, and a change seen inside that time is reported when it ends, never dropped.
///
/// A reload decrypts what changed and rebuilds the lists; one per poll would keep a core busy for nothing the
/// operator could read.
struct RefreshThrottle {
    /// The least time between two reports, in seconds.
    let interval: Double
    private var lastReport: Double?
    private var waiting = false

    init(interval: Double) {
        self.interval = interval
    }

    /// Whether to report a change now, at `now` (seconds on any steady clock), given whether this poll saw one.
    mutating func report(changed: Bool, now: Double) -> Bool {
        if changed { waiting = true }
        guard waiting else { return false }
        if let lastReport, now - lastReport < interval { return false }
        waiting = false
        lastReport = now
        return true
    }
}
