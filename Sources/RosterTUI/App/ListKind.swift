/// The lists `Tab` cycles through.
public enum ListKind: String, CaseIterable, Sendable, Hashable {
    case customers, devices, email, sms, push

    /// The title bar name: `Customers (1,000,000)`.
    public var title: String {
        switch self {
        case .customers: return "Customers"
        case .devices: return "Devices"
        case .email: return "Email"
        case .sms: return "SMS"
        case .push: return "Push"
        }
    }

    /// Whether the rows are customers of the working set (else devices).
    public var showsCustomers: Bool { self == .customers || self == .email || self == .sms }

    /// The next view `Tab` goes to (or the previous one for `Shift-Tab`).
    public func cycled(by step: Int) -> ListKind {
        let all = ListKind.allCases
        let index = all.firstIndex(of: self)!
        return all[((index + step) % all.count + all.count) % all.count]
    }
}
