import Foundation
import RosterModel

/// Everything that can stop a Roster command, each case worded for the person who ran it.
public enum RosterError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No store file at the path.
    case storeMissing(path: String)
    /// `init` on a path that already holds a store.
    case storeExists(path: String)
    /// The file is not a Roster store, or a newer format than this build reads.
    case notAStore(path: String, detail: String)
    /// The passphrase or key file does not unwrap the root key.
    case wrongKey(path: String, usingKeyFile: String?)
    /// The store needs a key file but got a passphrase, or the other way round.
    case keyKindMismatch(path: String, needsKeyFile: Bool)
    /// No passphrase and no terminal to ask for one.
    case noKeyMaterial(path: String)
    /// A key file that cannot be read or parsed.
    case badKeyFile(path: String, detail: String)
    /// Authenticated decryption or a consistency check failed: the bytes were altered.
    case integrity(what: String)
    /// An identifier (email, phone, deviceId, CRM id) was refused.
    case invalidIdentifier(IdentifierError)
    /// An ID given on the command line matches nothing in the store.
    case unknownID(String)
    /// An ID that names different customers under different kinds; only a typed form (`email:…`) names one.
    case ambiguousID(String, candidates: [IDCandidate])
    /// A write that would break an identity rule (an identifier owned by another customer).
    case conflict(Conflict)
    /// A value that does not fit its field's type, or another invalid argument.
    case invalidValue(InvalidValue)
    /// An I/O failure on a file the user named.
    case io(path: String, detail: String)
    /// Another process holds the store longer than `--wait` allows (`holder`: who, when the lock file says).
    case busy(path: String, holder: String?)
    /// A write to a store whose file or folder this user cannot write.
    case readOnly(path: String)

    /// Whether SQLite's words for an open failure mean a damaged file rather than a foreign one.
    static func isDamage(_ detail: String) -> Bool {
        detail.contains("malformed") || detail.contains("corrupt")
    }

    /// Whether the store's bytes were altered: such an error stops an import instead of rejecting one row.
    public var isIntegrityFailure: Bool {
        if case .integrity = self { return true }
        return false
    }

    public var description: String {
        switch self {
        case .storeMissing(let path):
            return "no store at \(path): create one with `roster init`"
        case .storeExists(let path):
            return "a store already exists at \(path); nothing was changed"
        case .notAStore(let path, let detail):
            if RosterError.isDamage(detail) {
                return "the store \(path) is damaged (SQLite says: \(detail)); nothing was changed. Run `roster check` "
                    + "to see what is wrong, and restore the store from a backup"
            }
            return "\(path) is not a Roster store that this version can open: \(detail)"
        case .wrongKey(let path, let keyFile):
            if let keyFile {
                return "the key file \(keyFile) does not unlock the store \(path) (no data was read)"
            }
            return "wrong passphrase for the store \(path) (no data was read)"
        case .keyKindMismatch(let path, let needsKeyFile):
            return needsKeyFile
                ? "the store \(path) is locked with a key file, not a passphrase (no data was read)"
                : "the store \(path) is locked with a passphrase, not a key file (no data was read)"
        case .noKeyMaterial(let path):
            return "the store \(path) needs its passphrase or key file, and none was given (no data was read)"
        case .badKeyFile(let path, let detail):
            return "cannot use the key file \(path): \(detail)"
        case .integrity(let what):
            return "integrity error: \(what) could not be verified; the store was altered or damaged "
                + "(nothing was shown or changed)"
        case .invalidIdentifier(let error):
            return error.description
        case .unknownID(let id):
            if let kind = TypedID(id).kind {
                return "no customer or device matches \"\(id)\" (looked up as \(kind.rawValue) only)"
            }
            return "no customer or device matches \"\(id)\" (tried CRM id, externalCode, email, phone and deviceId)"
        case .ambiguousID(let id, let candidates):
            let value = TypedID(id).value
            let typed = candidates.map { "\($0.kind.prefix)\(value)" }.joined(separator: " or ")
            return "\"\(id)\" is ambiguous: it is "
                + candidates.map(\.phrase).joined(separator: ", and ")
                + ". Name one with a typed ID: \(typed) (nothing was changed)"
        case .conflict(let conflict):
            return conflict.description
        case .invalidValue(let problem):
            return problem.description
        case .io(let path, let detail):
            // Messages from the CSV reader already name their file.
            return detail.contains(path) ? detail : "\(path): \(detail)"
        case .busy(let path, let holder):
            return "the store \(path) is busy: \(holder ?? "another roster process") holds it; nothing was changed: "
                + "retry later"
        case .readOnly(let path):
            return "the store \(path) is read-only (its file or folder is not writable by this user); nothing was "
                + "changed: it can still be read (show, query, export, console)"
        }
    }
}
