import Foundation
import RosterModel

/// The checks every other way in applies, applied to one jsonl line: a jsonl file is typed or edited by people and
/// scripts as often as it is written by Roster, so it gets no trust a CSV file does not.
enum JSONLValidation {
    /// The CRM id of a line, refused as the CLI and CSV refuse it (empty, control characters).
    static func crmId(_ raw: Any?) -> Result<String, RowRejection> {
        guard let text = raw as? String else { return .failure(RowRejection("it has no crmId")) }
        do {
            return .success(try CRMID.normalize(text))
        } catch {
            return .failure(RowRejection(error.description))
        }
    }

    /// A field name as `roster customer set` and CSV headers accept it: not empty, no control characters, not a
    /// channel or device column.
    static func fieldName(_ raw: String) -> RowRejection? {
        let name = raw.trimmed
        if name.isEmpty || name.hasControlCharacters {
            return RowRejection("\"\(raw)\" is not a field name (it is empty or holds control characters)")
        }
        if Store.reservedFieldNames.contains(name.lowercased()) {
            return RowRejection("\"\(name)\" is a channel or device column, not a customer field")
        }
        return nil
    }

    /// The type a field's value is stored as: the store's type for a known field, else the one the export's first
    /// line declares, else the first value's, inferred as for a CSV column. A line that says otherwise is refused.
    static func fieldType(
        key: String, name: String, value: String, declared: String?, store: FieldType?, header: FieldType?
    ) -> Result<FieldType, RowRejection> {
        let lineType = declared.map { FieldType(rawValue: $0) }
        if case .some(.none) = lineType {
            return .failure(
                RowRejection("field \(name) has the type \"\(declared!)\", not text, date, number or boolean"))
        }
        let type = store ?? header ?? FieldType.infer(value)
        if let lineType = lineType ?? nil, lineType != type {
            let source = store != nil ? "in this store" : header != nil ? "in the export's field list" : "by its value"
            return .failure(RowRejection("field \(name) is \(type.phrase) \(source); the line says \(lineType.phrase)"))
        }
        guard type.accepts(value) else {
            return .failure(RowRejection("\"\(value)\" is not \(type.phrase), the type of field \(name)"))
        }
        return .success(type)
    }

    /// A line's `consent` object: each channel on or off, as a boolean or a yes/no word as in CSV files.
    static func consent(_ raw: Any?) -> Result<[(Channel, Bool)], RowRejection> {
        guard let raw else { return .success([]) }
        guard let object = raw as? [String: Any] else {
            return .failure(RowRejection("consent must be an object such as {\"email\":true,\"sms\":false}"))
        }
        var result: [(Channel, Bool)] = []
        for (key, value) in object.sorted(by: { $0.key < $1.key }) {
            guard let channel = Channel(rawValue: key.lowercased()) else {
                return .failure(RowRejection("consent names \"\(key)\", which is not email, sms or push"))
            }
            let enabled: Bool?
            if let text = value as? String {
                enabled = Bool(flag: text)
            } else {
                enabled = value as? Bool
            }
            guard let enabled else {
                return .failure(
                    RowRejection("consent for \(channel.rawValue) is \(describe(value)), not true or false"))
            }
            result.append((channel, enabled))
        }
        return .success(result)
    }

    /// The `createdAt` and `updatedAt` of a line, as an export writes them (`2026-11-29T10:15:00Z`), if both are there.
    static func timestamps(_ object: [String: Any]) -> Result<(createdAt: Int64, updatedAt: Int64)?, RowRejection> {
        guard object["createdAt"] != nil || object["updatedAt"] != nil else { return .success(nil) }
        guard let created = (object["createdAt"] as? String).flatMap(parseTimestamp),
            let updated = (object["updatedAt"] as? String).flatMap(parseTimestamp)
        else {
            return .failure(RowRejection("createdAt and updatedAt must both be times such as 2026-11-29T10:15:00Z"))
        }
        return .success((created, updated))
    }

    /// Seconds since 1970 of `YYYY-MM-DDTHH:MM:SSZ`.
    static func parseTimestamp(_ text: String) -> Int64? {
        let bytes = Array(text.utf8)
        guard bytes.count == 20, bytes[10] == UInt8(ascii: "T"), bytes[19] == UInt8(ascii: "Z"),
            bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
            let date = FieldType.parseDate(String(text.prefix(10)))
        else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                guard bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int(bytes[index] - UInt8(ascii: "0"))
            }
            return value
        }
        guard let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19), hour < 24,
            minute < 60, second < 61
        else { return nil }
        // Days from civil (Howard Hinnant's algorithm): no calendar or time zone object per line.
        let year = date.month <= 2 ? date.year - 1 : date.year
        let era = (year >= 0 ? year : year - 399) / 400
        let yearOfEra = year - era * 400
        let dayOfYear = (153 * (date.month + (date.month > 2 ? -3 : 9)) + 2) / 5 + date.day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146_097 + dayOfEra - 719_468
        return Int64(days * 86_400 + hour * 3_600 + minute * 60 + second)
    }

    private static func describe(_ value: Any) -> String {
        if let text = value as? String { return "\"\(text)\"" }
        return "\(value)"
    }
}
