import RosterModel

/// What an ID typed by a user turned out to be.
public enum Subject: Sendable {
    case customer(Customer)
    case device(Device)
}

/// How an ID matched, for messages and tests.
public enum IDKind: String, Sendable {
    case crmId = "CRM id"
    case externalCode
    case email
    case phone
    case deviceId
}
