import RosterModel

extension RosterError {
    /// A write that would break an identity or region rule, with what its message needs; worded here, once.
    ///
    /// `RosterError.conflict(_: String)` makes a `.message`, for callers outside the core that have no case of
    /// their own yet.
    public enum Conflict: Sendable, Equatable, CustomStringConvertible {
        /// A new customer whose CRM id another customer already has.
        case crmIdExists(externalCode: String)
        /// Removing the channel a channel-only customer was created from (`email`, `phone`).
        case identifyingChannel(externalCode: String, channel: String)
        /// An identifier that belongs to another customer (`noun`: "email", `fieldName`: what `unset` takes).
        case identifierOwned(noun: String, owner: String, fieldName: String)
        /// Linking an identifier would merge two customers whose emails (or phones) differ.
        case mergeWouldLose(noun: String, absorbed: String, survivor: String, channel: Channel)
        /// An identifier of a customer erased at their request (`what`: "email", "CRM id").
        case suppressed(what: String)
        /// A jsonl export from another region.
        case otherRegion(path: String, region: String, storePath: String, storeRegion: String)
        /// A conflict worded by its caller.
        case message(String)
        /// A segment saved under this name already (ignoring case), with its expression.
        case segmentExists(name: String, expression: String)
        /// A segment that other saved segments refer to (`usedBy`: their names).
        case segmentInUse(name: String, usedBy: [String])
        /// A change whose identifier an index refused as another customer's, which the identity checks did not foresee.
        case identifierForTwo
        /// A device to log out from a customer it is not logged in as.
        case deviceNotLoggedInAs(deviceId: String, externalCode: String)
        /// A server key name that a valid key already has.
        case serverKeyExists(name: String)

        public var description: String {
            switch self {
            case .crmIdExists(let code):
                return "a customer with this CRM id already exists (externalCode \(code)); "
                    + "change it with `roster customer set` (nothing was changed)"
            case .identifyingChannel(let code, let channel):
                return "customer \(code) was created from this \(channel) alone and is identified by it; "
                    + "it cannot be removed (nothing was changed)"
            case .identifierOwned(let noun, let owner, let fieldName):
                return "the \(noun) already belongs to customer \(owner); "
                    + "an identifier never moves between customers silently: remove it there first with "
                    + "`roster customer unset \(owner) \(fieldName)` (nothing was changed)"
            case .mergeWouldLose(let noun, let absorbed, let survivor, let channel):
                return "linking the \(noun) would merge customer \(absorbed) into "
                    + "\(survivor), but they have different \(channel == .email ? "emails" : "phones") "
                    + "(nothing was changed)"
            case .suppressed(let what):
                return
                    "this \(what) belongs to a customer erased at their request and suppressed: it is not added again"
            case .otherRegion(let path, let region, let storePath, let storeRegion):
                return "\(path) was exported from a store in region \(region); the store \(storePath) is in region "
                    + "\(storeRegion). Roster never moves data between regions (nothing was imported)"
            case .message(let text):
                return text
            case .segmentExists(let name, let expression):
                return "a segment @\(TerminalText.escape(name)) is already saved (\(TerminalText.escape(expression)))"
            case .segmentInUse(let name, let users):
                let names = users.map { "@" + $0 }.joined(separator: ", ")
                let them = users.count == 1 ? "it" : "them"
                return "segment @\(name) is used by \(names): change or delete \(them) first"
            case .identifierForTwo:
                return "the change would give an identifier to two customers; nothing was changed"
            case .deviceNotLoggedInAs(let deviceId, let code):
                return "device \(deviceId) is not logged in as customer \(code); nothing was changed"
            case .serverKeyExists(let name):
                return "a server key named \(name) already exists: revoke it first with `roster key revoke \(name)` "
                    + "or choose another name (nothing was changed)"
            }
        }
    }
}
