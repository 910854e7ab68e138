import Testing

@testable import RosterCore
@testable import RosterModel

@Suite("Dates, numbers and types as real files write them")
struct FieldFormatTests {
    private func stored(_ value: String, _ order: DateOrder? = nil, serials: Bool = true) -> String? {
        guard let text = DateText.read(value) else { return nil }
        return try? text.stored(order: order, serials: serials).get()
    }

    @Test("the date forms of exports read to YYYY-MM-DD, or --MM-DD without a year")
    func dateForms() {
        #expect(stored("1990-12-06") == "1990-12-06")
        #expect(stored("1990-12-06T10:00:00Z") == "1990-12-06")
        #expect(stored("1940-06-07Z") == "1940-06-07")
        #expect(stored("1990/12/06") == "1990-12-06")
        #expect(stored("06/12/1990", .dmy) == "1990-12-06")
        #expect(stored("06/12/1990", .mdy) == "1990-06-12")
        #expect(stored("6.12.1990", .dmy) == "1990-12-06")
        #expect(stored("06-12-1990", .dmy) == "1990-12-06")
        #expect(stored("25/12/1990") == "1990-12-25")  // a part above 12 needs no order
        #expect(stored("12/25/1990") == "1990-12-25")
        #expect(stored("12/06", .mdy) == "--12-06")
        #expect(stored("--12-06") == "--12-06")
        #expect(stored("02/29", .mdy) == "--02-29")
        #expect(stored("33124") == "1990-09-08")  // Excel serial
        #expect(stored("33124", serials: false) == nil)
        #expect(stored("31/02/1990") == nil)
        #expect(stored("06/12/1990") == nil)  // ambiguous without an order
        #expect(DateText.read("06/12/90") == .twoDigitYear)
        #expect(DateText.read("Madrid") == nil)
        #expect(DateText.read("06/12/1990")?.needsOrder == true)
        #expect(DateText.read("05/05/1990")?.needsOrder == false)
        #expect(DateText.read("13/01/1990")?.orderHint == .dmy)
        #expect(DateText.read("01/13/1990")?.orderHint == .mdy)
        #expect(FieldType.date.accepts("--12-06"))
        #expect(!FieldType.date.accepts("--13-06"))
    }

    @Test("numbers keep their digits exactly, with either decimal separator and thousands groups")
    func numbers() {
        #expect(NumberColumnFormat.canonical("1.234,50", decimalComma: true) == "1234.50")
        #expect(NumberColumnFormat.canonical("1,234.50", decimalComma: false) == "1234.50")
        #expect(NumberColumnFormat.canonical("1 234,5", decimalComma: true) == "1234.5")
        #expect(NumberColumnFormat.canonical("1'234.5", decimalComma: false) == "1234.5")
        #expect(NumberColumnFormat.canonical("-0,75", decimalComma: true) == "-0.75")
        #expect(NumberColumnFormat.canonical("+12", decimalComma: true) == "12")
        #expect(
            NumberColumnFormat.canonical("12345678901234567890.000000000001", decimalComma: false)
                == "12345678901234567890.000000000001")
        #expect(NumberColumnFormat.canonical("1,23,4", decimalComma: false) == nil)
        #expect(NumberColumnFormat.canonical("4,5", decimalComma: false) == nil)
        #expect(NumberColumnFormat.canonical("1.2.3", decimalComma: false) == nil)
    }

    @Test("a column's type comes from a sample of its values, not its first value")
    func inference() {
        #expect(
            ImportLayout.infer(["Madrid", "1990-12-06", "1991-01-01", "1992-02-02"], semicolon: false)?.type == .date)
        #expect(ImportLayout.infer(["06/12/1990", "1991-12-06"], semicolon: true)?.type == .date)
        #expect(ImportLayout.infer(["1990-12-06", "Madrid", "Vigo"], semicolon: false)?.type == .text)
        #expect(ImportLayout.infer(["4,5", "12", "1.234,50"], semicolon: true)?.number?.decimalComma == true)
        #expect(ImportLayout.infer(["4.5", "12"], semicolon: false)?.number?.decimalComma == false)
        #expect(ImportLayout.infer(["08001", "28001"], semicolon: true)?.type == .text)
        #expect(ImportLayout.infer(["true", "FALSE"], semicolon: false)?.type == .boolean)
        #expect(ImportLayout.infer(["33124", "1990-12-06", "0/0/00"], semicolon: false)?.type == .date)
        #expect(ImportLayout.infer([], semicolon: false) == nil)
    }

    @Test("a template joins its columns and leaves out the text next to an empty one")
    func templates() throws {
        let map = try ColumnMap(
            header: ["id", "First Name", "Last Name", "E-mail"], kind: .contacts,
            mapping: ColumnMapping(entries: [
                try ColumnMapping.entry("customerId=id"), try ColumnMapping.entry("name={First Name} {Last Name}"),
                try ColumnMapping.entry("email=E-mail"),
            ]))
        #expect(map.expand(["1", "Ana", "García", "a@example.com"]).last == "Ana García")
        #expect(map.expand(["1", "", "García", "a@example.com"]).last == "García")
        #expect(map.expand(["1", "Ana", "", ""]).last == "Ana")
        #expect(map.roles[1] == .ignored && map.roles[2] == .ignored)
        #expect(map.roles[3] == .email)
    }

    @Test("a mapping file sets a preset, settings and targets")
    func mappingFile() throws {
        let mapping = try ColumnMapping.read(
            toml: """
                # our CRM
                preset = "hubspot"
                date-order = "dmy"   # Spanish dates
                default-country = "34"

                [map]
                "birthdate:date" = "Fecha"
                city = "Ciudad # centro"
                """, path: "m.toml")
        #expect(mapping.dateOrder == .dmy)
        #expect(mapping.defaultCountry == "34")
        #expect(mapping.onlyMapped)
        #expect(mapping.entries.first { $0.target == "birthdate" }?.sources == [.column("Fecha")])
        #expect(mapping.entries.first { $0.target == "birthdate" }?.type == .date)
        #expect(mapping.entries.first { $0.target == "city" }?.sources == [.column("Ciudad # centro")])
        #expect(throws: MappingError.self) { try ColumnMapping.read(toml: "[maps]\n", path: "m.toml") }
    }
}

@Suite("A date column's order, decided from the whole file")
struct DateOrderTests {
    /// Imports `rows` of `customerId,birthdate` into a new store; returns the summary and the store.
    private func load(_ rows: [String], order: DateOrder? = nil) throws -> (ImportSummary, Store, TemporaryDirectory) {
        let directory = try TemporaryDirectory()
        let store = try directory.makeStore()
        let path = directory.file("dates.csv")
        let text = (["customerId,birthdate"] + rows.enumerated().map { "C\($0.offset),\($0.element)" })
            .joined(separator: "\n")
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        var options = ImportOptions(kind: .contacts, path: path)
        options.dateOrder = order
        return (try Importer(store: store, options: options).run(), store, directory)
    }

    @Test("past a sample of ambiguous dates, a later value above 12 decides the order")
    func decidedAfterTheSample() throws {
        let ambiguous = [String](repeating: "06/12/1990", count: ImportLayout.sampleValues + 5)
        let (summary, store, directory) = try load(ambiguous + ["25/12/1991"])
        #expect(summary.rejected == 0)
        #expect(summary.formats.first?.format == "DD/MM/YYYY")
        #expect(try store.customer("C0").fields["birthdate"]?.value == "1990-12-06")
        withExtendedLifetime(directory) {}
    }

    @Test("values deciding both ways are refused, unless an order is given; then the others are rejected")
    func conflicting() throws {
        #expect(throws: MappingError.self) { try load(["25/12/1990", "12/25/1990", "06/12/1990"]) }
        let (summary, store, directory) = try load(["25/12/1990", "12/25/1990", "06/12/1990"], order: .mdy)
        #expect(summary.rejects.map(\.line) == [2])
        #expect(try store.customer("C2").fields["birthdate"]?.value == "1990-06-12")
        #expect(summary.formats.first?.format.contains("order given: mdy") == true)
        withExtendedLifetime(directory) {}
    }
}
