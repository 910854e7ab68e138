import Foundation
import RosterCore
import Testing

@testable import RosterModel

struct FrequencyTests {
    let set = QueryFixtures.workingSet([
        Person(name: "Ana", birthdate: "1990-05-12", city: "Madrid", score: "4.5", vip: "true", devices: 2),
        Person(name: "Bo", birthdate: "1985-05-01", city: "MADRID", score: "4.50", vip: "false"),
        Person(name: "Cy", birthdate: "1990-12-24", city: "Sevilla", score: "10", vip: "TRUE", email: "c@example.com"),
        Person(name: "Di", birthdate: nil, city: nil, score: nil, vip: nil),
        Person(name: "Ed", birthdate: "--05-12", city: "Roma", score: "-1", vip: "true", phone: "+34600111222"),
    ])

    private func table(_ key: ColumnKey, rows: [Int32]? = nil, bucket: DateBucket = .day) throws -> FrequencyTable {
        try #require(FilterIndex(set).frequency(of: key, rows: rows, bucket: bucket))
    }

    @Test(
        "text is counted by its folded value, shown as the first row's text, most frequent first, ties in value order")
    func textEntries() throws {
        let city = try table(.field("City"))
        #expect(city.entries.map(\.value) == ["Madrid", "Roma", "Sevilla", "(missing)"])
        #expect(city.entries.map(\.count) == [2, 1, 1, 1])
        #expect(
            city.entries.map(\.filter) == [
                "city = \"Madrid\"", "city = \"Roma\"", "city = \"Sevilla\"", "not has city",
            ])
        #expect(city.entries[0].share == 0.4)
        #expect(city.entries[3].isMissing)
        #expect(try table(.field("city"), rows: [1, 0]).entries.map(\.value) == ["MADRID"])
    }

    @Test("dates count by day, by month of the year across years, or by year; a birthday without a year is year 0")
    func dateBuckets() throws {
        let days = try table(.field("birthdate"))
        #expect(days.entries.map(\.value) == ["--05-12", "1985-05-01", "1990-05-12", "1990-12-24", "(missing)"])
        #expect(days.entries[0].filter == "birthdate = 0000-05-12")
        let months = try table(.field("birthdate"), bucket: .month)
        #expect(months.entries.map(\.value) == ["May", "December", "(missing)"])
        #expect(months.entries.map(\.count) == [3, 1, 1])
        #expect(months.entries.map(\.filter) == ["birthdate month = 5", "birthdate month = 12", "not has birthdate"])
        let years = try table(.field("birthdate"), bucket: .year)
        #expect(years.entries.map(\.value) == ["1990", "(no year)", "1985", "(missing)"])
        #expect(years.entries.first?.filter == "birthdate year = 1990")
        #expect(years.bucket == .year)
    }

    @Test("numbers count by value (4.5 and 4.50 are one), booleans as true and false")
    func numbersAndBooleans() throws {
        let scores = try table(.field("score"))
        #expect(scores.entries.map(\.value) == ["4.5", "-1", "10", "(missing)"])
        #expect(scores.entries.first?.filter == "score = 4.5")
        let vip = try table(.field("vip"))
        #expect(vip.entries.map(\.value) == ["true", "false", "(missing)"])
        #expect(vip.entries.map(\.count) == [3, 1, 1])
        #expect(vip.entries.map(\.filter) == ["vip = true", "vip = false", "not has vip"])
    }

    @Test("devices count per number of devices; consent per combination of the three channels' marks")
    func devicesAndConsent() throws {
        let devices = try table(.devices)
        #expect(devices.entries.map(\.value) == ["0", "2"])
        #expect(devices.entries.map(\.filter) == ["not has push", nil])
        let consent = try table(.consent)
        #expect(consent.entries.map(\.value) == ["· · ·", "· · P", "· S ·", "E · ·"])
        #expect(consent.entries.first?.filter == "not has email and not has sms and not has push")
        #expect(consent.entries.last?.filter == "consent email and not has sms and not has push")
    }

    @Test("channel and consent tables for the channel views")
    func channelTables() {
        let index = FilterIndex(set)
        let channels = index.channelFrequency()
        #expect(channels.entries.map(\.value) == ["(none)", "email", "sms", "push"])
        #expect(channels.entries.map(\.count) == [2, 1, 1, 1])
        let email = index.consentFrequency(.email)
        #expect(email.entries.map(\.value) == ["(no email)", "on"])
        #expect(email.entries.map(\.filter) == ["not has email", "consent email"])
    }

    @Test("counting arbitrary values: exact values, nil as missing, no filter")
    func counting() {
        let table = FrequencyTable.counting(["ios", "android", nil, "ios", "Android"])
        #expect(table.entries.map(\.value) == ["ios", "Android", "android", "(missing)"])
        #expect(table.entries.map(\.count) == [2, 1, 1, 1])
        #expect(table.entries.allSatisfy { $0.filter == nil })
        #expect(table.total == 5)
        let none: [String?] = []
        #expect(FrequencyTable.counting(none).entries.count == 0)
    }

    @Test("a field name that needs quoting is quoted; one named like an identifier gets no filter")
    func awkwardNames() throws {
        let set = WorkingSet(
            rowIDs: [1], externalCodes: [QueryFixtures.externalCode(row: 0)], crmIds: ["c"], emails: [nil],
            phones: [nil], consent: [.allEnabled], deviceCounts: [0],
            columns: [
                .init(name: "First Name", type: .text, values: ["Ana"]), .init(name: "or", type: .text, values: ["x"]),
                .init(name: "Email", type: .text, values: ["y"]),
            ])
        let index = FilterIndex(set)
        #expect(index.frequency(of: .field("first name"))?.entries.first?.filter == "\"First Name\" = \"Ana\"")
        #expect(index.frequency(of: .field("or"))?.entries.first?.filter == "\"or\" = \"x\"")
        #expect(index.frequency(of: .field("Email"))?.entries.first?.filter == nil)
        #expect(index.frequency(of: .field("nosuch")) == nil)
    }
}

struct ColumnKeyTests {
    let set = QueryFixtures.workingSet([
        Person(name: "Ana", birthdate: "1990-01-01", city: "Roma", score: "1", vip: "true")
    ])

    @Test("a typed column name resolves case-insensitively to a built-in or a field; an unknown one lists the columns")
    func resolution() throws {
        #expect(try ColumnKey(name: "EMAIL", in: set) == .email)
        #expect(try ColumnKey(name: "externalcode", in: set) == .externalCode)
        #expect(try ColumnKey(name: " City ", in: set) == .field("city"))
        #expect(throws: ColumnKeyError.self) { try ColumnKey(name: "nmae", in: set) }
        do {
            _ = try ColumnKey(name: "nmae", in: set)
        } catch {
            #expect(
                error.description
                    == "unknown column \"nmae\" (columns: externalCode, crmId, email, phone, devices, consent, birthdate, city, name, score, vip)"
            )
        }
    }

    @Test("value types and cell text")
    func typesAndCells() {
        #expect(ColumnKey.field("birthdate").valueType(in: set) == .date)
        #expect(ColumnKey.field("score").valueType(in: set) == .number)
        #expect(ColumnKey.field("vip").valueType(in: set) == .boolean)
        #expect(ColumnKey.devices.valueType(in: set) == .count)
        #expect(ColumnKey.email.valueType(in: set) == .text)
        #expect(set.cellText(.field("CITY"), at: 0) == "Roma")
        #expect(set.cellText(.email, at: 0) == nil)
        #expect(set.cellText(.devices, at: 0) == "0")
        #expect(set.cellText(.consent, at: 0) == "· · ·")
        #expect(set.cellText(.externalCode, at: 0) == QueryFixtures.externalCode(row: 0))
        #expect(ColumnKey.field("City").hashValue == ColumnKey.field("city").hashValue)
        #expect(ColumnKey.field("city").displayName == "city")
    }

    @Test("a table of every row, read from the counts kept with the field, is the table of the same rows listed")
    func keptCountsAgree() throws {
        // Cities in two spellings (the first row's is shown), one only in the last row; dates over many days and
        // years, some missing (without a year they would span too far for counts to be kept).
        let cities = ["Madrid", "MADRID", "Roma", "Sevilla", "roma", "Lyon", "Oslo"]
        var people = (0..<3_000).map { index in
            Person(
                name: index % 11 == 0 ? nil : "N\(index % 37)",
                birthdate: index % 13 == 0 ? nil : "19\(50 + index % 50)-0\(1 + index % 9)-2\(index % 8)",
                city: index % 7 == 6 ? nil : cities[index % 6], score: nil, vip: nil)
        }
        people.append(Person(name: "Last", birthdate: "2001-01-01", city: "Tromsø", score: nil, vip: nil))
        let index = FilterIndex(QueryFixtures.workingSet(people))
        // The tables below take the kept counts only if these exist.
        for field in ["name", "birthdate", "city"] {
            let position = try #require(index.columns.firstIndex { $0.key == field })
            #expect(index.field(at: position).counts != nil, "\(field)")
        }
        let listed = (0..<Int32(people.count)).map { $0 }
        func same(_ key: ColumnKey, _ bucket: DateBucket = .day) throws {
            let whole = try #require(index.frequency(of: key, bucket: bucket))
            let rows = try #require(index.frequency(of: key, rows: listed, bucket: bucket))
            #expect(whole.entries == rows.entries, "\(key) by \(bucket)")
        }
        try same(.field("city"))
        try same(.field("name"))
        for bucket in DateBucket.allCases { try same(.field("birthdate"), bucket) }
        let city = try #require(index.frequency(of: .field("city")))
        #expect(city.entries.map(\.value).contains("Tromsø"))
        #expect(city.entries.first { $0.value.lowercased() == "madrid" }?.value == "Madrid")
    }

    @Test("consent and channel tables of every row, counted from the sets' bits, are those of the same rows listed")
    func channelBitsAgree() throws {
        // 1,001 rows: the last word of each set is partly used.
        let people = (0..<1_001).map { index in
            Person(
                name: nil, birthdate: nil, city: nil, score: nil, vip: nil,
                email: index % 3 == 0 ? "p\(index)@example.com" : nil,
                phone: index % 5 == 0 ? "+3460011\(String(format: "%04d", index))" : nil,
                devices: Int32(index % 4 == 0 ? 1 : 0),
                consent: Consent(email: index % 2 == 0, sms: index % 7 != 0, push: index % 3 != 1))
        }
        let index = FilterIndex(QueryFixtures.workingSet(people))
        let listed = (0..<Int32(people.count)).map { $0 }
        for channel in Channel.allCases {
            let whole = index.consentFrequency(channel)
            #expect(whole.entries == index.consentFrequency(channel, rows: listed).entries, "\(channel)")
            #expect(whole.entries.reduce(0) { $0 + $1.count } == people.count)
        }
        let consent = try #require(index.frequency(of: .consent))
        #expect(consent.entries == index.frequency(of: .consent, rows: listed)?.entries)
        #expect(consent.entries.count > 9)
        let channels = index.channelFrequency()
        #expect(channels.entries == index.channelFrequency(rows: listed).entries)
        #expect(channels.entries.first { $0.value == "(none)" }?.count ?? 0 > 0)
    }

    @Test("a date is written YYYY-MM-DD, years below 1000 and year 0 with their zeros")
    func dateText() throws {
        #expect(try #require(CalendarDate(year: 999, month: 1, day: 2)).description == "0999-01-02")
        #expect(try #require(CalendarDate(year: 0, month: 2, day: 29)).description == "0000-02-29")
        #expect(try #require(CalendarDate(year: 9999, month: 12, day: 31)).description == "9999-12-31")
        #expect(try #require(CalendarDate(year: 2026, month: 12, day: 7)).description == "2026-12-07")
    }
}
