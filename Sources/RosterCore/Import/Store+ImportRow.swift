import Foundation
import GRDB
import RosterModel

/// What applying one row changed.
struct RowOutcome {
    var customer: (rowID: Int64, change: NetChange)?
    var device: (rowID: Int64, change: NetChange)?
}

/// Applying import rows to a store, one row at a time, inside the caller's transaction.
extension Store {
    /// Applies one validated row; throws a `RosterError` (a conflict) to reject it. `absorbed` gains the customers
    /// it merged away (the importer counts customers by net change).
    func apply(_ db: Database, _ plan: RowPlan, kind: ImportKind, absorbed: inout [Int64]) throws -> RowOutcome {
        var outcome = RowOutcome()
        var current: Customer?
        var before: Customer?
        var created = false
        let consent = Dictionary(plan.consent, uniquingKeysWith: { $1 })
        // Who the row is about: a CRM id (or code, email, phone) it names, or for email and SMS files
        // without one, the owner of the channel value — or a new customer of that CRM id / channel.
        var existing: Customer?
        var newCustomer: (crmId: String, origin: CustomerOrigin)?
        if let identity = plan.identity {
            existing = try customer(db, identity: identity)
            newCustomer = (identity, plan.origin)
        } else if kind == .email || kind == .sms, let value = kind == .email ? plan.email : plan.phone {
            let identifier: ChannelIdentifier = kind == .email ? .email(value) : .phone(value)
            if let rowID = try owner(db, identifier.indexKind, value) {
                existing = try verified(db, rowID) { kind == .email ? $0.email == value : $0.phone == value }
            } else if let rowID = try owner(db, crmId: value) {
                existing = try verified(db, rowID) { $0.crmId == value }
            }
            newCustomer = (value, kind == .email ? .email : .sms)
        }
        if let existing {
            current = existing
            before = current
        } else if let newCustomer {
            created = true
            if try channelsAreFree(db, plan) {
                // The common case of a new customer: built whole and written once.
                current = try insertCustomer(db, crmId: newCustomer.crmId, origin: newCustomer.origin) { customer in
                    customer.email = plan.email
                    customer.phone = plan.phone
                    try fill(db, &customer, plan, consent: consent)
                    if let stamps = plan.timestamps { (customer.createdAt, customer.updatedAt) = stamps }
                }
                outcome.customer = (current!.rowID, .created)
            } else {
                current = try insertCustomer(db, crmId: newCustomer.crmId, origin: newCustomer.origin) { _ in }
            }
        }

        if outcome.customer == nil, var customer = current {
            if let email = plan.email {
                customer = try link(db, customer, .email(email), consent: consent[.email], absorbed: &absorbed)
            }
            if let phone = plan.phone {
                customer = try link(db, customer, .phone(phone), consent: consent[.sms], absorbed: &absorbed)
            }
            var changed = customer
            try fill(db, &changed, plan, consent: consent)
            if !changed.sameContent(as: customer) { try updateCustomer(db, old: customer, new: changed) }
            current = changed
            let change: NetChange =
                created ? .created : (before.map { changed.sameContent(as: $0) } ?? false) ? .unchanged : .updated
            outcome.customer = (changed.rowID, change)
        }

        for devicePlan in [plan.device].compactMap({ $0 }) + plan.moreDevices {
            let result = try applyDevice(db, devicePlan, customer: current)
            outcome.device = result
            if result.change != .unchanged, let customer = outcome.customer, customer.change == .unchanged {
                outcome.customer = (customer.rowID, .updated)
            }
        }
        return outcome
    }

    /// The customer an identity cell names: as a CRM id, an externalCode, an email, then an E.164 phone. A
    /// blind-index hit must decrypt to the value looked up: a moved entry is an integrity error, never an
    /// update of someone else.
    func customer(_ db: Database, identity: String) throws -> Customer? {
        if let rowID = try owner(db, crmId: identity) {
            return try verified(db, rowID) { $0.crmId == CRMID.trim(identity) }
        }
        if identity.utf8.count == 64, let code = Hex.decode(identity), let rowID = try owner(db, externalCode: code) {
            return try verified(db, rowID) { $0.externalCode == Hex.encode(code) }
        }
        if identity.contains("@"), let email = try? EmailAddress.normalize(identity),
            let rowID = try owner(db, .email, email)
        {
            return try verified(db, rowID) { $0.email == email }
        }
        if identity.hasPrefix("+"), let phone = try? PhoneNumber.parseInternational(identity),
            let rowID = try owner(db, .phone, phone.e164)
        {
            return try verified(db, rowID) { $0.phone == phone.e164 }
        }
        return nil
    }

    /// Whether neither the row's email nor its phone belongs to anyone yet.
    private func channelsAreFree(_ db: Database, _ plan: RowPlan) throws -> Bool {
        if let email = plan.email, try owner(db, .email, email) != nil { return false }
        if let phone = plan.phone, try owner(db, .phone, phone) != nil { return false }
        return true
    }

    /// Consent and field values of a row (channel values are set by the caller or by `link`).
    private func fill(_ db: Database, _ customer: inout Customer, _ plan: RowPlan, consent: [Channel: Bool]) throws {
        if let push = consent[.push] { customer.consent.push = push }
        if let email = consent[.email], plan.email == nil || customer.email == plan.email {
            customer.consent.email = email
        }
        if let sms = consent[.sms], plan.phone == nil || customer.phone == plan.phone { customer.consent.sms = sms }
        for field in plan.fields {
            try registerField(db, field)
            customer.fields[field.key] = FieldValue(type: field.type, value: field.value)
        }
    }

    func registerField(_ db: Database, _ field: FieldAssignment) throws {
        if let known = fieldType(field.key) {
            guard known.type == field.type else {
                throw RosterError.invalidValue(
                    .fieldTypeMismatch(field: known.name, type: known.type, given: field.type))
            }
            return
        }
        try writeFieldType(db, key: field.key, name: field.name, type: field.type)
        registerFieldType(field.key, (field.name, field.type))
    }

    private func applyDevice(_ db: Database, _ plan: DevicePlan, customer: Customer?) throws -> (
        rowID: Int64, change: NetChange
    ) {
        let stamp = Store.now()
        var device: Device
        let isNew: Bool
        if let rowID = try owner(db, .deviceId, plan.deviceId) {
            device = try loadDevice(db, rowID)
            isNew = false
        } else {
            let rowID =
                (try Int64.fetchOne(try db.cachedStatement(sql: "SELECT COALESCE(MAX(id), 0) + 1 FROM device"))) ?? 1
            device = Device(
                rowID: rowID, deviceId: plan.deviceId, platform: plan.platform ?? .webpush, enabled: true,
                createdAt: stamp, updatedAt: stamp)
            isNew = true
        }
        let original = device
        if let platform = plan.platform { device.platform = platform }
        if let enabled = plan.enabled { device.enabled = enabled }
        for (column, value) in plan.attributes {
            switch column {
            case .pushToken: device.pushToken = value
            case .browserName: device.browserName = value
            case .browserVersion: device.browserVersion = value
            case .osName: device.osName = value
            case .osVersion: device.osVersion = value
            case .deviceType: device.deviceType = value
            case .locale: device.locale = value
            case .timeZone:
                device.timeZone = value
                device.timeOffset = TimeZone(identifier: value).map { $0.secondsFromGMT() / 60 }
            case .platform, .enabled: break
            }
        }
        if let customer { device.customerRowID = customer.rowID }
        device.externalCode = original.externalCode
        let changed = isNew || !device.sameContent(as: original)
        if changed { try saveDevice(db, device, isNew: isNew) }
        return (device.rowID, isNew ? .created : changed ? .updated : .unchanged)
    }
}

extension Customer {
    /// Equal in everything but the update time.
    func sameContent(as other: Customer) -> Bool {
        var copy = other
        copy.updatedAt = updatedAt
        return self == copy
    }
}

extension Device {
    /// Equal in everything but the update time and the time offset (which moves with daylight saving).
    func sameContent(as other: Device) -> Bool {
        var copy = other
        copy.updatedAt = updatedAt
        copy.timeOffset = timeOffset
        copy.externalCode = externalCode
        return self == copy
    }
}
