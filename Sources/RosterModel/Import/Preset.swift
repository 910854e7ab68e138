/// Mappings for the exports of common CRMs and newsletter tools, from the headers each vendor documents
/// (docs/import.md lists the sources). A preset imports only the columns it maps: the dozens of empty address,
/// label and tracking columns such exports carry do not become fields. `--map` adds or replaces targets.
public enum Preset: String, CaseIterable, Sendable {
    case hubspot, salesforce, mailchimp, google, outlook

    public var mapping: ColumnMapping {
        typealias Entry = ColumnMapping.Entry
        func columns(_ names: String...) -> [ColumnMapping.Source] { names.map { .column($0) } }
        func fullName(_ pairs: (String, String)...) -> [ColumnMapping.Source] {
            pairs.map { .template([.column($0.0), .literal(" "), .column($0.1)]) }
        }
        var entries: [Entry]
        switch self {
        case .hubspot:
            // Exports name columns by property label; the record's id is "Record ID" ("Record ID - Contact" in
            // multi-object exports).
            entries = [
                Entry(target: "customerId", sources: columns("Record ID", "Record ID - Contact", "Contact ID")),
                Entry(target: "email", sources: columns("Email", "Email Address")),
                Entry(target: "phone", sources: columns("Mobile Phone Number", "Phone Number")),
                Entry(target: "name", sources: fullName(("First Name", "Last Name"))),
                Entry(target: "birthdate", type: .date, sources: columns("Date of birth", "Birthdate", "Birthday")),
            ]
        case .salesforce:
            // Report exports use field labels (`First Name`), Data Loader the API names (`FirstName`): headers match
            // without spaces and case, so one spelling covers both.
            entries = [
                Entry(target: "customerId", sources: columns("Contact ID", "Id")),
                Entry(target: "email", sources: columns("Email")),
                Entry(target: "phone", sources: columns("Mobile", "Mobile Phone", "Phone", "Business Phone")),
                Entry(target: "name", sources: fullName(("First Name", "Last Name"))),
                Entry(target: "birthdate", type: .date, sources: columns("Birthdate")),
            ]
        case .mailchimp:
            // An audience export: birthdays are written MM/DD, without a year.
            entries = [
                Entry(target: "email", sources: columns("Email Address")),
                Entry(target: "phone", sources: columns("Phone Number")),
                Entry(target: "name", sources: fullName(("First Name", "Last Name"))),
                Entry(target: "birthdate", type: .date, dateOrder: .mdy, sources: columns("Birthday")),
            ]
        case .google:
            // "Google CSV": `First Name`/`Last Name` since 2021, `Given Name`/`Family Name` before; birthdays as
            // `YYYY-MM-DD`, or `--MM-DD` without a year.
            entries = [
                Entry(target: "email", sources: columns("E-mail 1 - Value")),
                Entry(target: "phone", sources: columns("Phone 1 - Value")),
                Entry(
                    target: "name",
                    sources: fullName(("First Name", "Last Name"), ("Given Name", "Family Name")) + columns("Name")),
                Entry(target: "birthdate", type: .date, sources: columns("Birthday")),
            ]
        case .outlook:
            // Outlook's CSV export: dates in the Windows locale's order, `0/0/00` for none.
            entries = [
                Entry(target: "email", sources: columns("E-mail Address")),
                Entry(
                    target: "phone", sources: columns("Mobile Phone", "Primary Phone", "Home Phone", "Business Phone")),
                Entry(target: "name", sources: fullName(("First Name", "Last Name"))),
                Entry(target: "birthdate", type: .date, sources: columns("Birthday")),
            ]
        }
        for index in entries.indices {
            entries[index].isOptional = true
            // Exports carry several phone columns, filled differently per contact: each row takes the first that
            // holds a phone, in the order listed (a mobile number first).
            entries[index].perRow = entries[index].target == "phone"
        }
        var mapping = ColumnMapping(entries: entries)
        mapping.onlyMapped = true
        return mapping
    }
}

extension ColumnMapping {
    /// Reads a mapping file: a small subset of TOML.
    ///
    /// ```toml
    /// preset = "hubspot"        # optional: start from a preset
    /// date-order = "dmy"        # optional: for date columns whose values leave the order open
    /// default-country = "34"    # optional: the calling code of phones written without one
    /// only-mapped = true        # optional: import only the mapped columns
    ///
    /// [map]
    /// customerId = "Record ID"
    /// name = "{First Name} {Last Name}"
    /// "birthdate:date" = "DOB"
    /// ```
    public static func read(toml text: String, path: String) throws(MappingError) -> ColumnMapping {
        var mapping = ColumnMapping()
        var preset: ColumnMapping?
        var section = ""
        var onlyMapped: Bool?
        for (offset, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            func fail(_ detail: String) -> MappingError { .badFile(path: path, line: offset + 1, detail: detail) }
            let line = stripComment(String(rawLine)).trimmed
            if line.isEmpty { continue }
            if line.hasPrefix("[") {
                guard line.hasSuffix("]") else { throw fail("a table header ends with ]") }
                section = String(line.dropFirst().dropLast()).trimmed
                guard section == "map" else { throw fail("unknown table [\(section)]: use [map]") }
                continue
            }
            guard let equals = keyEnd(line) else { throw fail("expected key = \"value\"") }
            let key = unquote(String(line[..<equals]).trimmed)
            let rawValue = String(line[line.index(after: equals)...]).trimmed
            if section == "map" {
                guard let value = quoted(rawValue) else { throw fail("the source of \(key) must be a quoted string") }
                do {
                    mapping.entries.append(try entry("\(key)=\(value)"))
                } catch {
                    throw fail("\(error)")
                }
                continue
            }
            switch key {
            case "preset":
                guard let value = quoted(rawValue), let named = Preset(rawValue: value.lowercased()) else {
                    throw fail(
                        "preset is one of " + Preset.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", "))
                }
                preset = named.mapping
            case "date-order":
                guard let value = quoted(rawValue), let order = DateOrder(rawValue: value.lowercased()) else {
                    throw fail("date-order is \"dmy\" or \"mdy\"")
                }
                mapping.dateOrder = order
            case "default-country":
                guard let value = quoted(rawValue) ?? (rawValue.allSatisfy(\.isNumber) ? rawValue : nil) else {
                    throw fail("default-country is a calling code such as \"34\"")
                }
                mapping.defaultCountry = value
            case "only-mapped":
                guard rawValue == "true" || rawValue == "false" else { throw fail("only-mapped is true or false") }
                onlyMapped = rawValue == "true"
            default:
                throw fail(
                    "unknown setting \(key) (preset, date-order, default-country, only-mapped, or a [map] table)")
            }
        }
        var result = preset.map { $0.overridden(by: mapping) } ?? mapping
        if let onlyMapped { result.onlyMapped = onlyMapped }
        return result
    }

    private static func stripComment(_ line: String) -> String {
        var inQuotes = false
        var result = ""
        for character in line {
            if character == "\"" { inQuotes.toggle() }
            if character == "#" && !inQuotes { break }
            result.append(character)
        }
        return result
    }

    /// The `=` after a bare or quoted key.
    private static func keyEnd(_ line: String) -> String.Index? {
        var inQuotes = false
        for index in line.indices {
            if line[index] == "\"" { inQuotes.toggle() }
            if line[index] == "=" && !inQuotes { return index }
        }
        return nil
    }

    private static func unquote(_ text: String) -> String { quoted(text) ?? text }

    /// The text of a basic TOML string (`"…"` with `\"` and `\\` escapes), or nil.
    private static func quoted(_ text: String) -> String? {
        guard text.count >= 2, text.hasPrefix("\""), text.hasSuffix("\"") else { return nil }
        var result = ""
        var escaped = false
        for character in text.dropFirst().dropLast() {
            if escaped {
                result.append(character == "t" ? "\t" : character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else {
                result.append(character)
            }
        }
        return escaped ? nil : result
    }
}
