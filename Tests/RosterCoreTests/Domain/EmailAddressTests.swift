import Foundation
import RosterCore
import Testing

@testable import RosterModel

/// An email as a file or a person writes it, and the address the email channel must keep, or nil for a refusal.
struct EmailCase: Sendable, CustomTestStringConvertible {
    let raw: String
    let normalized: String?
    /// Where the case comes from, for failure messages.
    let origin: String

    init(_ raw: String, _ normalized: String?, origin: String = "inline") {
        (self.raw, self.normalized, self.origin) = (raw, normalized, origin)
    }

    var testDescription: String { "\(origin): \(raw.debugDescription)" }
}

/// Reads `../shared/vectors/emails.tsv` next to the package; empty when the shared folder is absent.
private enum EmailVectors {
    static let cases: [EmailCase] = {
        // This file sits at Tests/RosterCoreTests/Domain/, four levels below the package root.
        var root = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        for _ in 0..<4 { root.deleteLastPathComponent() }
        let file = root.appendingPathComponent("../shared/vectors/emails.tsv").standardizedFileURL
        guard let text = try? String(contentsOf: file, encoding: .utf8) else { return [] }
        var cases: [EmailCase] = []
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = line.hasSuffix("\r") ? line.dropLast() : line
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard fields.count >= 2 else { continue }
            let expected = fields[1].hasPrefix("reject") ? nil : fields[1]
            cases.append(EmailCase(fields[0], expected, origin: "emails.tsv:\(number + 1)"))
        }
        return cases
    }()
}

struct EmailAddressTests {
    /// The shared vectors, carried here as well so they run without the shared folder.
    static let sharedVectors: [EmailCase] = [
        EmailCase(" Ana.Garcia@Example.com ", "ana.garcia@example.com"),
        EmailCase("BRUNO@EXAMPLE.ORG", "bruno@example.org"),
        EmailCase("josé@Example.com", "josé@example.com"),
        EmailCase("first.last+tag@sub.example.co.uk", "first.last+tag@sub.example.co.uk"),
        EmailCase("jane.doe@", nil),
        EmailCase("@example.com", nil),
        EmailCase("two@@example.com", nil),
        EmailCase("a b@example.com", nil),
        EmailCase("user@localhost", nil),
    ]

    static let accepted: [EmailCase] = [
        EmailCase("\tana@example.com\u{A0}", "ana@example.com"),
        EmailCase("\u{FEFF}ana@example.com\r\n", "ana@example.com"),
        EmailCase("\u{3000}ana@example.com\u{200B}", "ana@example.com"),
        EmailCase("JOSÉ@EXAMPLE.COM", "josé@example.com"),
        EmailCase("jose\u{301}@example.com", "josé@example.com"),
        EmailCase("Ана@Пример.РФ", "ана@пример.рф"),
        EmailCase("ana@Bücher.example", "ana@bücher.example"),
        EmailCase("o'neil@example.ie", "o'neil@example.ie"),
        EmailCase("user_name-99@mail-server.example.com", "user_name-99@mail-server.example.com"),
        // IDNA: the ASCII-compatible spelling of a domain is kept in its Unicode form, so both are one mailbox.
        EmailCase("x@xn--bcher-kva.example", "x@bücher.example"),
        EmailCase("bob@XN--EXMPLE-CUA.com", "bob@exämple.com"),
        EmailCase("bob@exämple.com", "bob@exämple.com"),
        EmailCase("xn--local@example.com", "xn--local@example.com"),
        // Not RFC 5322, yet such mailboxes exist (older Japanese carriers); refusing them would lose customers.
        EmailCase("taro..yamada.@docomo.ne.jp", "taro..yamada.@docomo.ne.jp"),
        EmailCase(
            String(repeating: "a", count: 64) + "@" + String(repeating: "b", count: 63) + ".example.com",
            String(repeating: "a", count: 64) + "@" + String(repeating: "b", count: 63) + ".example.com"),
        EmailCase(longAddress(length: 254), longAddress(length: 254)),
    ]

    static let refused: [EmailCase] = [
        EmailCase("", nil),
        EmailCase(" \t ", nil),
        EmailCase("ana.example.com", nil),
        EmailCase("a@b@example.com", nil),
        EmailCase("ana@", nil),
        EmailCase("@", nil),
        EmailCase("ana@.example.com", nil),
        EmailCase("ana@example.com.", nil),
        EmailCase("ana@example..com", nil),
        EmailCase("ana@exa mple.com", nil),
        EmailCase("ana\t@example.com", nil),
        EmailCase("ana\u{A0}garcia@example.com", nil),
        EmailCase("an\u{200B}a@example.com", nil),
        EmailCase("\u{1B}[31mana@example.com", nil),
        EmailCase("ana@example.com\u{0}", nil),
        EmailCase("<ana@example.com>", nil),
        EmailCase("mailto:ana@example.com", nil),
        EmailCase("Ana Garcia <ana@example.com>", nil),
        EmailCase("ana@example.com;bob@example.com", nil),
        EmailCase("ana,bob@example.com", nil),
        EmailCase("ana@exa_mple.com", nil),
        EmailCase("ana@-example.com", nil),
        EmailCase("ana@example-.com", nil),
        EmailCase("ana@[192.168.0.1]", nil),
        EmailCase("ana＠example.com", nil),
        EmailCase(String(repeating: "a", count: 65) + "@example.com", nil),
        EmailCase("ana@" + String(repeating: "b", count: 64) + ".com", nil),
        EmailCase(longAddress(length: 255), nil),
        EmailCase(".ana@example.com", nil),
        EmailCase("ana@xn--99999999999999999999.com", nil),
    ]

    /// An address of exactly `length` ASCII characters, with labels short enough for DNS.
    static func longAddress(length: Int) -> String {
        var address = String(repeating: "l", count: 60) + "@d"
        while address.count + 10 < length { address += "." + String(repeating: "d", count: 9) }
        return address + "." + String(repeating: "e", count: length - address.count - 1)
    }

    @Test("emails.tsv from the shared vectors", arguments: EmailVectors.cases)
    func sharedVectorFile(_ example: EmailCase) {
        check(example)
    }

    @Test("the shared vectors are carried inline as well")
    func sharedVectorsAreInline() {
        let inline = Set(Self.sharedVectors.map { "\($0.raw)\t\($0.normalized ?? "reject")" })
        for example in EmailVectors.cases {
            #expect(inline.contains("\(example.raw)\t\(example.normalized ?? "reject")"), "\(example.origin)")
        }
    }

    @Test("the shared vectors", arguments: sharedVectors)
    func sharedVectorInline(_ example: EmailCase) {
        check(example)
    }

    @Test("addresses are trimmed, lower-cased and composed", arguments: accepted)
    func normalizes(_ example: EmailCase) {
        check(example)
    }

    @Test("malformed addresses are refused with a reason", arguments: refused)
    func refusesWithReason(_ example: EmailCase) {
        check(example)
    }

    @Test("a normalized address normalizes to itself", arguments: sharedVectors + accepted)
    func normalizedIsAFixedPoint(_ example: EmailCase) throws {
        guard let normalized = example.normalized else { return }
        #expect(try EmailAddress.normalize(normalized) == normalized)
    }

    @Test("a refusal reads as a sentence that names what was wrong")
    func refusalSentences() {
        func error(_ raw: String) -> IdentifierError? {
            do {
                _ = try EmailAddress.normalize(raw)
                return nil
            } catch {
                return error
            }
        }
        #expect(error("jane.doe@")?.description == "\"jane.doe@\" is not an email address: it has no domain")
        let written = IdentifierError(kind: .deviceId, value: "x", reason: "it contains control characters")
        #expect(written.description == "\"x\" is not a device id: it contains control characters")
        #expect(error("two@@example.com")?.reason == "has more than one @")
        #expect(error("user@localhost")?.reason == "has no dot in its domain")
        #expect(error("  ")?.description == "no email address was given")
        #expect(error("\u{1B}]0;x\u{7}@example.com")?.description.contains("\u{1B}") == false)
        #expect(error(String(repeating: "x", count: 500))?.description.count ?? 0 < 200)
    }

    private func check(_ example: EmailCase, sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            let address = try EmailAddress.normalize(example.raw)
            #expect(address == example.normalized, "\(example.origin)", sourceLocation: sourceLocation)
        } catch {
            #expect(example.normalized == nil, "\(example.origin): \(error)", sourceLocation: sourceLocation)
            #expect(error.kind == .email, sourceLocation: sourceLocation)
            #expect(error.value == example.raw, sourceLocation: sourceLocation)
            #expect(!error.reason.isEmpty, sourceLocation: sourceLocation)
        }
    }
}

@Suite("Trimming")
struct TrimmingTests {
    @Test("non-ASCII letters at the edges stay; non-ASCII spaces at the edges go")
    func nonASCIIEdges() {
        #expect("José".trimmed == "José")
        #expect("山田".trimmed == "山田")
        #expect(" Zoë\t".trimmed == "Zoë")
        #expect("\u{00A0}José\u{3000}".trimmed == "José")
        #expect("\u{3000}".trimmed == "")
        // Symbols that share a lead byte with the Unicode spaces are not spaces.
        #expect("€100 ©".trimmed == "€100 ©")
        #expect("\u{2003}Ana\u{0085}".trimmed == "Ana")
        #expect("\u{1680}x\u{202F}".trimmed == "x")
        #expect("Ã©".trimmed == "Ã©")
        #expect("\u{200B}Ana\u{200B}".trimmed == "Ana")
    }

    @Test("every scalar of the basic plane at either edge is trimmed as Foundation trims it")
    func sameAsFoundation() {
        var differences: [String] = []
        for value in UInt32(0)...0xFFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }  // surrogates
            for text in ["\(scalar)a", "a\(scalar)", "\(scalar)é\(scalar)"] {
                let expected = text.trimmingCharacters(in: .whitespacesAndNewlines)
                if text.trimmed != expected { differences.append(String(value, radix: 16)) }
            }
        }
        #expect(differences.isEmpty, "U+\(differences.prefix(10))")
    }

    @Test("ASCII spaces, tabs and line breaks at the edges go; an untouched string comes back as it was")
    func asciiEdges() {
        #expect("  Ana María \r\n".trimmed == "Ana María")
        #expect(" \t ".trimmed == "")
        #expect("".trimmed == "")
        #expect("a".trimmed == "a")
        let long = "a value longer than a small string holds"
        #expect(long.trimmed == long)
        #expect((" " + long + " ").trimmed == long)
    }
}
