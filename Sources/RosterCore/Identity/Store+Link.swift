import Foundation
import GRDB
import RosterModel

/// A channel identifier that belongs to at most one customer.
enum ChannelIdentifier {
    case email(String)
    case phone(String)

    var value: String {
        switch self {
        case .email(let value), .phone(let value): return value
        }
    }
    var indexKind: BlindIndexKind { if case .email = self { .email } else { .phone } }
    var channel: Channel { if case .email = self { .email } else { .sms } }
    var noun: String { if case .email = self { "email \(value)" } else { "phone \(value)" } }
    var fieldName: String { if case .email = self { "email" } else { "phone" } }
}

/// The identity rules: who owns an identifier, and when two customers become one.
extension Store {
    /// Gives `target` a channel identifier and returns the surviving customer.
    ///
    /// A channel-only owner of the identifier is merged into an explicit target; a channel-only
    /// target is merged into an explicit owner; two explicit customers never exchange an identifier.
    func link(
        _ db: Database, _ target: Customer, _ identifier: ChannelIdentifier, consent: Bool? = nil
    ) throws -> Customer {
        var absorbed: [Int64] = []
        return try link(db, target, identifier, consent: consent, absorbed: &absorbed)
    }

    /// `link`, adding to `absorbed` the customer it merged away, if any.
    func link(
        _ db: Database, _ target: Customer, _ identifier: ChannelIdentifier, consent: Bool?, absorbed: inout [Int64]
    ) throws -> Customer {
        let path: WritableKeyPath<Customer, String?> = identifier.indexKind == .email ? \.email : \.phone
        var survivor = target
        if target[keyPath: path] != identifier.value {
            if let ownerID = try owner(db, identifier.indexKind, identifier.value), ownerID != target.rowID {
                let owner = try loadCustomer(db, ownerID)
                if owner.origin.isChannelOnly && !target.origin.isChannelOnly {
                    survivor = try merge(db, owner, into: target, reason: identifier)
                    absorbed.append(owner.rowID)
                } else if target.origin.isChannelOnly && !owner.origin.isChannelOnly {
                    survivor = try merge(db, target, into: owner, reason: identifier)
                    absorbed.append(target.rowID)
                } else {
                    throw RosterError.conflict(
                        .identifierOwned(
                            noun: identifier.noun, owner: owner.externalCode, fieldName: identifier.fieldName))
                }
            }
            if survivor[keyPath: path] != identifier.value {
                // A customer's own identifier is replaced (rectification); the old one is released.
                var changed = survivor
                changed[keyPath: path] = identifier.value
                // A new channel is enabled unless told otherwise; a replaced address keeps its consent.
                changed.consent[identifier.channel] =
                    consent ?? (survivor[keyPath: path] == nil || survivor.consent[identifier.channel])
                try updateCustomer(db, old: survivor, new: changed)
                survivor = changed
                return survivor
            }
        }
        if let consent, survivor.consent[identifier.channel] != consent {
            var changed = survivor
            changed.consent[identifier.channel] = consent
            try updateCustomer(db, old: survivor, new: changed)
            survivor = changed
        }
        return survivor
    }

    /// Folds a channel-only customer into an explicit one: channels, fields it lacks, devices and history.
    func merge(_ db: Database, _ absorbed: Customer, into survivor: Customer, reason: ChannelIdentifier) throws
        -> Customer
    {
        var merged = survivor
        for path in [\Customer.email, \Customer.phone] {
            guard let value = absorbed[keyPath: path] else { continue }
            let channel: Channel = path == \Customer.email ? .email : .sms
            if let current = merged[keyPath: path], current != value {
                throw RosterError.conflict(
                    .mergeWouldLose(
                        noun: reason.noun, absorbed: absorbed.externalCode, survivor: survivor.externalCode,
                        channel: channel))
            }
            merged[keyPath: path] = value
            if survivor[keyPath: path] == nil { merged.consent[channel] = absorbed.consent[channel] }
        }
        for (key, value) in absorbed.fields where merged.fields[key] == nil {
            merged.fields[key] = value
        }
        merged.history += absorbed.history
        merged.history.append(MergeEntry(at: Store.now(), externalCode: absorbed.externalCode, origin: absorbed.origin))
        // Each device is sealed with its customer link: moved devices are sealed again.
        for rowID in try Int64.fetchAll(
            db, sql: "SELECT id FROM device WHERE customerId = ?", arguments: [absorbed.rowID])
        {
            var device = try loadDevice(db, rowID)
            device.customerRowID = survivor.rowID
            try saveDevice(db, device, isNew: false)
        }
        try deleteCustomer(db, absorbed)
        try updateCustomer(db, old: survivor, new: merged)
        return merged
    }
}
