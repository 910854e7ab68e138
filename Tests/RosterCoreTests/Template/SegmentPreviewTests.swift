import Testing

@testable import RosterCore
@testable import RosterModel

@Suite("Template: segment preview")
struct SegmentPreviewTests {
    /// Five customers: two without a name, one with a blank city, one without email.
    let workingSet = WorkingSet(
        customers: [
            templateCustomer(
                rowID: 1, externalCode: code(1), email: "a@x.es", fields: ["name": "Ana", "city": "Sevilla"]),
            templateCustomer(rowID: 2, externalCode: code(2), email: "b@x.es", fields: ["city": "Lyon"]),
            templateCustomer(
                rowID: 3, externalCode: code(3), email: "c@x.es", fields: ["name": "Carla", "city": "  "]),
            templateCustomer(rowID: 4, externalCode: code(4), fields: ["city": "Bonn"]),
            templateCustomer(
                rowID: 5, externalCode: code(5), email: "e@x.es", fields: ["name": "Eva", "city": "Porto"]),
        ], fieldNames: ["name": "Name", "city": "City"])

    @Test("counts complete renders and the customers missing each field, in template order")
    func counts() throws {
        let template = try Template.parse("Hi $Name from $city")
        let preview = SegmentPreview(template: template, rows: [0, 1, 2, 3, 4], of: workingSet)
        #expect(preview.total == 5)
        #expect(preview.complete == 2)
        #expect(preview.missingByField == [.init(field: "Name", count: 2), .init(field: "city", count: 1)])
    }

    @Test("the first samples follow the order of the rows, with their externalCode")
    func samples() throws {
        let template = try Template.parse("Hi $Name from $city")
        let preview = SegmentPreview(template: template, rows: [4, 1, 2, 0], of: workingSet)
        #expect(
            preview.samples == [
                .init(externalCode: code(5), rendering: .init(text: "Hi Eva from Porto")),
                .init(externalCode: code(2), rendering: .init(text: "Hi $Name from Lyon", missing: ["Name"])),
                .init(externalCode: code(3), rendering: .init(text: "Hi Carla from $city", missing: ["city"])),
            ])
        #expect(SegmentPreview(template: template, rows: [0, 1], of: workingSet, sampleCount: 5).samples.count == 2)
        #expect(SegmentPreview(template: template, rows: [0, 1], of: workingSet, sampleCount: 0).samples.isEmpty)
    }

    @Test("fields with fallbacks everywhere are never missing; built-ins and unknown fields are counted")
    func fallbacksBuiltInsAndUnknown() throws {
        let template = try Template.parse("${Name|friend} <$email> $Nickname")
        let preview = SegmentPreview(template: template, rows: [0, 1, 2, 3, 4], of: workingSet)
        #expect(preview.complete == 0)
        #expect(preview.missingByField == [.init(field: "email", count: 1), .init(field: "Nickname", count: 5)])
        #expect(preview.samples[1].rendering == .init(text: "friend <b@x.es> $Nickname", missing: ["Nickname"]))
    }

    @Test("a segment subset, an empty segment and a template without placeholders")
    func edges() throws {
        let template = try Template.parse("Hi ${Name}")
        let subset = SegmentPreview(template: template, rows: [1, 3], of: workingSet)
        #expect((subset.total, subset.complete) == (2, 0))
        #expect(subset.missingByField == [.init(field: "Name", count: 2)])
        let empty = SegmentPreview(template: template, rows: [], of: workingSet)
        #expect((empty.total, empty.complete, empty.samples) == (0, 0, []))
        #expect(empty.missingByField == [.init(field: "Name", count: 0)])
        let plain = SegmentPreview(template: try Template.parse("Sale! $$5 off"), rows: [0, 1], of: workingSet)
        #expect((plain.complete, plain.missingByField) == (2, []))
        #expect(plain.samples.map(\.rendering.text) == ["Sale! $5 off", "Sale! $5 off"])
    }

    @Test("render(row:of:) agrees with rendering the customer")
    func rowRenderMatchesCustomer() throws {
        let template = try Template.parse("$Name $City ${externalCode} $email")
        let customer = templateCustomer(
            externalCode: code(3), email: "c@x.es", fields: ["name": "Carla", "city": "  "])
        #expect(template.render(row: 2, of: workingSet) == template.render(customer))
    }
}

/// A stand-in externalCode (64 hex digits) for customer `number`.
private func code(_ number: Int) -> String {
    String(repeating: "e\(number)", count: 32)
}
