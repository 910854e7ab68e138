import Foundation
import GRDB
import RosterModel

/// Customer commands: add, show, set and unset fields and channels, consent.
extension Store {
    /// Names that are channels or device columns, never customer fields.
    static let reservedFieldNames: Set<String> = [
        "email", "phone", "countrycode", "customerid", "externalcode", "externalid", "crmid", "deviceid",
        "platform", "pushtoken", "browsername", "browserversion", "osname", "osversion", "devicetype", "locale",
        "timezone", "timeoffset", "enabled", "consent",
    ]

    /// Creates an explicit customer, or gives a channel-only customer with that CRM id its own identity.
    ///
    /// Everything happens in one transaction: an invalid field or an identifier owned by another
    /// customer leaves the store unchanged.
    public func addCustomer(
        crmId rawCRMId: String, email rawEmail: String? = nil, phone: PhoneNumber? = nil,
        fields: [(name: String, value: String)] = []
    ) throws -> Customer {
        let crmId = try identifier { try CRMID.normalize(rawCRMId) }
        let email = try rawEmail.map { raw in try identifier { try EmailAddress.normalize(raw) } }
        return try write { db in
            var customer: Customer
            if let rowID = try owner(db, crmId: crmId) {
                let existing = try loadCustomer(db, rowID)
                guard existing.origin.isChannelOnly else {
                    throw RosterError.conflict(.crmIdExists(externalCode: existing.externalCode))
                }
                customer = existing
                customer.origin = .explicit
                try updateCustomer(db, old: existing, new: customer)
            } else {
                customer = try insertCustomer(db, crmId: crmId, origin: .explicit) { _ in }
            }
            if let email { customer = try link(db, customer, .email(email)) }
            if let phone { customer = try link(db, customer, .phone(phone.e164)) }
            if !fields.isEmpty {
                var changed = customer
                for (name, value) in fields { try applyField(db, &changed, name: name, value: value) }
                try updateCustomer(db, old: customer, new: changed)
                customer = changed
            }
            try audit(db, .field, subject: customer.externalCode, detail: "added customer")
            return try loadCustomer(db, customer.rowID)
        }
    }

    /// Sets a field, or the `email` / `phone` channel, of the customer an ID names.
    public func set(_ id: String, field name: String, value: String, type: FieldType? = nil) throws -> Customer {
        try write { db in
            let customer = try self.customer(db, id)
            switch name.trimmed.lowercased() {
            case "email":
                let email = try identifier { try EmailAddress.normalize(value) }
                let survivor = try link(db, customer, .email(email))
                try audit(db, .field, subject: survivor.externalCode, detail: "set email")
                return try loadCustomer(db, survivor.rowID)
            case "phone":
                let phone = try identifier { try PhoneNumber.parseInternational(value) }
                let survivor = try link(db, customer, .phone(phone.e164))
                try audit(db, .field, subject: survivor.externalCode, detail: "set phone")
                return try loadCustomer(db, survivor.rowID)
            default:
                var changed = customer
                try applyField(db, &changed, name: name, value: value, type: type)
                try updateCustomer(db, old: customer, new: changed)
                try audit(db, .field, subject: customer.externalCode, detail: "set \(name.trimmed.lowercased())")
                return try loadCustomer(db, customer.rowID)
            }
        }
    }

    /// Removes a field, or the `email` / `phone` channel, from the customer an ID names.
    public func unset(_ id: String, field name: String) throws -> Customer {
        try write { db in
            let customer = try self.customer(db, id)
            var changed = customer
            let key = name.trimmed.lowercased()
            switch key {
            case "email", "phone":
                let path: WritableKeyPath<Customer, String?> = key == "email" ? \.email : \.phone
                guard customer[keyPath: path] != nil else {
                    throw RosterError.invalidValue(
                        .customerLacksChannel(externalCode: customer.externalCode, channel: key))
                }
                if customer.origin.isChannelOnly && customer.crmId == customer[keyPath: path] {
                    throw RosterError.conflict(.identifyingChannel(externalCode: customer.externalCode, channel: key))
                }
                changed[keyPath: path] = nil
            default:
                guard changed.fields.removeValue(forKey: key) != nil else {
                    throw RosterError.invalidValue(
                        .customerLacksField(externalCode: customer.externalCode, field: name))
                }
            }
            try updateCustomer(db, old: customer, new: changed)
            try audit(db, .field, subject: customer.externalCode, detail: "unset \(key)")
            return try loadCustomer(db, customer.rowID)
        }
    }

    /// Turns one channel of a customer on or off.
    public func setConsent(_ id: String, channel: Channel, enabled: Bool) throws -> Customer {
        try write { db in
            let customer = try self.customer(db, id)
            var changed = customer
            changed.consent[channel] = enabled
            try updateCustomer(db, old: customer, new: changed)
            try audit(
                db, .consent, subject: customer.externalCode, detail: "\(channel.rawValue) \(enabled ? "on" : "off")")
            return try loadCustomer(db, customer.rowID)
        }
    }

    /// The devices logged in as a customer.
    public func devices(of customer: Customer) throws -> [Device] {
        try db.read { db in
            try Int64.fetchAll(
                db, sql: "SELECT id FROM device WHERE customerId = ? ORDER BY id", arguments: [customer.rowID]
            )
            .map { try loadDevice(db, $0) }
        }
    }

    /// Validates a field value against the field's type (registering the field on first use) and sets it.
    func applyField(
        _ db: Database, _ customer: inout Customer, name rawName: String, value rawValue: String,
        type declared: FieldType? = nil
    ) throws {
        let name = rawName.trimmed
        let key = name.lowercased()
        guard !name.isEmpty, !name.hasControlCharacters else {
            throw RosterError.invalidValue(.notAFieldName(rawName))
        }
        guard !Store.reservedFieldNames.contains(key) else {
            throw RosterError.invalidValue(.reservedFieldName(name))
        }
        var value = rawValue.trimmed
        guard !value.isEmpty else {
            throw RosterError.invalidValue(.emptyFieldValue(field: name))
        }
        let type: FieldType
        if let known = fieldType(key) {
            if let declared, declared != known.type {
                throw RosterError.invalidValue(.fieldTypeMismatch(field: known.name, type: known.type, given: declared))
            }
            type = known.type
        } else {
            type = declared ?? FieldType.infer(value)
            try writeFieldType(db, key: key, name: name, type: type)
            registerFieldType(key, (name, type))
        }
        guard type.accepts(value) else {
            throw RosterError.invalidValue(.valueNotOfType(value: value, type: type, field: name))
        }
        if type == .boolean { value = value.lowercased() }
        customer.fields[key] = FieldValue(type: type, value: value)
    }

    /// Runs a normalization and turns its typed error into a `RosterError`.
    func identifier<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as IdentifierError {
            throw RosterError.invalidIdentifier(error)
        }
    }
}

/// Customers that exist because of a channel alone, as email and SMS files create them.
extension Store {
    /// The customer owning this email, created from the email alone (its CRM id is the address) if nobody does.
    public func customer(forEmail raw: String) throws -> Customer {
        let email = try identifier { try EmailAddress.normalize(raw) }
        return try channelCustomer(.email(email), origin: .email)
    }

    /// The customer owning this phone, created from the phone alone (its CRM id is the E.164 number) if nobody does.
    public func customer(forPhone phone: PhoneNumber) throws -> Customer {
        try channelCustomer(.phone(phone.e164), origin: .sms)
    }

    private func channelCustomer(_ identifier: ChannelIdentifier, origin: CustomerOrigin) throws -> Customer {
        try write { db in
            if let rowID = try owner(db, identifier.indexKind, identifier.value) {
                return try loadCustomer(db, rowID)
            }
            if let rowID = try owner(db, crmId: identifier.value) {
                return try link(db, try loadCustomer(db, rowID), identifier)
            }
            let customer = try insertCustomer(db, crmId: identifier.value, origin: origin) { _ in }
            return try link(db, customer, identifier)
        }
    }
}
