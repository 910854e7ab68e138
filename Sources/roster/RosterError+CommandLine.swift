import RosterCore

extension RosterError {
    /// The message for the command line: the core's, with the flags and variables that fix the problem named
    /// (`--keyfile`, `ROSTER_PASSPHRASE`, `--wait`), which only the executable knows.
    var commandLineDescription: String {
        switch self {
        case .storeMissing(let path):
            return "no store at \(path): create one with `roster init --region eu` (or pass --store PATH)"
        case .keyKindMismatch(let path, let needsKeyFile):
            return needsKeyFile
                ? "the store \(path) is locked with a key file: pass --keyfile PATH or set ROSTER_KEYFILE"
                : "the store \(path) is locked with a passphrase, not a key file: drop --keyfile and "
                    + "set ROSTER_PASSPHRASE or type it at the prompt"
        case .noKeyMaterial(let path):
            return "the store \(path) needs its passphrase: set ROSTER_PASSPHRASE, run on a terminal to be asked, "
                + "or pass --keyfile PATH"
        case .busy(let path, let holder):
            return "the store \(path) is busy: \(holder ?? "another roster process") holds it; nothing was changed: "
                + "retry, or wait with --wait SECONDS"
        case .invalidValue(.today(let value, let reason)):
            return "--today \(value): \(reason)"
        case .invalidValue(.notSeconds(let text)):
            return "--wait (or $ROSTER_WAIT) takes a number of seconds, 0 or more, not \"\(text)\""
        case .invalidValue(.erasureNotConfirmed(asked: false)):
            return "erasing needs a confirmation: run it on a terminal, or pass --yes (nothing was erased)"
        case .invalidValue(.unconvertibleValues):
            return description + " (fix them with `roster customer set`, or pass --drop-unconvertible)"
        case .conflict(.segmentExists):
            return description + "; add --replace to replace it"
        default:
            return description
        }
    }
}
