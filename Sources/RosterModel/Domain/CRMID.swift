import Foundation

/// CRM ids are kept exactly as given, only trimmed of surrounding whitespace.
public enum CRMID {
    /// The CRM id as Roster keeps it.
    public static func trim(_ raw: String) -> String {
        raw.trimmed
    }

    /// The trimmed CRM id, or an error when nothing is left.
    public static func normalize(_ raw: String) throws(IdentifierError) -> String {
        let trimmed = trim(raw)
        guard !trimmed.isEmpty else { throw IdentifierError(kind: .crmId, value: raw, reason: "is empty") }
        guard !trimmed.hasControlCharacters else {
            throw IdentifierError(kind: .crmId, value: raw, reason: "contains control characters")
        }
        return trimmed
    }
}
