/// The channels a customer can be reached on.
public enum Channel: String, CaseIterable, Codable, Sendable {
    case email, sms, push
}

/// Per-channel consent of one customer: a channel is enabled when added unless told otherwise.
public struct Consent: Equatable, Codable, Sendable {
    public var email: Bool
    public var sms: Bool
    public var push: Bool

    /// All channels enabled.
    public static let allEnabled = Consent(email: true, sms: true, push: true)

    public init(email: Bool, sms: Bool, push: Bool) {
        self.email = email
        self.sms = sms
        self.push = push
    }

    /// Whether `channel` is enabled.
    public subscript(channel: Channel) -> Bool {
        get {
            switch channel {
            case .email: return email
            case .sms: return sms
            case .push: return push
            }
        }
        set {
            switch channel {
            case .email: email = newValue
            case .sms: sms = newValue
            case .push: push = newValue
            }
        }
    }
}
