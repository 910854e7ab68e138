import Testing

@testable import RosterCore
@testable import RosterModel

/// A customer with the given fields (names lower-cased as the store keys them) and channels.
func templateCustomer(
    rowID: Int64 = 1, externalCode: String = "EXT-1", crmId: String = "CRM-1", email: String? = nil,
    phone: String? = nil, fields: [String: String] = [:]
) -> Customer {
    Customer(
        rowID: rowID, externalCode: externalCode, crmId: crmId, origin: .explicit, email: email, phone: phone,
        consent: .allEnabled,
        fields: Dictionary(
            uniqueKeysWithValues: fields.map { ($0.key.lowercased(), FieldValue(type: .text, value: $0.value)) }),
        history: [], createdAt: 0, updatedAt: 0)
}

/// Renders `text` with the values of `fields`, looked up by the placeholder name as written.
private func render(_ text: String, _ fields: [String: String]) throws -> Template.Rendering {
    try Template.parse(text).render { fields[$0] }
}

/// The error parsing `text` throws, or nil when it parses.
private func parseError(_ text: String) -> TemplateError? {
    do {
        _ = try Template.parse(text)
        return nil
    } catch {
        return error
    }
}

@Suite("Template: forms, fallbacks and missing fields")
struct TemplateTests {
    @Test("$Name, ${Name} and ${Name|fallback} insert the value")
    func eachFormInsertsTheValue() throws {
        let fields = ["Name": "Ana"]
        #expect(try render("Hi $Name!", fields) == .init(text: "Hi Ana!"))
        #expect(try render("Hi ${Name}s", fields) == .init(text: "Hi Anas"))
        #expect(try render("Hi ${Name|friend}", fields) == .init(text: "Hi Ana"))
        #expect(try render("$Name", fields) == .init(text: "Ana"))
        #expect(try render("no placeholders", fields) == .init(text: "no placeholders"))
        #expect(try render("", fields) == .init(text: ""))
    }

    @Test("a bare name is letters, digits and underscores, and ends at anything else")
    func bareNameBoundaries() throws {
        let fields = ["first_name": "Ana", "Name2": "Bea", "Name": "Eva"]
        #expect(try render("$first_name.", fields).text == "Ana.")
        #expect(try render("$Name2-$Name's", fields).text == "Bea-Eva's")
        #expect(try Template.parse("$a $b_1 ${c d}").fieldNames == ["a", "b_1", "c d"])
    }

    @Test("$$ is a literal $, and a $ before anything but a name or { stays literal")
    func dollarSigns() throws {
        #expect(try render("only $$5 today", [:]) == .init(text: "only $5 today"))
        #expect(try render("$$Name", ["Name": "Ana"]) == .init(text: "$Name"))
        #expect(try render("$$$Name", ["Name": "Ana"]) == .init(text: "$Ana"))
        #expect(try render("costs 5 $", [:]) == .init(text: "costs 5 $"))
        #expect(try render("$ 5, $5, $-5, 5$.", [:]) == .init(text: "$ 5, $5, $-5, 5$."))
        #expect(try Template.parse("costs $5 $").fieldNames.isEmpty)
    }

    @Test("a fallback is used when the field is missing or blank")
    func fallbackForMissingAndBlank() throws {
        #expect(try render("Hi ${Name|friend}!", [:]) == .init(text: "Hi friend!"))
        #expect(try render("Hi ${Name|friend}!", ["Name": "  \t"]) == .init(text: "Hi friend!"))
        #expect(try render("Hi ${Name|dear friend }!", ["Name": ""]) == .init(text: "Hi dear friend !"))
        for blank in ["\n", "\u{A0}", "\u{3000}", "\r\n \u{2009}"] {
            #expect(try render("${Name|x}", ["Name": blank]).text == "x", "\(blank.debugDescription) is blank")
        }
        #expect(try render("${Name|x}", ["Name": " \u{3000}Ana "]).text == " \u{3000}Ana ", "values are not trimmed")
    }

    @Test("an empty fallback renders nothing on purpose and is not reported")
    func emptyFallback() throws {
        #expect(try render("Hi${Title|} Ana", [:]) == .init(text: "Hi Ana"))
        #expect(try Template.parse("${Title|}").requiredFieldNames.isEmpty)
    }

    @Test("fallbacks take \\}, \\| and \\\\ escapes; other text, a lone | and $$ are literal")
    func fallbackEscapes() throws {
        #expect(try render(#"${X|a\}b}"#, [:]).text == "a}b")
        #expect(try render(#"${X|a\|b}"#, [:]).text == "a|b")
        #expect(try render(#"${X|C:\\}"#, [:]).text == #"C:\"#)
        #expect(try render(#"${X|a\nb}"#, [:]).text == #"a\nb"#)
        #expect(try render("${X|a|b}", [:]).text == "a|b")
        #expect(try render("${Price|$5 or $$5}", [:]).text == "$5 or $5")
    }

    @Test("field names are case-insensitive and reported as first written")
    func caseInsensitiveNames() throws {
        let customer = templateCustomer(fields: ["name": "Ana"])
        let template = try Template.parse("$NAME ${name} ${Name|x}")
        #expect(template.render(customer) == .init(text: "Ana Ana Ana"))
        #expect(template.fieldNames == ["NAME"])
        #expect(template.render(templateCustomer()) == .init(text: "$NAME ${name} x", missing: ["NAME"]))
    }

    @Test("a missing or blank field without fallback is reported and its placeholder stays visible")
    func missingAndBlankReported() throws {
        #expect(try render("Hi $Name", [:]) == .init(text: "Hi $Name", missing: ["Name"]))
        #expect(try render("Hi ${Name}", ["Name": "   "]) == .init(text: "Hi ${Name}", missing: ["Name"]))
        let both = try render("${City}: $Name, $Name again, ${ Zip }", ["City": "Lyon"])
        #expect(both == .init(text: "Lyon: $Name, $Name again, ${ Zip }", missing: ["Name", "Zip"]))
        #expect(!both.isComplete)
    }

    @Test("missing fields are listed in order of first appearance in the template")
    func missingOrder() throws {
        let rendering = try render("${B|x} $A $B $C", ["C": "c"])
        #expect(rendering == .init(text: "x $A $B c", missing: ["B", "A"]))
    }

    @Test("values are inserted as text, never read as template syntax")
    func valuesNotReinterpreted() throws {
        let fields = ["Name": "$Other ${x} $$ \\}", "Other": "BAD"]
        #expect(try render("Hi $Name", fields) == .init(text: #"Hi $Other ${x} $$ \}"#))
        #expect(try render("${Missing|$$Other}", fields).text == "$Other")
    }

    @Test("the lookup is asked once per field, with the name as written first")
    func lookupCalledOncePerField() throws {
        var asked: [String] = []
        _ = try Template.parse("$Name ${name} $City").render {
            asked.append($0); return "v"
        }
        #expect(asked == ["Name", "City"])
    }

    @Test("UTF-8 names and values: José, 山田, emoji")
    func unicode() throws {
        let fields = ["Prénom": "José", "名前": "山田", "Emoji": "🎉👋🏽"]
        #expect(try render("¡Hola $Prénom! 🎉", fields).text == "¡Hola José! 🎉")
        #expect(try render("${名前}様", fields).text == "山田様")
        #expect(try render("$名前 様", fields).text == "山田 様")
        #expect(try render("$Emoji$Emoji", fields).text == "🎉👋🏽🎉👋🏽")
        // A decomposed "é" (e + combining acute) is still one letter of the name.
        let decomposed = "Pre\u{301}nom"
        #expect(try render("$\(decomposed)", fields).text == "José")
        #expect(try render("$👋 ${🎉|party}", [:]) == .init(text: "$👋 party"))
        #expect(try render("Hi $Prénom", [:]).missing == ["Prénom"])
    }

    @Test("built-ins email, phone, crmId and externalCode come from the customer")
    func builtIns() throws {
        let customer = templateCustomer(
            externalCode: "EXT-9", crmId: "CRM-9", email: "ana@example.com", phone: "+34600112233",
            fields: ["name": "Ana"])
        let template = try Template.parse("$Name <$email> $PHONE ${crmId} ${ExternalCode}")
        #expect(template.render(customer).text == "Ana <ana@example.com> +34600112233 CRM-9 EXT-9")
        let noPhone = templateCustomer(email: "e@example.com")
        #expect(
            try Template.parse("$phone ${Phone|none}").render(noPhone) == .init(text: "$phone none", missing: ["phone"])
        )
    }
}

@Suite("Template: syntax errors")
struct TemplateErrorTests {
    @Test("an unclosed ${ points at its $")
    func unclosedBrace() {
        #expect(parseError("Hi ${Name") == TemplateError(column: 4, message: #""${" is not closed by "}""#))
        #expect(parseError("Hi ${Name")?.description == #"template:1:4: "${" is not closed by "}""#)
        #expect(parseError("${Name|fallback")?.column == 1)
        #expect(parseError(#"${Name|a\}"#)?.column == 1)
        #expect(parseError("a ${Name, see {link}")?.column == 3)
        #expect(parseError("${Name $Other}")?.column == 1)
    }

    @Test("a placeholder does not span lines, and the line is reported")
    func lines() {
        #expect(
            parseError("Hello\n  ${Name\n}")
                == TemplateError(line: 2, column: 3, message: #""${" is not closed by "}""#))
        #expect(parseError("Hi\r\n${Name|x\n}")?.description == #"template:2:1: "${" is not closed by "}""#)
    }

    @Test("${} and ${|x} name no field")
    func emptyName() {
        #expect(parseError("ab ${}")?.description == #"template:1:4: no field name between "${" and "}""#)
        #expect(parseError("${  |x}")?.description == #"template:1:1: no field name between "${" and "|""#)
    }

    @Test("a placeholder inside a fallback is an error at its $")
    func placeholderInFallback() {
        #expect(parseError("${Nick|$Name}")?.column == 8)
        #expect(parseError("${Nick|x ${Name}}")?.column == 10)
        #expect(parseError("${Nick|$5}") == nil)
    }

    @Test("columns count characters as seen, not bytes")
    func columnsCountCharacters() {
        #expect(parseError("José 山田 👋🏽 ${Name")?.column == 11)
    }
}
