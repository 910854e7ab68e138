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
        let scan = try scanKeys(header)
        var summary = importer.summary
        summary.duplicatesInFile = scan.duplicates
        // With --strict, lines refused here do not stop the import yet: the session applies the rest in one
        // transaction, rolled back at the end, so that the refusal lists the lines refused while applied too.
        let session = ImportSession(
            store: store, options: options, input: input, summary: summary, rejectsFile: nil, usesLanes: false)
        var lines = Lines(source: self, reader: LineReader(input), header: header, scan: scan)
        _ = try lines.reader.next()
        let rows = options.planningRows
        // Plans are held until written: a transaction here is one planning batch.
        try session.applyAll(ImportSession.Feed(next: { lines.nextBatch(rows: rows) }), batchesPerTransaction: 1)
        summary = try session.finish { _, _ in }
        try ImportSession.audit(summary, kind: .jsonl, in: store)
        return summary
    }

    /// What the first pass over the lines found: the last line of each customer, and the lines refused.
    struct KeyScan {
        var survivors: Bitset
        var duplicates: Int
        var rejects: [Int: String]
    }

    /// The first pass: every line parsed for its key; the end line checked before anything is written (a truncated
    /// or edited export is refused whole).
    private func scanKeys(_ header: Header) throws -> KeyScan {
        var keys = KeyIndex()
        var rejects: [Int: String] = [:]
        var ordinal = 0
        let scan = LineReader(input)
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
        return KeyScan(survivors: keys.survivors(rowCount: ordinal), duplicates: keys.duplicates, rejects: rejects)
    }

    /// The second pass: the surviving lines as batches of plans for the session (the first batch also carries the
    /// lines the first pass refused).
    private struct Lines {
        let source: JSONLImport
        let reader: LineReader
        let header: Header
        let scan: KeyScan
        var ordinal = 0
        var rowsRead = 0
        var ended = false
        var rejectsSent = false

        init(source: JSONLImport, reader: LineReader, header: Header, scan: KeyScan) {
            self.source = source
            self.reader = reader
            self.header = header
            self.scan = scan
        }

        mutating func nextBatch(rows: Int) -> Result<ImportBatch, any Error>? {
            guard !ended else { return nil }
            var batch = ImportBatch()
            if !rejectsSent {
                batch.rejects = scan.rejects.map { (line: $0.key, raw: [UInt8](), reason: $0.value) }
                rejectsSent = true
            }
            do {
                while batch.plans.count < rows {
                    guard let bytes = try reader.next() else {
                        ended = true
                        break
                    }
                    defer { ordinal += 1 }
                    if JSONLTrailer.isTrailer(bytes) { continue }
                    guard !bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) else { continue }
                    rowsRead += 1
                    guard scan.survivors.contains(ordinal), scan.rejects[reader.line] == nil,
                        case .success(var plan) = source.parse(bytes, header: header)
                    else { continue }
                    plan.line = reader.line
                    batch.plans.append(plan)
                }
            } catch {
                ended = true
                return .failure(error)
            }
            batch.rowsRead = rowsRead
            return .success(batch)
        }
    }

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
