import HTTPTypes
import RosterCore

/// An error answer: an HTTP status, a numeric error code (the platform's where one applies) and words for a person.
///
/// The codes are listed in docs/server.md; a client should branch on `errorCode`, never on the message.
struct APIError: Error, Sendable {
    let status: HTTPResponse.Status
    let code: Int
    let message: String

    static func malformedJSON(_ detail: String) -> APIError {
        APIError(status: .badRequest, code: 4000, message: "the body is not valid JSON: \(detail); nothing was changed")
    }
    static func unknownKey(_ key: String, allowed: [String]) -> APIError {
        APIError(
            status: .badRequest, code: 4001,
            message:
                "unknown key \"\(key)\" (expected: \(allowed.sorted().joined(separator: ", "))); nothing was changed")
    }
    static func wrongType(_ key: String, expected: String) -> APIError {
        APIError(status: .badRequest, code: 4002, message: "\"\(key)\" must be \(expected); nothing was changed")
    }
    static func missing(_ what: String) -> APIError {
        APIError(status: .badRequest, code: 4003, message: "\(what) is required; nothing was changed")
    }
    static func invalid(_ message: String) -> APIError {
        APIError(status: .badRequest, code: 4004, message: message)
    }
    static let unauthorized = APIError(
        status: .unauthorized, code: 4010,
        message: "missing or unknown server key: send `Authorization: Bearer KEY` with a key from `roster key create`")
    static func forbidden(_ key: ServerKey, needs role: ServerKeyRole) -> APIError {
        APIError(
            status: .forbidden, code: 4030,
            message: "the server key \(key.name) is \(key.role.article) \(key.role.rawValue) key; "
                + "this needs \(role.article) \(role.rawValue) key")
    }
    static func tooLarge(limit: Int) -> APIError {
        APIError(
            status: .contentTooLarge, code: 4130,
            message: "the body is larger than this endpoint's limit of \(limit) bytes; nothing was changed")
    }
    static func timeout(_ limit: Duration) -> APIError {
        APIError(
            status: .requestTimeout, code: 4080,
            message: "the request's body did not arrive within \(limit); nothing was changed")
    }
    static let stopping = APIError(
        status: .serviceUnavailable, code: 5030, message: "the server is shutting down; retry against the next one")

    /// The answer for an error the store raised, in the words of the CLI.
    ///
    /// `unknown` is the platform's code for an ID that matches nothing on this endpoint: 4601 ("no external code
    /// registered") for customers, 4602 for devices.
    static func from(_ error: any Error, unknown: Int = 4601) -> APIError {
        switch error {
        case let error as APIError: return error
        case is ServerStopped: return .stopping
        case let error as RosterError:
            switch error {
            case .unknownID: return APIError(status: .notFound, code: unknown, message: error.description)
            case .invalidIdentifier: return APIError(status: .badRequest, code: 4005, message: error.description)
            case .invalidValue: return APIError(status: .badRequest, code: 4004, message: error.description)
            case .conflict: return APIError(status: .conflict, code: 4090, message: error.description)
            case .integrity: return APIError(status: .internalServerError, code: 5001, message: error.description)
            default: return APIError(status: .internalServerError, code: 5000, message: error.description)
            }
        default:
            // Not shown: a library's error text may quote a value from the request.
            return APIError(
                status: .internalServerError, code: 5000,
                message: "the store could not complete the request; nothing was changed (see the server's log)")
        }
    }
}

extension ServerKeyRole {
    /// "a" or "an", as the role's name begins.
    fileprivate var article: String { self == .admin ? "an" : "a" }
}
