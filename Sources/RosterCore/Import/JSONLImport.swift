import Foundation
import GRDB
import RosterCSV
import RosterModel

/// `roster import jsonl`: Roster's own export back into a store of the same region, losslessly.
///
/// The first line names the export and its region; an export from another region is refused
/// before anything is read. Each following line is one customer (or the anonymous devices).
struct JSONLImport {
    let importer: Importer
    var store: Store { importer.store }
    var options: ImportOptions { importer.options }
    var input: InputFile { importer.input! }

    func run() throws -> ImportSummary {
        let header = try readHeader()
        var keys = KeyIndex()
        var rejects: [Int: String] = [:]
        var ordinal = 0
        let scan = LineReader(input)
        // The end line is checked before anything is written: a truncated or edited export is refused whole.
        var verifier = JSONLTrailer.Verifier(path: options.path, version: header.version)
        _ = try verifier.add(try scan.next() ?? [], number: 1)
        while let bytes = try scan.next() {
            defer { ordinal += 1 }
            if try verifier.add(bytes, number: scan.line) { continue }
            guard !bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) else { continue }
            switch parse(bytes, header: header) {
            case .success(let plan): keys.record(plan.identity ?? "\u{1}anonymous", ordinal: ordinal)
            case .failure(let rejection): rejects[scan.line] = rejection.reason
            }
        }
        try verifier.finish(lastLine: scan.line, endsWithLineBreak: scan.lastLineEndedWithBreak)
        try input.checkUnchanged()  // a file written to since the first pass is refused before anything is written
        let survivors = keys.survivors(rowCount: ordinal)
        var summary = importer.summary
        summary.duplicatesInFile = keys.duplicates
        // With --strict, lines refused here do not stop the import yet: the rest is applied in one transaction, rolled
        // back at the end, so that the refusal lists the lines refused while applied too.

        var tally = ChangeTally()
        let reader = LineReader(input)
        _ = try reader.next()
        ordinal = 0
        var plans: [RowPlan] = []
        var audited = (created: 0, updated: 0)  // what the batches committed so far were audited with
        func flush() throws {
            try store.write { db in
                for plan in plans {
                    do {
                        try db.inSavepoint {
                            if let customer = try store.apply(db, plan, kind: .jsonl).customer {
                                tally.record(customer.rowID, customer.change)
                            }
                            return .commit
                        }
                    } catch let error as RosterError where !error.isIntegrityFailure {
                        try store.loadFieldTypes(db)
                        rejects[plan.line] = error.description
                    }
                }
                plans.removeAll()
                try input.checkUnchanged()  // nothing read after the file was written to is committed
                // --strict writes all or nothing: one transaction, rolled back when any line was refused.
                if options.strict && !rejects.isEmpty { throw StrictRefusal() }
                if options.dryRun { throw DryRun() }
                // Audited in the transaction that commits the batch (a killed import leaves what it committed).
                let created = tally.created - audited.created
                let updated = tally.updated - audited.updated
                if created + updated > 0 {
                    try store.audit(
                        db, .import, subject: "*",
                        detail: "jsonl file: batch committed: \(created) created, \(updated) updated")
                }
            }
            audited = (tally.created, tally.updated)
        }
        do {
            while let bytes = try reader.next() {
                defer { ordinal += 1 }
                if JSONLTrailer.isTrailer(bytes) { continue }
                guard !bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) else { continue }
                summary.read += 1
                guard survivors.contains(ordinal), rejects[reader.line] == nil,
                    case .success(var plan) = parse(bytes, header: header)
                else { continue }
                plan.line = reader.line
                plans.append(plan)
                // Plans are held until written: a transaction here is at most one planning batch.
                if plans.count >= options.planningRows && !options.dryRun && !options.strict { try flush() }
            }
            try flush()
        } catch is DryRun {
            try? store.loadFieldTypes()
        } catch is StrictRefusal {
            try? store.loadFieldTypes()
        }
        summary.rejects = rejects.sorted { $0.key < $1.key }.map { .init(line: $0.key, reason: $0.value) }
        tally.apply(to: &summary)
        if options.strict && !summary.rejects.isEmpty { throw ImportRefused(summary: summary) }
        if !options.dryRun {
            try store.audit(
                .import, subject: "*",
                detail: "jsonl export: \(summary.created) created, \(summary.updated) updated, "
                    + "\(summary.unchanged) unchanged, \(summary.rejected) rejected")
        }
        return summary
    }

    private struct DryRun: Error {}
    private struct StrictRefusal: Error {}

    struct Header {
        let region: String
        let version: Int
        let fieldNames: [String: (name: String, type: FieldType)]
    }

    private func readHeader() throws -> Header {
        let reader = LineReader(input)
        guard let first = try reader.next(), JSONDepth.offsetPastLimit(first) == nil,
            let object = try? JSONSerialization.jsonObject(with: Data(first)) as? [String: Any],
            object["roster"] as? String == "export", let region = object["region"] as? String
        else {
            throw RosterError.invalidValue(.notAnExport(path: options.path))
        }
        guard region == store.region else {
            throw RosterError.conflict(
                .otherRegion(path: options.path, region: region, storePath: store.path, storeRegion: store.region))
        }
        var names: [String: (name: String, type: FieldType)] = [:]
        for field in object["fields"] as? [[String: Any]] ?? [] {
            if let name = field["name"] as? String, let type = (field["type"] as? String).flatMap(FieldType.init) {
                names[name.lowercased()] = (name, type)
            }
        }
        return Header(region: region, version: object["version"] as? Int ?? 1, fieldNames: names)
    }

    private func parse(_ bytes: [UInt8], header: Header) -> Result<RowPlan, RowRejection> {
        if let offset = JSONDepth.offsetPastLimit(bytes) {
            return .failure(RowRejection(JSONDepth.rejection(at: offset)))
        }
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else {
            return .failure(RowRejection("it is not a JSON object"))
        }
        var plan = RowPlan(line: 0)
        if let anonymous = object["anonymousDevices"] as? [[String: Any]] {
            return devices(anonymous).map { found in
                plan.moreDevices = found
                return plan
            }
        }
        switch JSONLValidation.crmId(object["crmId"]) {
        case .success(let crmId): plan.identity = crmId
        case .failure(let rejection): return .failure(rejection)
        }
        plan.origin = (object["origin"] as? String).flatMap(CustomerOrigin.init) ?? .explicit
        do {
            if let email = object["email"] as? String { plan.email = try EmailAddress.normalize(email) }
            if let phone = object["phone"] as? String { plan.phone = try PhoneNumber.parseInternational(phone).e164 }
        } catch {
            return .failure(RowRejection(error.description))
        }
        switch JSONLValidation.consent(object["consent"]) {
        case .success(let consent): plan.consent = consent
        case .failure(let rejection): return .failure(rejection)
        }
        switch JSONLValidation.timestamps(object) {
        case .success(let stamps): plan.timestamps = stamps
        case .failure(let rejection): return .failure(rejection)
        }
        if object["fields"] != nil && !(object["fields"] is [String: Any]) {
            return .failure(RowRejection("fields must be an object of {\"type\", \"value\"} entries"))
        }
        for (rawKey, raw) in (object["fields"] as? [String: Any] ?? [:]).sorted(by: { $0.key < $1.key }) {
            if let rejection = JSONLValidation.fieldName(rawKey) { return .failure(rejection) }
            let key = rawKey.trimmed.lowercased()
            guard let entry = raw as? [String: Any], let rawValue = entry["value"] as? String else {
                return .failure(RowRejection("field \(key) has no text value"))
            }
            let value = rawValue.trimmed
            let name = store.fieldTypes[key]?.name ?? header.fieldNames[key]?.name ?? rawKey.trimmed
            if let rejection = JSONLValidation.fieldName(name) { return .failure(rejection) }
            let type: FieldType
            switch JSONLValidation.fieldType(
                key: key, name: name, value: value, declared: entry["type"] as? String,
                store: store.fieldTypes[key]?.type, header: header.fieldNames[key]?.type)
            {
            case .success(let checked): type = checked
            case .failure(let rejection): return .failure(rejection)
            }
            plan.fields.append(
                FieldAssignment(key: key, name: name, type: type, value: type == .boolean ? value.lowercased() : value))
        }
        return devices(object["devices"] as? [[String: Any]] ?? []).map { found in
            plan.moreDevices = found
            return plan
        }
    }

    /// The devices of a line, checked as a push file's columns are; the first bad one rejects the line.
    private func devices(_ objects: [[String: Any]]) -> Result<[DevicePlan], RowRejection> {
        var plans: [DevicePlan] = []
        for object in objects {
            guard let rawID = object["deviceId"] as? String else {
                return .failure(RowRejection("a device has no deviceId"))
            }
            let deviceId: String
            do {
                deviceId = try DeviceID.normalize(rawID)
            } catch {
                return .failure(RowRejection(error.description))
            }
            var plan = DevicePlan(deviceId: deviceId)
            if let platform = object["platform"] as? String {
                guard let known = DevicePlatform(rawValue: platform) else {
                    return .failure(RowRejection("device \(deviceId): \"\(platform)\" is not a platform"))
                }
                plan.platform = known
            }
            plan.enabled = object["enabled"] as? Bool
            let columns: [DeviceColumn] = [
                .pushToken, .browserName, .browserVersion, .osName, .osVersion, .deviceType, .locale, .timeZone,
            ]
            for column in columns {
                guard let value = object[column.rawValue] as? String else { continue }
                if column == .timeZone && TimeZone(identifier: value) == nil {
                    return .failure(
                        RowRejection(
                            "device \(deviceId): \"\(value)\" is not a time zone (an IANA name such as Europe/Madrid)"))
                }
                plan.attributes.append((column, value))
            }
            plans.append(plan)
        }
        return .success(plans)
    }
}
