import Testing

@testable import RosterCore
@testable import RosterModel

@Suite("Field types")
struct FieldTypeTests {
    @Test("a date is YYYY-MM-DD of a day that exists")
    func dates() {
        #expect(FieldType.parseDate("2024-02-29")! == (2024, 2, 29))
        #expect(FieldType.parseDate("1985-12-31")! == (1985, 12, 31))
        for text in [
            "2023-02-29", "1990-13-01", "1990-00-10", "1990-04-31", "1990-1-01", "1990/01/01", "", "1990-01-0a",
        ] {
            #expect(FieldType.parseDate(text) == nil, "\(text)")
        }
        // Ten characters that are not ten bytes: full-width digits.
        #expect(FieldType.parseDate("１９９０-01-01") == nil)
        #expect(FieldType.date.accepts("2000-01-01"))
        #expect(!FieldType.date.accepts("soon"))
    }

    @Test("the first value of a field decides its type")
    func inference() {
        #expect(FieldType.infer("1990-01-01") == .date)
        #expect(FieldType.infer("42") == .number)
        #expect(FieldType.infer("01234") == .text)
        #expect(FieldType.infer("Zoë") == .text)
    }
}
