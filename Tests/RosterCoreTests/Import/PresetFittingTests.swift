import Testing

@testable import RosterCore
@testable import RosterModel

@Suite("Presets suggested for a file, and phone columns tried per row")
struct PresetFittingTests {
    @Test("each vendor's export header suggests its own preset first; Roster's own header suggests none")
    func fitting() {
        let headers: [Preset: [String]] = [
            .hubspot: ["Record ID", "First Name", "Last Name", "Email", "Phone Number", "Date of birth"],
            .salesforce: ["Contact ID", "First Name", "Last Name", "Title", "Email", "Phone", "Mobile", "Birthdate"],
            .mailchimp: ["Email Address", "First Name", "Last Name", "Address", "Phone Number", "Birthday"],
            .google: ["First Name", "Last Name", "Birthday", "E-mail 1 - Value", "Phone 1 - Value"],
            .outlook: ["First Name", "Last Name", "E-mail Address", "Mobile Phone", "Birthday"],
        ]
        for (preset, header) in headers {
            #expect(Preset.fitting(header: header).first == preset, "\(preset): \(Preset.fitting(header: header))")
        }
        #expect(Preset.fitting(header: ["customerId", "email", "name", "birthdate"]).isEmpty)
    }

    @Test("a phone cell is one with six digits or more and nothing but digits, spaces and + ( ) - . /")
    func phones() {
        for phone in ["+34 600 11 22 33", "(415) 555-0100", "0049.30.123456", "600112233"] {
            #expect(ColumnMap.looksLikePhone(phone), "\(phone)")
        }
        for other in ["", "n/a", "-", "12345", "call me", "+34 600 11 22 33 ext 4", "６００１１２２３３"] {
            #expect(!ColumnMap.looksLikePhone(other), "\(other)")
        }
    }

    @Test("a row takes the first of the preset's phone columns that holds a phone, else the first not empty")
    func perRow() throws {
        let header = ["Contact ID", "Email", "Mobile", "Phone"]
        let map = try ColumnMap(header: header, kind: .contacts, mapping: Preset.salesforce.mapping)
        let phone = try #require(map.column(.phone))
        #expect(map.sources[phone] == "Mobile or Phone")
        #expect(map.expand(["1", "a@x.es", "", "+34 911 22 33 44"])[phone] == "+34 911 22 33 44")
        #expect(map.expand(["1", "a@x.es", "n/a", "+1 415 555 0100"])[phone] == "+1 415 555 0100")
        #expect(map.expand(["1", "a@x.es", "+44 7700 900123", "+44 20 7946 0000"])[phone] == "+44 7700 900123")
        #expect(map.expand(["1", "a@x.es", "n/a", "none"])[phone] == "n/a")
        #expect(map.expand(["1", "a@x.es", "", ""])[phone] == "")
    }
}
