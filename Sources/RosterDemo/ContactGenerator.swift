import Foundation
import RosterCore
import RosterModel

/// Writes realistic, messy contact files (the wide `contacts` kind), the same bytes for the same seed.
///
/// Like real CRM exports: mixed-case emails, phones in national and international habits, accented,
/// CJK and emoji names, birthdates, a few invalid rows (bad emails, phones with letters) and rows
/// repeated later with a changed city.
public struct ContactGenerator: Sendable {
    public var contacts: Int
    public var seed: UInt64
    /// The number of the first customer (`CRM-0000000` by default): files made with different starts do not overlap.
    public var firstCustomer = 0
    /// Roughly one row in this many is invalid (0: none).
    public var invalidEvery = 50
    /// Roughly one row in this many repeats an earlier customer (0: none).
    public var duplicateEvery = 100
    /// When set, roughly one customer in 40 has a birthday on this month and day.
    public var birthdayToday: (month: Int, day: Int)?

    public init(contacts: Int, seed: UInt64 = 1) {
        self.contacts = contacts
        self.seed = seed
    }

    static let header = "customerId,email,countryCode,phone,name,birthdate,city"

    /// Writes the file; returns the number of data rows written.
    @discardableResult
    public func write(to path: String, protecting protected: ProtectedFiles = ProtectedFiles()) throws -> Int {
        try OutputFile.write(to: path, protecting: protected) { file in try write(to: file) }
    }

    private func write(to handle: OutputFile) throws -> Int {
        var buffer = [UInt8]()
        buffer.reserveCapacity(1 << 20)
        buffer += Array((ContactGenerator.header + "\n").utf8)
        var rows = 0
        try rowsText { line in
            buffer += Array(line.utf8)
            buffer.append(0x0A)
            rows += 1
            if buffer.count >= 1 << 20 {
                try handle.write(buffer)
                buffer.removeAll(keepingCapacity: true)
            }
        }
        try handle.write(buffer)
        return rows
    }

    /// Calls `emit` with each data line, in order.
    public func rowsText(_ emit: (String) throws -> Void) rethrows {
        var random = SplitMix64(seed: seed)
        for index in 0..<contacts {
            let duplicate = duplicateEvery > 0 && index > 10 && random.next(below: duplicateEvery) == 0
            let customer = duplicate ? random.next(below: index) : index
            try emit(row(customer: firstCustomer + customer, random: &random))
        }
    }

    private func row(customer: Int, random: inout SplitMix64) -> String {
        // Each customer's identity comes from its own stream, so a repeated row names the same person.
        var person = SplitMix64(seed: seed &* 0x9E37_79B9 &+ UInt64(customer))
        let firstIndex = person.next(below: Self.firstNames.count)
        let first = Self.firstNames[firstIndex]
        let last = Self.lastNames[person.next(below: Self.lastNames.count)]
        let country = Self.countries[person.next(below: Self.countries.count)]
        let nationalDigits = (0..<country.length).map { _ in String(person.next(below: 10)) }.joined()
        let national = country.lead + nationalDigits.dropFirst(country.lead.count)
        let year = 1940 + person.next(below: 66)
        var month = 1 + person.next(below: 12)
        var day = 1 + person.next(below: FieldType.daysIn(month: month, year: year))
        if let today = birthdayToday, person.next(below: 40) == 0 {
            (month, day) = today
            if month == 2, day == 29, FieldType.daysIn(month: 2, year: year) == 28 { day = 28 }
        }
        let crmId = "CRM-\(String(format: "%07d", customer))"
        let localPart = Self.localParts[firstIndex]
        var email = "\(localPart).\(customer)@\(Self.domains[person.next(below: Self.domains.count)])"
        switch random.next(below: 4) {
        case 0: email = email.uppercased()
        case 1: email = " " + email.prefix(1).uppercased() + email.dropFirst() + " "
        default: break
        }
        var countryCode = country.code
        var phone: String
        switch random.next(below: 5) {
        case 0: phone = "+\(country.code) \(national)"
        case 1: phone = "00\(country.code)\(national)"
        case 2: phone = country.trunk + Self.spaced(national)
        case 3:
            phone = country.trunk + national
            countryCode = "+" + countryCode
        default: phone = national
        }
        let city = Self.cities[random.next(below: Self.cities.count)]
        if invalidEvery > 0, random.next(below: invalidEvery) == 0 {
            switch random.next(below: 3) {
            case 0: email = "\(localPart).\(customer)@"
            case 1: phone = "6O0 12 34" + String(customer % 10)
            default: countryCode = ""
            }
        }
        let name = "\(first) \(last)"
        let quotedName = name.contains(",") ? "\"\(name)\"" : name
        let birthdate = String(format: "%04d-%02d-%02d", year, month, day)
        return "\(crmId),\(email),\(countryCode),\(phone),\(quotedName),\(birthdate),\(city)"
    }

    private static func spaced(_ digits: String) -> String {
        var out = ""
        for (index, char) in digits.enumerated() {
            if index > 0 && index % 3 == 0 { out.append(" ") }
            out.append(char)
        }
        return out
    }

    struct Country: Sendable {
        let code: String
        let trunk: String
        /// Leading digits of a mobile number, then `length` digits in all.
        let lead: String
        let length: Int
    }

    static let countries = [
        Country(code: "34", trunk: "", lead: "6", length: 9), Country(code: "44", trunk: "0", lead: "77", length: 10),
        Country(code: "49", trunk: "0", lead: "151", length: 11), Country(code: "33", trunk: "0", lead: "6", length: 9),
        Country(code: "39", trunk: "", lead: "3", length: 10), Country(code: "1", trunk: "1", lead: "415", length: 10),
        Country(code: "81", trunk: "0", lead: "90", length: 10), Country(code: "52", trunk: "", lead: "55", length: 10),
    ]
    static let firstNames = [
        "Ana", "José", "Zoë", "María", "Łukasz", "Søren", "Chloé", "Jürgen", "Ángel", "Mónica", "Noël", "François",
        "Björn", "Inés", "Sofía", "Mateo", "Lucía", "Hugo", "Emma", "Liam", "山田", "佐藤", "Ōtani", "Zoé", "Renée",
        "Ελένη", "Иван", "Aiyana", "Kwame", "Priya", "Mei", "Olivia", "Noah", "Leïla", "Çağla", "Đorđe",
    ]
    /// Email local parts: the first name without accents, or "user" for scripts that have no ASCII form.
    static let localParts = firstNames.map { name -> String in
        let folded = name.folding(options: [.diacriticInsensitive], locale: nil).lowercased()
        return folded.unicodeScalars.allSatisfy { $0.isASCII && $0 != "'" } ? folded : "user"
    }
    static let lastNames = [
        "García", "Martínez", "López", "Smith", "Müller", "Rossi", "Dubois", "Tanaka", "Kowalski", "Hernández",
        "O'Brien", "Nuñez", "Schäfer", "Bianchi", "太郎", "花子", "Johansson", "Novák", "da Silva", "van der Berg",
        "Lefèvre", "Ibáñez", "Papadopoulos", "Nakamura", "Wójcik", "Ferreira",
    ]
    static let domains = ["example.com", "mail.example.org", "correo.example.es", "example.co.uk", "example.de"]
    static let cities = [
        "Madrid", "Sevilla", "A Coruña", "London", "Berlin", "München", "Paris", "Roma", "San Francisco", "Tokyo",
        "México", "Zürich", "Kraków", "Malmö", "Barcelona", "Valencia", "Bilbao", "Lyon", "Köln", "Porto",
    ]
}

/// A tiny, fast, seedable generator (SplitMix64): the same seed gives the same file on every machine, and the same
/// values to the tests that draw random data from it (`randomElement(using:)`).
package struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    package init(seed: UInt64) { state = seed }

    package mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }

    package mutating func next(below bound: Int) -> Int { Int(next() % UInt64(bound)) }
}
