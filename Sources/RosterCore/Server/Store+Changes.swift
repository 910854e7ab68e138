import Foundation
import GRDB
import RosterModel

/// A change and the name the audit log gives as its actor.
public struct AttributedChange: Sendable {
    public var change: StoreChange
    /// Who asked for it: the sync server gives the server key's name.
    public var actor: String
    /// The change worked out beforehand on a reader (`Store.prepare`), if it was.
    public var prepared: PreparedChange?

    public init(_ change: StoreChange, actor: String, prepared: PreparedChange? = nil) {
        self.change = change
        self.actor = actor
        self.prepared = prepared
    }
}

/// Group commit: many small writes in one transaction, each judged on its own.
extension Store {
    /// Applies changes in order in one write transaction, each judged on its own.
    ///
    /// A change refused for its input (an invalid value, an unknown ID, an identifier owned by another customer)
    /// is rolled back alone and reported in its slot; the others commit together. Anything else (the disk, the
    /// store's integrity) fails the whole call and nothing is written. When this returns, the transaction is
    /// committed and durable (`synchronous = FULL`).
    ///
    /// The changes are first applied without a savepoint each: a savepoint copies every page a change touches
    /// before it changes it (16 KiB each) and cost about a tenth of the sync server's time per write, only to be
    /// needed when a change is refused. When one is, that transaction is rolled back whole and the group applied
    /// again with a savepoint per change, each judged against the store as the second transaction finds it: the
    /// same as the first found, unless another process committed in between. A group of one change needs no second
    /// run.
    public func apply(_ changes: [AttributedChange]) throws -> [Result<StoreChangeResult, RosterError>] {
        defer { auditActor = nil }
        do {
            return try write { db in try withAuditHeadAtEnd(db) { try applyEach(db, changes, savepoints: false) } }
        } catch let refused as RefusedInGroup {
            // The field registry may hold a field that a rolled-back change created.
            try loadFieldTypes()
            if changes.count == 1 { return [.failure(refused.error)] }
            // A change written as prepared in the rolled-back run is judged again.
            for change in changes { change.prepared?.markNotWritten() }
        }
        return try write { db in try withAuditHeadAtEnd(db) { try applyEach(db, changes, savepoints: true) } }
    }

    /// A change of a group applied without savepoints was refused: the whole transaction is rolled back.
    private struct RefusedInGroup: Error {
        let error: RosterError
    }

    /// Applies every change in order. With `savepoints`, each inside a savepoint of its own, rolling back and
    /// reporting each one refused; without, throwing `RefusedInGroup` at the first one refused.
    private func applyEach(_ db: Database, _ changes: [AttributedChange], savepoints: Bool) throws -> [Result<
        StoreChangeResult, RosterError
    >] {
        var results: [Result<StoreChangeResult, RosterError>] = []
        results.reserveCapacity(changes.count)
        for item in changes {
            auditActor = item.actor
            // Cached savepoint statements: compiling them per change cost more than running them.
            if savepoints { try db.exec("SAVEPOINT change") }
            do {
                results.append(.success(try applyOne(db, item)))
                if savepoints { try db.exec("RELEASE SAVEPOINT change") }
            } catch {
                // After a failure of the disk SQLite may have rolled back the whole transaction: that error, not
                // the missing savepoint's, is the one to report.
                guard let refusal = Store.refusal(error) else { throw error }
                guard savepoints else { throw RefusedInGroup(error: refusal) }
                forgetGroupState()
                try db.exec("ROLLBACK TO SAVEPOINT change")
                try db.exec("RELEASE SAVEPOINT change")
                // The field registry may hold a field that the rolled-back change created.
                try loadFieldTypes(db)
                results.append(.failure(refusal))
            }
        }
        return results
    }

    private func applyOne(_ db: Database, _ item: AttributedChange) throws -> StoreChangeResult {
        if let prepared = item.prepared, let result = try applyPrepared(db, prepared) { return result }
        return try apply(db, item.change)
    }

    /// How a change's error is reported in its slot when it is a refusal of that change alone; nil for an error
    /// that fails the whole group (the disk, the store's integrity).
    private static func refusal(_ error: any Error) -> RosterError? {
        switch error {
        case let error as RosterError where !error.isIntegrityFailure:
            return error
        case let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT:
            // An identifier index refused a duplicate that the identity checks did not foresee.
            return .conflict(.identifierForTwo)
        default:
            return nil
        }
    }

    /// Runs `body` with the audit log naming `actor` (erasure, access export: the server's admin calls).
    public func attributed<T>(to actor: String, _ body: (Store) throws -> T) rethrows -> T {
        auditActor = actor
        defer { auditActor = nil }
        return try body(self)
    }

    private func apply(_ db: Database, _ change: StoreChange) throws -> StoreChangeResult {
        switch change {
        case .registerDevice(let registration):
            let deviceId = try identifier {
                try DeviceID.normalize(registration.deviceId ?? UUID().uuidString.lowercased())
            }
            let zone = try Store.zone(named: registration.timeZone ?? TimeZone.current.identifier)
            let created = try owner(db, .deviceId, deviceId) == nil
            let device = try registerDevice(db, registration, deviceId: deviceId, zone: zone, now: Date())
            try audit(
                db, .field, subject: device.externalCode ?? "*", detail: "device \(created ? "register" : "refresh")")
            return .device(device, created: created)
        case .updateDevice(let id, let update):
            return .device(try updateDevice(db, id, update), created: false)
        case .setFields(let id, let fields):
            return try setFields(db, id, fields)
        case .unsetFields(let id, let names):
            return .customer(try unsetFields(db, id, names), created: false)
        case .link(let id, let link):
            return try self.link(db, id, link)
        case .unlink(let id, let link):
            return try unlink(db, id, link)
        case .consent(let id, let channel, let enabled):
            let customer = try self.customer(db, id)
            var changed = customer
            changed.consent[channel] = enabled
            try updateCustomer(db, old: customer, new: changed)
            try audit(
                db, .consent, subject: customer.externalCode, detail: "\(channel.rawValue) \(enabled ? "on" : "off")")
            return .customer(try loadCustomer(db, customer.rowID), created: false)
        case .upsert(let upsert):
            return try self.upsert(db, upsert)
        }
    }

    static func zone(named name: String) throws -> TimeZone {
        guard let zone = TimeZone(identifier: name) else {
            throw RosterError.invalidValue(.unknownTimeZone(name))
        }
        return zone
    }

    private func updateDevice(_ db: Database, _ id: String, _ update: DeviceUpdate) throws -> Device {
        var device = try device(db, id)
        if let enabled = update.enabled { device.enabled = enabled }
        if let platform = update.platform { device.platform = platform }
        if let name = update.timeZone {
            let zone = try Store.zone(named: name)
            device.timeZone = zone.identifier
            device.timeOffset = zone.secondsFromGMT(for: Date()) / 60
        }
        for (path, value) in [
            (\Device.pushToken, update.pushToken), (\Device.browserName, update.browserName),
            (\Device.browserVersion, update.browserVersion), (\Device.osName, update.osName),
            (\Device.osVersion, update.osVersion), (\Device.deviceType, update.deviceType),
            (\Device.locale, update.locale),
        ] where value != nil {
            device[keyPath: path] = value
        }
        try saveDevice(db, device, isNew: false)
        try audit(db, .field, subject: device.externalCode ?? "*", detail: "device update")
        return try loadDevice(db, device.rowID)
    }

    /// The customer an ID names, or a new one with that ID as its CRM id.
    private func customerOrNew(_ db: Database, _ id: String) throws -> (Customer, created: Bool) {
        do {
            return (try customer(db, id), false)
        } catch RosterError.unknownID {
            let crmId = try identifier { try CRMID.normalize(try Store.crmIdToCreate(id)) }
            return (try insertCustomer(db, crmId: crmId, origin: .explicit) { _ in }, true)
        }
    }

    /// The CRM id a customer is created with when `id` names nobody: a bare ID, or the value of `crm:…`.
    ///
    /// Another typed form (`email:…`, `device:…`) names a kind of ID a customer is not created from here, and a bare
    /// ID that starts like a typed form with an unknown prefix (`foo:123`, `emial:a@b.eu`) is more likely a typo than
    /// a CRM id: both are refused with the reason, and a CRM id that does hold such a colon is written `crm:foo:123`.
    static func crmIdToCreate(_ id: String) throws -> String {
        let typed = TypedID(id)
        switch typed.kind {
        case .crmId?:
            return typed.value
        case let kind?:
            throw RosterError.invalidValue(.notCreatableFrom(id: id, prefix: kind.prefix))
        case nil:
            if let colon = typed.value.firstIndex(of: ":") {
                let head = typed.value[..<colon]
                if (1...16).contains(head.utf8.count),
                    head.utf8.allSatisfy({ ($0 | 0x20) >= 0x61 && ($0 | 0x20) <= 0x7a })
                {
                    throw RosterError.invalidValue(
                        .unknownIDPrefix(id: id, head: String(head), value: typed.value))
                }
            }
            return typed.value
        }
    }

    private func setFields(_ db: Database, _ id: String, _ fields: [FieldChange]) throws -> StoreChangeResult {
        guard !fields.isEmpty else { throw RosterError.invalidValue(.noFieldToSet) }
        try Store.checkDistinct(fields)
        let customer: Customer
        do {
            customer = try self.customer(db, id)
        } catch RosterError.unknownID {
            // A new customer is sealed and indexed once, with its fields, rather than inserted and then rewritten.
            let crmId = try identifier { try CRMID.normalize(try Store.crmIdToCreate(id)) }
            let inserted = try insertCustomer(db, crmId: crmId, origin: .explicit) { new in
                for field in fields { try applyField(db, &new, name: field.name, value: field.value) }
            }
            let names = fields.map { $0.name.trimmed.lowercased() }.joined(separator: ", ")
            try audit(db, .field, subject: inserted.externalCode, detail: "set \(names)")
            return .customer(inserted, created: true)
        }
        let created = false
        var changed = customer
        for field in fields { try applyField(db, &changed, name: field.name, value: field.value) }
        try updateCustomer(db, old: customer, new: changed)
        let names = fields.map { $0.name.trimmed.lowercased() }.joined(separator: ", ")
        try audit(db, .field, subject: customer.externalCode, detail: "set \(names)")
        return .customer(try loadCustomer(db, customer.rowID), created: created)
    }

    /// Field names match ignoring case: `Name` and `name` in one change would silently keep one of the two.
    static func checkDistinct(_ fields: [FieldChange]) throws {
        var seen = Set<String>()
        for field in fields where !seen.insert(field.name.trimmed.lowercased()).inserted {
            throw RosterError.invalidValue(.fieldGivenTwice(field.name.trimmed))
        }
    }

    private func unsetFields(_ db: Database, _ id: String, _ names: [String]) throws -> Customer {
        guard !names.isEmpty else { throw RosterError.invalidValue(.noFieldToRemove) }
        let customer = try self.customer(db, id)
        var changed = customer
        for name in names {
            guard changed.fields.removeValue(forKey: name.trimmed.lowercased()) != nil else {
                throw RosterError.invalidValue(.customerLacksField(externalCode: customer.externalCode, field: name))
            }
        }
        try updateCustomer(db, old: customer, new: changed)
        let list = names.map { $0.trimmed.lowercased() }.joined(separator: ", ")
        try audit(db, .field, subject: customer.externalCode, detail: "unset \(list)")
        return try loadCustomer(db, customer.rowID)
    }

    private func channelIdentifier(_ link: ChannelLink) throws -> ChannelIdentifier? {
        switch link {
        case .email(let raw): return .email(try identifier { try EmailAddress.normalize(raw) })
        case .phone(let countryCode, let number):
            let phone = try identifier {
                if let countryCode { return try PhoneNumber.normalize(countryCode: countryCode, phone: number) }
                return try PhoneNumber.parseInternational(number)
            }
            return .phone(phone.e164)
        case .device: return nil
        }
    }

    private func link(_ db: Database, _ id: String, _ link: ChannelLink) throws -> StoreChangeResult {
        let (customer, created) = try customerOrNew(db, id)
        if case .device(let deviceId) = link {
            var device = try device(db, deviceId)
            device.customerRowID = customer.rowID
            try saveDevice(db, device, isNew: false)
            try audit(db, .field, subject: customer.externalCode, detail: "device login")
            return .customer(try loadCustomer(db, customer.rowID), created: created)
        }
        let channel = try channelIdentifier(link)!
        let survivor = try self.link(db, customer, channel)
        try audit(db, .field, subject: survivor.externalCode, detail: "set \(channel.fieldName)")
        return .customer(try loadCustomer(db, survivor.rowID), created: created)
    }

    private func unlink(_ db: Database, _ id: String, _ link: ChannelLink) throws -> StoreChangeResult {
        let customer = try self.customer(db, id)
        if case .device(let deviceId) = link {
            var device = try device(db, deviceId)
            guard device.customerRowID == customer.rowID else {
                throw RosterError.conflict(
                    .deviceNotLoggedInAs(deviceId: device.deviceId, externalCode: customer.externalCode))
            }
            device.customerRowID = nil
            try saveDevice(db, device, isNew: false)
            try audit(db, .field, subject: customer.externalCode, detail: "device logout")
            return .customer(try loadCustomer(db, customer.rowID), created: false)
        }
        let channel = try channelIdentifier(link)!
        let path: WritableKeyPath<Customer, String?> = channel.indexKind == .email ? \.email : \.phone
        guard customer[keyPath: path] == channel.value else {
            throw RosterError.invalidValue(
                .customerLacksIdentifier(externalCode: customer.externalCode, fieldName: channel.fieldName))
        }
        if customer.origin.isChannelOnly && customer.crmId == channel.value {
            throw RosterError.conflict(
                .identifyingChannel(externalCode: customer.externalCode, channel: channel.fieldName))
        }
        var changed = customer
        changed[keyPath: path] = nil
        try updateCustomer(db, old: customer, new: changed)
        try audit(db, .field, subject: customer.externalCode, detail: "unset \(channel.fieldName)")
        return .customer(try loadCustomer(db, customer.rowID), created: false)
    }

    private func upsert(_ db: Database, _ upsert: CustomerUpsert) throws -> StoreChangeResult {
        let crmId = try identifier { try CRMID.normalize(upsert.crmId) }
        try Store.checkDistinct(upsert.fields)
        let email = try upsert.email.map { try channelIdentifier(.email($0))! }
        let phone = try upsert.phone.map { try channelIdentifier($0)! }
        var customer: Customer
        var created = false
        if let rowID = try owner(db, crmId: crmId) {
            let existing = try loadCustomer(db, rowID)
            customer = existing
            if existing.origin.isChannelOnly {
                customer.origin = .explicit
                try updateCustomer(db, old: existing, new: customer)
            }
        } else {
            customer = try insertCustomer(db, crmId: crmId, origin: .explicit) { _ in }
            created = true
        }
        for channel in [email, phone].compactMap({ $0 }) {
            customer = try link(db, customer, channel, consent: upsert.consent[channel.channel])
        }
        var changed = customer
        for field in upsert.fields { try applyField(db, &changed, name: field.name, value: field.value) }
        for (channel, enabled) in upsert.consent { changed.consent[channel] = enabled }
        if changed != customer { try updateCustomer(db, old: customer, new: changed) }
        try audit(db, .field, subject: customer.externalCode, detail: created ? "added customer" : "updated customer")
        return .customer(try loadCustomer(db, customer.rowID), created: created)
    }
}
