import Foundation
import Testing

@testable import RosterTUI

@Suite("Themes")
struct ThemeTests {
    static let themes = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("themes")

    @Test(
        "the four shipped themes parse and define every slot", arguments: ["default", "light", "high-contrast", "mono"])
    func shipped(name: String) throws {
        let catalog = ThemeCatalog(directories: [Self.themes.path])
        let theme = try catalog.loadStrictly(name)
        #expect(theme.name == name)
        #expect(Set(theme.styles.keys) == Set(Slot.allCases))
    }

    @Test("the built-in theme is themes/default.toml")
    func builtIn() throws {
        let text = try String(contentsOf: Self.themes.appendingPathComponent("default.toml"), encoding: .utf8)
        #expect(ThemeParser.builtInDefaultText + "\n" == text)
        #expect(try ThemeCatalog(directories: [Self.themes.path]).loadStrictly("default") == Theme.builtIn)
    }

    @Test("an unknown colour names the file and line")
    func unknownColour() {
        let text = "# x\nname = \"x\"\n\n[body]\nfg = \"white\"\n\n[header]\nfg = \"bleu\"\n"
        #expect(throws: ThemeError(path: "themes/x.toml", line: 8, message: "unknown colour \"bleu\"")) {
            try ThemeParser.parse(text, name: "x", path: "themes/x.toml")
        }
    }

    @Test(
        "other mistakes name the line too",
        arguments: [
            ("[body]\n[titel]\n", 2, "unknown slot \"titel\""),
            ("[body]\nfg = \"red\n", 2, "unterminated string"),
            ("[body]\nbold = yes\n", 2, "expected a quoted string"),
            ("[body]\nbold = \"yes\"\n", 2, "bold is true or false"),
            ("[body]\ncolour = 3\n", 2, "unknown key \"colour\""),
            ("[body]\nfg = 300\n", 2, "colour 300 is not in 0…255"),
            ("[body]\n[body]\n", 2, "appears twice"),
        ])
    func mistakes(text: String, line: Int, fragment: String) {
        do {
            _ = try ThemeParser.parse(text, name: "t", path: "t.toml")
            Issue.record("parsed")
        } catch {
            #expect(error.line == line)
            #expect(error.description.hasPrefix("t.toml:\(line): "))
            #expect(error.message.contains(fragment), "\(error)")
        }
    }

    @Test("a broken theme file falls back to the default with the error; a missing one lists the themes")
    func fallback() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("themes-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try "[body]\nfg = \"white\"\n\n[accent]\nbg = \"bleu\"\n".write(
            to: directory.appendingPathComponent("x.toml"), atomically: true, encoding: .utf8)
        let catalog = ThemeCatalog(
            directories: [directory.path], currentDirectory: directory.deletingLastPathComponent().path)
        let (theme, error) = catalog.load("x")
        #expect(theme == Theme.builtIn)
        #expect(error?.description == "\(directory.lastPathComponent)/x.toml:5: unknown colour \"bleu\"")
        let missing = catalog.load("nope")
        #expect(missing.theme == Theme.builtIn)
        #expect(missing.error?.description.contains("themes: default, high-contrast, light, mono, x") == true)
    }

    @Test("8-colour terminals get the nearest basic colour; NO_COLOR keeps attributes only")
    func limitedColours() {
        #expect(Colour.indexed(111).limited(to: 8) == .indexed(6))
        #expect(Colour.indexed(203).limited(to: 8) == .indexed(1))
        #expect(Colour.indexed(9).limited(to: 8) == .indexed(1))
        #expect(Colour.indexed(252).limited(to: 8) == .indexed(7))
        #expect(Colour.indexed(3).limited(to: 8) == .indexed(3))
        let plain = Theme.builtIn.attributesOnly()
        #expect(plain.style(.selection).reverse)
        #expect(plain.style(.selection).background == .terminalDefault)
        #expect(plain.style(.header).bold)
    }
}
