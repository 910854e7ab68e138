import RosterModel

extension RosterError {
    /// A refusal worded by its caller (the executable, the server), which has no case of its own yet.
    public static func invalidValue(_ message: String) -> RosterError { .invalidValue(.message(message)) }

    /// A conflict worded by its caller, which has no case of its own yet.
    public static func conflict(_ message: String) -> RosterError { .conflict(.message(message)) }

    /// A value or argument that was refused, with what its message needs; the message is worded here, once.
    ///
    /// `RosterError.invalidValue(_: String)` makes a `.message`: the wording of a caller outside the core (the
    /// executable, the server) that has no case of its own yet.
    public enum InvalidValue: Sendable, Equatable, CustomStringConvertible {
        /// Not an IANA time zone name.
        case unknownTimeZone(String)
        /// An empty app key given to `Store.create`.
        case emptyAppKey
        /// Not a region code.
        case notARegion(String)
        /// A field name that is empty or holds control characters (as typed).
        case notAFieldName(String)
        /// A field name that is a channel or device column (`email`, `deviceId`).
        case reservedFieldName(String)
        /// An empty value given to set a field.
        case emptyFieldValue(field: String)
        /// A type given for a field that already has another.
        case fieldTypeMismatch(field: String, type: FieldType, given: FieldType)
        /// A value that does not fit its field's type.
        case valueNotOfType(value: String, type: FieldType, field: String)
        /// A channel (`email`, `phone`) to remove that the customer does not have.
        case customerLacksChannel(externalCode: String, channel: String)
        /// A field to remove that the customer does not have.
        case customerLacksField(externalCode: String, field: String)
        /// A device to pick by customer when the customer has none, or several (their deviceIds).
        case deviceNotChosen(externalCode: String, deviceIds: [String])
        /// An ID that names a device no customer is logged in on, where a customer is needed.
        case anonymousDevice(id: String)
        /// A file given as a Roster jsonl export whose first line is not one.
        case notAnExport(path: String)
        /// A Roster jsonl export that was cut or altered (`reason` says how).
        case incompleteExport(path: String, reason: String)
        /// A column mapping that maps two columns to one target.
        case mappedTwice(target: String)
        /// A header column without a name (1-based).
        case unnamedColumn(Int)
        /// A header that names a column twice.
        case duplicateColumn(String)
        /// A filter that does not parse or does not fit the fields.
        case filter(FilterError)
        /// A fixed "today" that is not a date (`reason` from the filter's date reader).
        case today(String, reason: String)
        /// A refusal worded by its caller.
        case message(String)
        /// A saved segment's name left empty.
        case segmentNameMissing
        /// A segment name longer than `limit` characters.
        case segmentNameTooLong(length: Int, limit: Int)
        /// A segment name with characters that `@NAME` in a filter cannot hold (as given).
        case notASegmentName(String)
        /// A segment to delete that is not saved; `saved` names the ones that are.
        case unknownSegment(name: String, saved: [String])
        /// An import kind that is not one of `ImportKind`.
        case unknownImportKind(String)
        /// A column mapping refused before anything was read (an unknown preset, …).
        case mapping(MappingError)
        /// A field retype not applied: `count` values do not convert to `type` (`format`: how they were read).
        case unconvertibleValues(field: String, type: FieldType, count: Int, format: String?)
        /// A template that does not parse.
        case template(TemplateError)
        /// An erasure not confirmed: `asked` when the answer was not yes, else there was nobody to ask.
        case erasureNotConfirmed(asked: Bool)
        /// The new passphrase typed twice differently.
        case passphrasesDiffer
        /// A new passphrase shorter than `minimum` characters.
        case passphraseTooShort(minimum: Int)
        /// A wait for the store that is not a number of seconds, 0 or more (as given).
        case notSeconds(String)
        /// A setting saved without a name.
        case emptySettingName
        /// An ID that names nobody, in a typed form other than a CRM id (`prefix`: `email:`), where a customer would
        /// be created from it.
        case notCreatableFrom(id: String, prefix: String)
        /// An ID that names nobody and starts like a typed form with an unknown prefix (`head`: `foo`).
        case unknownIDPrefix(id: String, head: String, value: String)
        /// A change that sets no field.
        case noFieldToSet
        /// A change that removes no field.
        case noFieldToRemove
        /// A field named twice in one change (field names ignore case).
        case fieldGivenTwice(String)
        /// An email or phone (`fieldName`) to take away that the customer does not have.
        case customerLacksIdentifier(externalCode: String, fieldName: String)
        /// A server key name that no valid key has.
        case noSuchServerKey(String)
        /// Not a server key name.
        case notAKeyName(String)

        public var description: String {
            switch self {
            case .unknownTimeZone(let name):
                return "unknown time zone \"\(name)\" (use an IANA name such as Europe/Madrid)"
            case .emptyAppKey:
                return "the app key must not be empty"
            case .notARegion(let raw):
                return
                    "\"\(raw)\" is not a region: use a short code of letters, digits and dashes, such as eu or us-east"
            case .notAFieldName(let raw):
                return "\"\(raw)\" is not a field name"
            case .reservedFieldName(let name):
                return "\"\(name)\" is a channel or device column, not a customer field: use the matching command"
            case .emptyFieldValue(let field):
                return "an empty value for field \(field): use `roster customer unset` to remove it"
            case .fieldTypeMismatch(let field, let type, let given):
                return "field \(field) is \(type.phrase), not \(given.phrase)"
            case .valueNotOfType(let value, let type, let field):
                return "\"\(value)\" is not \(type.phrase), the type of field \(field)"
            case .customerLacksChannel(let code, let channel):
                return "customer \(code) has no \(channel); nothing was changed"
            case .customerLacksField(let code, let field):
                return "customer \(code) has no field \"\(field)\"; nothing was changed"
            case .deviceNotChosen(let code, let deviceIds):
                return deviceIds.isEmpty
                    ? "customer \(code) has no device"
                    : "customer \(code) has \(deviceIds.count) devices; name one by its deviceId: "
                        + deviceIds.joined(separator: ", ")
            case .anonymousDevice(let id):
                return "\"\(id)\" is an anonymous device (no customer is logged in on it): use `roster device login`"
            case .notAnExport(let path):
                return "\(path) is not a Roster jsonl export (its first line must name the export and its region)"
            case .incompleteExport(let path, let reason):
                return "\(path) is not a whole Roster export: \(reason). Nothing was imported; export it again"
            case .mappedTwice(let target):
                return "the mapping gives \(target) twice (nothing was imported)"
            case .unnamedColumn(let number):
                return "column \(number) of the header has no name"
            case .duplicateColumn(let name):
                return "the header names the column \"\(name)\" twice"
            case .filter(let error):
                return error.description
            case .today(let value, let reason):
                return "today \(value): \(reason)"
            case .message(let text):
                return text
            case .segmentNameMissing:
                return "a segment needs a name (\(Self.segmentNameRule)), such as birthdays"
            case .segmentNameTooLong(let length, let limit):
                return "the segment name is \(length) characters long; the limit is \(limit)"
            case .notASegmentName(let name):
                return "\"\(TerminalText.escape(name))\" cannot name a segment: use \(Self.segmentNameRule), "
                    + "such as birthdays"
            case .unknownSegment(let name, let saved):
                let list =
                    saved.isEmpty
                    ? "no segment is saved; save one with: roster segment save NAME EXPR"
                    : "saved: " + saved.map { "@" + $0 }.joined(separator: ", ")
                return "no segment is named @\(TerminalText.escape(name)) (\(list))"
            case .unknownImportKind(let kind):
                return "\"\(kind)\" is not an import kind: use "
                    + ImportKind.allCases.map(\.rawValue).joined(separator: ", ")
            case .mapping(let error):
                return error.description
            case .unconvertibleValues(let field, let type, let count, let format):
                return "\(count) value\(count == 1 ? "" : "s") of field \(field) do not convert to \(type.rawValue)"
                    + "\(format.map { " (\($0))" } ?? ""); nothing was changed"
            case .template(let error):
                return error.description
            case .erasureNotConfirmed(let asked):
                return asked ? "not confirmed; nothing was erased" : "erasing needs a confirmation (nothing was erased)"
            case .passphrasesDiffer:
                return "the two passphrases differ; nothing was created"
            case .passphraseTooShort(let minimum):
                return "the passphrase must have at least \(minimum) characters; nothing was created"
            case .notSeconds(let text):
                return "the wait takes a number of seconds, 0 or more, not \"\(text)\""
            case .emptySettingName:
                return "a setting needs a name"
            case .notCreatableFrom(let id, let prefix):
                return "\"\(TerminalText.escape(id))\" names no customer, and a customer is created only from a CRM id "
                    + "(bare, or written crm:…), not from \(prefix)…; nothing was changed"
            case .unknownIDPrefix(let id, let head, let value):
                let known = TypedID.prefixes.map { $0.prefix }.joined(separator: ", ")
                return "\"\(TerminalText.escape(id))\" names no customer, and \(TerminalText.escape(head)): is not "
                    + "a kind of ID (\(known)): to create the customer with this CRM id, write it "
                    + "crm:\(TerminalText.escape(value)); nothing was changed"
            case .noFieldToSet:
                return "no field to set; nothing was changed"
            case .noFieldToRemove:
                return "no field to remove; nothing was changed"
            case .fieldGivenTwice(let name):
                return "the field \(name) is given twice (field names ignore case); nothing was changed"
            case .customerLacksIdentifier(let code, let fieldName):
                return "customer \(code) does not have this \(fieldName); nothing was changed"
            case .noSuchServerKey(let name):
                return "no valid server key is named \"\(name)\" (see `roster key list`); nothing was changed"
            case .notAKeyName(let raw):
                return "\"\(raw)\" is not a key name: use 1 to 64 letters, digits, dots, dashes or underscores, "
                    + "such as crm-sync"
            }
        }

        /// What a segment name may hold.
        static let segmentNameRule = "letters, digits, '_', '-' and '.', starting with a letter or a digit"
    }
}
