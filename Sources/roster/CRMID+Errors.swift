import RosterCore
import RosterModel

extension CRMID {
    /// `normalize` with the error as a `RosterError`.
    static func normalizeOrFail(_ raw: String) throws -> String {
        do {
            return try normalize(raw)
        } catch {
            throw RosterError.invalidIdentifier(error)
        }
    }
}
