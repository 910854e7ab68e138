import Foundation
import Testing

@Suite("The roster command line")
struct CommandLineTests {
    @Test("init, add, show --json, externalcode: a whole session through the real binary")
    func session() throws {
        let scratch = try Scratch()
        let roster = RosterProcess(directory: scratch.path)
        let created = try roster.run("init", "--region", "eu", "--app-key", "ak-123456", "--time-zone", "Europe/Madrid")
        #expect(created.status == 0, "\(created.stderr)")
        #expect(created.stdout.contains("region eu"))

        let code = try roster.run("externalcode", " CRM-1 ")
        #expect(code.stdout == "787301fe98e3d4a7e17c18fa1dd155ffb7f5cba1fa3d527d56d522fae24807bb\n")

        let added = try roster.run(
            "customer", "add", "CRM-1", "--email", "Ana@Example.com", "--country-code", "44", "--phone", "07700 900123",
            "--field", "name=Ana", "--json")
        #expect(added.status == 0, "\(added.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(added.stdout.utf8)) as? [String: Any]
        #expect(json?["region"] as? String == "eu")
        #expect(json?["email"] as? String == "ana@example.com")
        #expect(json?["phone"] as? String == "+447700900123")

        let shown = try roster.run("customer", "show", "+447700900123")
        #expect(shown.status == 0)
        #expect(shown.stdout.contains("CRM-1"))
    }

    @Test("device get --json prints exactly the SDK's keys")
    func deviceGet() throws {
        let scratch = try Scratch()
        let roster = RosterProcess(directory: scratch.path)
        #expect(try roster.run("init", "--region", "eu").status == 0)
        let registered = try roster.run(
            "device", "register", "--platform", "webpush", "--time-zone", "Europe/Madrid", "--device-id", "dev-1")
        #expect(registered.status == 0, "\(registered.stderr)")
        #expect(registered.stdout == "dev-1\n")
        let got = try roster.run("device", "get", "dev-1", "--json")
        let object = try JSONSerialization.jsonObject(with: Data(got.stdout.utf8)) as? [String: Any]
        #expect(Set(object?.keys.map { $0 } ?? []) == ["enabled", "locale", "timeZone", "timeOffset", "deviceId"])
        #expect(object?["locale"] as? String == "es-ES", "the default locale comes from $LANG")
        #expect(got.stdout.hasPrefix("{\"enabled\":true,\"locale\""))
        let full = try roster.run("device", "get", "dev-1", "--full")
        #expect(full.stdout.contains("\"platform\""))
    }

    @Test("a wrong passphrase exits non-zero naming the store")
    func wrongPassphrase() throws {
        let scratch = try Scratch()
        let roster = RosterProcess(directory: scratch.path)
        #expect(try roster.run("init", "--region", "eu").status == 0)
        let result = try roster.run("externalcode", "x", environment: ["ROSTER_PASSPHRASE": "not the passphrase"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("wrong passphrase"))
        #expect(result.stderr.contains(scratch.path + "/store.roster"))
        #expect(result.stdout.isEmpty)
    }

    @Test("a missing store says how to create one; no terminal and no passphrase says what to set")
    func missingStoreAndNoKey() throws {
        let scratch = try Scratch()
        let roster = RosterProcess(directory: scratch.path)
        let missing = try roster.run("customer", "show", "x")
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("roster init"))
        #expect(try roster.run("init", "--region", "eu").status == 0)
        let noKey = try roster.run("customer", "show", "x", environment: ["ROSTER_PASSPHRASE": ""])
        #expect(noKey.status != 0)
        #expect(noKey.stderr.contains("ROSTER_PASSPHRASE"))
    }

    @Test("key files: init creates one 0600, other commands need it")
    func keyFile() throws {
        let scratch = try Scratch()
        let roster = RosterProcess(directory: scratch.path, passphrase: nil)
        let keyPath = scratch.path + "/k.key"
        #expect(try roster.run("init", "--region", "us", "--keyfile", keyPath).status == 0)
        let attributes = try FileManager.default.attributesOfItem(atPath: keyPath)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        #expect(try roster.run("customer", "add", "C1", "--keyfile", keyPath).status == 0)
        let without = try roster.run("customer", "show", "C1")
        #expect(without.status != 0)
        #expect(without.stderr.contains("key file"))
        let withEnv = try roster.run("customer", "show", "C1", environment: ["ROSTER_KEYFILE": keyPath])
        #expect(withEnv.status == 0)
    }

    @Test("invalid input is refused with a reason and changes nothing")
    func invalidInput() throws {
        let scratch = try Scratch()
        let roster = RosterProcess(directory: scratch.path)
        #expect(try roster.run("init", "--region", "eu").status == 0)
        let badEmail = try roster.run("customer", "add", "C1", "--email", "jane.doe@")
        #expect(badEmail.status != 0)
        #expect(badEmail.stderr.contains("jane.doe@"))
        let badPhone = try roster.run("customer", "add", "C1", "--country-code", "34", "--phone", "6OO112233")
        #expect(badPhone.status != 0)
        #expect(badPhone.stderr.contains("6OO112233"))
        #expect(try roster.run("customer", "show", "C1").status != 0, "nothing was created")
    }

    @Test("control characters in values are printed escaped")
    func escapedOutput() throws {
        let scratch = try Scratch()
        let roster = RosterProcess(directory: scratch.path)
        #expect(try roster.run("init", "--region", "eu").status == 0)
        #expect(try roster.run("customer", "add", "C1", "--field", "name=Eve\u{1b}[2J").status == 0)
        let shown = try roster.run("customer", "show", "C1")
        #expect(shown.stdout.contains("Eve^[[2J"))
        #expect(!shown.stdout.contains("\u{1b}"))
    }
}

@Suite("Help texts")
struct HelpTextTests {
    static let commands: [[String]] = [
        [], ["init"], ["demo"], ["console"], ["import"], ["export", "customers"], ["export", "customer"],
        ["customer", "add"], ["customer", "erase"], ["customer", "consent"], ["query"], ["preview"], ["device", "get"],
        ["device", "register"], ["externalcode"], ["generate"], ["audit"], ["field"], ["field", "retype"],
    ]

    @Test("paragraphs wrap whole at 80 columns: no line cut short in the middle of a sentence", arguments: commands)
    func paragraphsWrapWhole(_ command: [String]) throws {
        let scratch = try Scratch()
        let result = try RosterProcess(directory: scratch.path).run(
            command + ["--help"], environment: ["COLUMNS": "80"])
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.count > 3)
        // A discussion written with its own line breaks, wider than the terminal, wraps each line: a full line,
        // then a stub of a few words, then the next written line.
        for index in lines.indices.dropFirst().dropLast() where !lines[index].hasPrefix(" ") {
            let before = lines[index - 1]
            let after = lines[index + 1]
            let stub =
                !lines[index].isEmpty && lines[index].count < 40 && before.count >= 70 && !before.hasPrefix("USAGE")
                && !after.isEmpty && !after.hasPrefix(" ")
            #expect(!stub, "roster \(command.joined(separator: " ")) --help, line \(index + 1): \"\(lines[index])\"")
        }
    }
}
