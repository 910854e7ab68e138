import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Runs the real `roster console` in a tmux pane: a real terminal whose screen the test reads.
@Suite("roster console under tmux", .serialized)
struct ConsoleEndToEndTests {
    /// A private tmux server running one pane, torn down at the end.
    final class Pane {
        let tmux: String
        let socket = "roster-e2e-\(UUID().uuidString.prefix(8))"

        init(tmux: String) { self.tmux = tmux }

        deinit { _ = try? run(["kill-server"]) }

        /// Runs a tmux command and returns what it printed.
        ///
        /// `new-session` forks a server that keeps every descriptor it inherited, including the one Foundation's
        /// `Process` watches to learn that a child ended; so tmux is started with `posix_spawn` and `waitpid`,
        /// and only `capture-pane` (which starts nothing) goes through `Process` with a pipe.
        @discardableResult
        func run(_ arguments: [String], output: Bool = false) throws -> String {
            let argv = [tmux, "-L", socket, "-f", "/dev/null"] + arguments
            guard output else {
                var actions = posix_spawn_file_actions_t()
                posix_spawn_file_actions_init(&actions)
                defer { posix_spawn_file_actions_destroy(&actions) }
                for descriptor: Int32 in 0...2 {
                    posix_spawn_file_actions_addopen(&actions, descriptor, "/dev/null", O_RDWR, 0)
                }
                let cArguments = argv.map { strdup($0) } + [nil]
                defer { cArguments.forEach { free($0) } }
                // A test runs on a thread with signals blocked; the panes (and the console in them) would inherit
                // that mask and never hear of a resize.
                var attributes = posix_spawnattr_t()
                posix_spawnattr_init(&attributes)
                defer { posix_spawnattr_destroy(&attributes) }
                var none = sigset_t()
                sigemptyset(&none)
                posix_spawnattr_setsigmask(&attributes, &none)
                posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK))
                var pid: pid_t = 0
                guard posix_spawn(&pid, tmux, &actions, &attributes, cArguments, environ) == 0 else { return "" }
                var status: Int32 = 0
                waitpid(pid, &status, 0)
                return ""
            }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: tmux)
            process.arguments = Array(argv.dropFirst())
            let out = Pipe()
            process.standardOutput = out
            process.standardError = FileHandle.nullDevice
            process.standardInput = FileHandle.nullDevice
            try process.run()
            let data = out.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return String(decoding: data, as: UTF8.self)
        }

        func screen() throws -> String { try run(["capture-pane", "-p", "-t", "t"], output: true) }

        /// Sends tmux key names (`Down`, `Enter`, `Escape`).
        func keys(_ names: String...) throws { try run(["send-keys", "-t", "t"] + names) }

        /// Types text literally.
        func type(_ text: String) throws { try run(["send-keys", "-t", "t", "-l", text]) }

        /// Waits (at most 10 s) until the screen contains `text`; returns the screen.
        @discardableResult
        func wait(for text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
            try wait(forAll: [text], sourceLocation: sourceLocation)
        }

        /// Waits until one screen shows every one of `texts`: tmux may capture a frame halfway drawn, so what the
        /// first text's capture lacks may come a moment later.
        @discardableResult
        func wait(forAll texts: [String], sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
            let deadline = Date().addingTimeInterval(10)
            var last = ""
            while Date() < deadline {
                last = try screen()
                if texts.allSatisfy({ last.contains($0) }) { return last }
                Thread.sleep(forTimeInterval: 0.05)
            }
            let missing = texts.filter { !last.contains($0) }
            Issue.record("the screen never showed \(missing):\n\(last)", sourceLocation: sourceLocation)
            return last
        }
    }

    static var tmux: String? {
        ["/usr/bin/tmux", "/usr/local/bin/tmux", "/bin/tmux"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    @Test("move, filter, open a customer, preview Hi $Name, deviceGet, resize and quit with status 0")
    func session() throws {
        guard let tmux = Self.tmux else {
            print("ConsoleEndToEndTests skipped: tmux is not installed (apt-get install tmux)")
            return
        }
        let scratch = try Scratch()
        let keyFile = scratch.path + "/store.key"
        let roster = RosterProcess(directory: scratch.path, passphrase: nil)
        let key = ["ROSTER_KEYFILE": keyFile]
        #expect(try roster.run("init", "--region", "eu", "--keyfile", keyFile).status == 0)
        let customers: [[String]] = [
            [
                "CRM-1", "--email", "Ana.Garcia@Example.com", "--country-code", "34", "--phone", "600112233",
                "--field", "name=Ana García",
            ],
            ["CRM-2", "--email", "jose@example.com", "--field", "name=José Núñez"],
            ["CRM-3", "--field", "name=山田太郎"],
            ["CRM-4", "--email", "m@evil.test", "--field", "name=Mallory\u{1B}[2J"],
        ]
        for arguments in customers {
            let added = try roster.run(arguments: ["customer", "add"] + arguments, environment: key)
            #expect(added.status == 0, "\(added.stderr)")
        }
        let registered = try roster.run(
            "device", "register", "--platform", "webpush", "--device-id", "dev-1", "--locale", "es-ES",
            "--time-zone", "Europe/Madrid", environment: key)
        #expect(registered.status == 0, "\(registered.stderr)")
        #expect(try roster.run("device", "login", "dev-1", "CRM-1", environment: key).status == 0)

        let status = scratch.path + "/status"
        let command = [
            "env", "LANG=C.UTF-8", "TERM=tmux-256color", "ROSTER_STORE=\(scratch.path)/store.roster",
            "ROSTER_KEYFILE=\(keyFile)", RosterProcess.executable.path, "console", ";", "echo", "$?", ">", status,
        ].joined(separator: " ")
        let pane = Pane(tmux: tmux)
        try pane.run(["new-session", "-d", "-s", "t", "-x", "100", "-y", "30", command])

        // Emails and phones masked, an escape sequence in a name shown escaped.
        var screen = try pane.wait(
            forAll: ["Customers (4)", "a***@example.com", "+34 6** *** *33", "Mallory^[[2J", "山田太郎"])

        try pane.keys("j", "j")
        try pane.wait(for: "3/4")
        try pane.keys("/")
        try pane.type("Ana")
        try pane.wait(for: "Customers (1 of 4)")
        try pane.keys("Enter")
        try pane.keys("Enter")
        screen = try pane.wait(forAll: ["Channels", "CRM-1"])

        try pane.keys("p")
        try pane.type("Hi $Name")
        try pane.wait(for: "Hi Ana García")
        try pane.keys("Escape")
        try pane.wait(for: "Channels")
        try pane.keys("Escape")
        try pane.wait(for: "Customers (1 of 4)")

        try pane.keys(":")
        try pane.type("deviceget dev-1")
        try pane.keys("Enter")
        // The full record follows the compact one.
        screen = try pane.wait(
            forAll: [
                "{\"enabled\":true,\"locale\":\"es-ES\",\"timeZone\":\"Europe/Madrid\"", "\"platform\": \"webpush\"",
            ])

        try pane.run(["resize-window", "-t", "t", "-x", "60", "-y", "16"])
        screen = try pane.wait(for: "deviceGet")
        #expect(screen.split(separator: "\n").allSatisfy { $0.count <= 60 })
        try pane.keys("Escape")
        try pane.wait(for: "Customers (1 of 4)")
        try pane.keys("q")

        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline && !FileManager.default.fileExists(atPath: status) {
            Thread.sleep(forTimeInterval: 0.05)
        }
        let code = try? String(contentsOfFile: status, encoding: .utf8)
        #expect(code?.trimmingCharacters(in: .whitespacesAndNewlines) == "0")
    }

    @Test(
        "NO_COLOR draws with attributes only; an 8-colour terminal gets basic colours; a broken theme falls back",
        arguments: [
            ("NO_COLOR=1 TERM=tmux-256color", false), ("TERM=screen", true),
            ("TERM=screen ROSTER_THEME=nope", true),
        ])
    func colours(environment: String, coloured: Bool) throws {
        guard let tmux = Self.tmux else {
            print("ConsoleEndToEndTests skipped: tmux is not installed (apt-get install tmux)")
            return
        }
        let scratch = try Scratch()
        let roster = RosterProcess(directory: scratch.path)
        #expect(try roster.run("init", "--region", "eu").status == 0)
        #expect(try roster.run("customer", "add", "CRM-1", "--field", "name=Zoë").status == 0)
        // `swift test` sets NO_COLOR=1 for the tests; the cases that want colours unset it.
        let command =
            "env -u NO_COLOR LANG=C.UTF-8 \(environment) ROSTER_STORE=\(scratch.path)/store.roster "
            + "ROSTER_PASSPHRASE='test passphrase 1' \(RosterProcess.executable.path) console"
        let pane = Pane(tmux: tmux)
        try pane.run(["new-session", "-d", "-s", "t", "-x", "100", "-y", "30", command])
        try pane.wait(for: "Customers (1)")
        let escapes = try pane.run(["capture-pane", "-p", "-e", "-t", "t"], output: true)
        // Every SGR parameter on screen: 38/48 would be 256 colours, 30-37/40-47 basic ones, 7 reverse.
        let parameters = escapes.components(separatedBy: "\u{1B}[").dropFirst().flatMap { sequence in
            sequence.prefix { $0 != "m" }.split(separator: ";").compactMap { Int($0) }
        }
        #expect(!parameters.contains(38) && !parameters.contains(48), "no 256-colour codes: \(parameters)")
        #expect(parameters.contains { (30...37).contains($0) || (40...47).contains($0) } == coloured)
        if !coloured { #expect(parameters.contains(7), "the selection and status line are reversed") }
        if environment.contains("nope") {
            try pane.wait(for: "nope: no such theme")
        }
        try pane.keys("q")
    }

    @Test("without a terminal the console says so and exits 2")
    func noTerminal() throws {
        let scratch = try Scratch()
        let roster = RosterProcess(directory: scratch.path)
        #expect(try roster.run("init", "--region", "eu").status == 0)
        let result = try roster.run("console")
        #expect(result.status == 2)
        #expect(result.stderr.contains("needs a terminal"))
    }

    @Test("an unknown TERM is refused with status 2, the terminal untouched")
    func unknownTerm() throws {
        guard let tmux = Self.tmux else {
            print("ConsoleEndToEndTests skipped: tmux is not installed (apt-get install tmux)")
            return
        }
        let scratch = try Scratch()
        let roster = RosterProcess(directory: scratch.path)
        #expect(try roster.run("init", "--region", "eu").status == 0)
        let status = scratch.path + "/status"
        let command = [
            "env", "TERM=no-such-terminal", "ROSTER_STORE=\(scratch.path)/store.roster",
            "ROSTER_PASSPHRASE='test passphrase 1'", RosterProcess.executable.path, "console", ";", "echo", "$?", ">",
            status, ";", "sleep", "5",
        ].joined(separator: " ")
        let pane = Pane(tmux: tmux)
        try pane.run(["new-session", "-d", "-s", "t", "-x", "100", "-y", "30", command])
        let screen = try pane.wait(for: "unknown terminal type TERM=no-such-terminal")
        #expect(!screen.contains("Customers"))
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline && !FileManager.default.fileExists(atPath: status) {
            Thread.sleep(forTimeInterval: 0.05)
        }
        #expect((try? String(contentsOfFile: status, encoding: .utf8))?.hasPrefix("2") == true)
    }
}

extension RosterProcess {
    /// `run` with the arguments as an array, and no output kept beyond the status and stderr.
    func run(arguments: [String], environment extra: [String: String]) throws -> Result {
        let process = Process()
        process.executableURL = Self.executable
        process.arguments = arguments
        process.environment = environment.merging(extra) { $1 }
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        let err = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: "", stderr: String(decoding: stderr, as: UTF8.self))
    }
}

/// The console's correctness under a real terminal: scripts typed into every prompt, tiny sizes, edits that
/// stay on their customer, keys that are never lost.
extension ConsoleEndToEndTests {
    @Test("an open customer follows another process's edit live, and its erasure is said as such, not as damage")
    func detailFollowsOtherProcesses() throws {
        guard let tmux = Self.tmux else { return }
        let session = try Session(tmux: tmux, names: ["Ana", "Bea"])
        let pane = session.pane
        try pane.wait(for: "Customers (2)")
        try pane.keys("Enter")
        try pane.wait(forAll: ["CRM-1", "Madrid"])
        let set = try session.roster.run("customer", "set", "CRM-1", "city", "Lisboa")
        #expect(set.status == 0, "\(set.stderr)")
        try pane.wait(forAll: ["CRM-1", "Lisboa"])
        let erased = try session.roster.run("customer", "erase", "CRM-1", "--yes")
        #expect(erased.status == 0, "\(erased.stderr)")
        let screen = try pane.wait(for: "no longer in the store")
        #expect(!screen.contains("integrity") && !screen.contains("Lisboa"), "\(screen)")
        try pane.keys("Escape")
        try pane.wait(for: "Customers (1)")
        try pane.keys("q")
        #expect(session.exitStatus() == "0")
    }

    /// A store of `names` (CRM-1, CRM-2 …, each with an email and city Madrid) and a pane running the console on it.
    struct Session {
        let scratch: Scratch
        let roster: RosterProcess
        let pane: Pane
        let status: String

        init(
            tmux: String, names: [String], width: Int = 100, height: Int = 30, store: String? = nil,
            environment: String = ""
        ) throws {
            scratch = try Scratch()
            roster = RosterProcess(directory: scratch.path)
            let storePath = store ?? scratch.path + "/store.roster"
            if store == nil {
                #expect(try roster.run("init", "--region", "eu").status == 0)
                for (index, name) in names.enumerated() {
                    let added = try roster.run(
                        "customer", "add", "CRM-\(index + 1)", "--email", "c\(index + 1)@example.com", "--field",
                        "name=\(name)", "--field", "city=Madrid")
                    #expect(added.status == 0, "\(added.stderr)")
                }
            }
            status = scratch.path + "/status"
            let key =
                store.map { "ROSTER_KEYFILE=\($0).key" } ?? "ROSTER_PASSPHRASE='test passphrase 1'"
            let command =
                "env -u NO_COLOR LANG=C.UTF-8 TERM=tmux-256color \(environment) ROSTER_STORE=\(storePath) \(key) "
                + "\(RosterProcess.executable.path) console; echo $? > \(status); sleep 30"
            pane = Pane(tmux: tmux)
            try pane.run(["new-session", "-d", "-s", "t", "-x", "\(width)", "-y", "\(height)", command])
        }

        /// The console's exit status, once it has exited (nil if it did not within 10 s).
        func exitStatus() -> String? {
            let deadline = Date().addingTimeInterval(10)
            while Date() < deadline {
                if let text = try? String(contentsOfFile: status, encoding: .utf8), text.hasSuffix("\n") {
                    return text.trimmingCharacters(in: .whitespacesAndNewlines)
                }
                Thread.sleep(forTimeInterval: 0.05)
            }
            return nil
        }

        func resize(_ width: Int, _ height: Int) throws {
            try pane.run(["resize-window", "-t", "t", "-x", "\(width)", "-y", "\(height)"])
        }
    }

    static let scripts = ["José", "e\u{301}x", "🇪🇸🇯🇵", "👍🏽", "👨\u{200D}👩\u{200D}👧", "नमस्ते", "สวัสดี"]

    @Test("combining marks, flags, ZWJ emoji, Hindi and Thai typed into every prompt: no crash, shown whole")
    func scriptsInPrompts() throws {
        guard let tmux = Self.tmux else { return }
        let session = try Session(tmux: tmux, names: ["Ana", "प्रिया शर्मा", "สมชาย ใจดี", "Zoë 👋🏽"])
        let pane = session.pane
        // A Hindi name drawn whole, the skin tone kept.
        try pane.wait(forAll: ["Customers (4)", "प्रिया शर्मा", "สมชาย ใจดี", "Zoë 👋🏽"])
        for opener in ["/", ":", "p"] {
            try pane.keys(opener)
            for text in Self.scripts {
                try pane.type(text)
                try pane.keys("Left", "Right", "BSpace", "Home", "Delete", "End")
                try pane.type(text)
                // The last cluster was deleted and the first one too, then the text typed again.
                try pane.wait(for: text)
                try pane.keys("C-u")
            }
            try pane.type("नमस्ते สวัสดี 🇪🇸")
            try pane.wait(for: "नमस्ते สวัสดี 🇪🇸")
            try pane.keys("Escape")
            try pane.wait(for: "Customers (4)")
        }
        try pane.keys("q")
        #expect(session.exitStatus() == "0")
    }

    @Test("80×1 to 80×4 with each screen open draw without crashing; too small says so")
    func tinySizes() throws {
        guard let tmux = Self.tmux else { return }
        let session = try Session(tmux: tmux, names: ["Ana", "Bea", "Cris"], width: 80, height: 24)
        let pane = session.pane
        try pane.wait(for: "Customers (3)")
        let openers: [(keys: [String], shows: String)] = [
            ([], "Customers (3)"), (["/"], "Enter:keep"), ([":"], "edits go to"), (["Enter"], "Channels"),
            (["p"], "template:"), (["?"], "Help"),
        ]
        for opener in openers {
            if !opener.keys.isEmpty { try pane.run(["send-keys", "-t", "t"] + opener.keys) }
            try pane.wait(for: opener.shows)
            for height in 1...4 {
                try session.resize(80, height)
                if height < 4 { try pane.wait(for: "terminal too small (need 20×4)") }
            }
            try session.resize(80, 24)
            try pane.wait(for: opener.shows)
            try pane.keys("Escape")
            try pane.wait(for: "Customers (3)")
        }
        try pane.keys("q")
        #expect(session.exitStatus() == "0")
    }

    @Test("starting at 80×2 draws the size message, and a resize brings the console")
    func startTiny() throws {
        guard let tmux = Self.tmux else { return }
        let session = try Session(tmux: tmux, names: ["Ana"], width: 80, height: 2)
        try session.pane.wait(for: "terminal too small")
        try session.resize(80, 20)
        try session.pane.wait(for: "Customers (1)")
        try session.pane.keys("C-c")
        #expect(session.exitStatus() == "130", "Ctrl-C exits 130 like SIGINT")
    }

    @Test("an edit that takes the customer out of the filter never retargets the next edit")
    func wrongTarget() throws {
        guard let tmux = Self.tmux else { return }
        let session = try Session(tmux: tmux, names: ["Ana", "Bea", "Cris", "Dora", "Eva"])
        let pane = session.pane
        try pane.wait(for: "Customers (5)")
        try pane.keys("/")
        try pane.type("city = madrid")
        try pane.wait(for: "Customers (5 of 5)")
        try pane.keys("Enter", "j", "j")
        try pane.wait(for: "3/5")
        try pane.keys(":")
        try pane.wait(for: "edits go to")
        try pane.type("set city Paris")
        try pane.keys("Enter")
        try pane.wait(for: "no longer matches")
        // Its detail is open: the next edit goes to it.
        try pane.wait(forAll: ["Channels", "CRM-3"])
        try pane.keys(":")
        try pane.wait(for: "edits go to")
        try pane.type("consent email off")
        try pane.keys("Enter")
        // The edit's own notice: the open detail already shows an "updated" timestamp, so that word alone would
        // let the test quit before the edit is written.
        try pane.wait(for: "recorded in the audit log")
        try pane.keys("Escape", "q")
        #expect(session.exitStatus() == "0")
        // Only Cris (row 3) changed: her city and her email consent; Dora, now on row 3, kept hers.
        let cris = try session.roster.run("customer", "show", "CRM-3", "--json")
        let dora = try session.roster.run("customer", "show", "CRM-4", "--json")
        #expect(cris.stdout.contains("Paris"), "\(cris.stdout)")
        #expect(consent(cris.stdout) == false, "\(cris.stdout)")
        #expect(!dora.stdout.contains("Paris"))
        #expect(consent(dora.stdout) == true, "\(dora.stdout)")
    }

    /// The email consent in `customer show --json` output.
    private func consent(_ json: String) -> Bool? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else {
            return nil
        }
        if let consent = object["consent"] as? [String: Any] { return consent["email"] as? Bool }
        return (object["customer"] as? [String: Any]).flatMap { ($0["consent"] as? [String: Any])?["email"] as? Bool }
    }

    @Test("500 j sent at once end on row 501, and a pasted 80-character filter arrives whole")
    func noKeyLost() throws {
        guard let tmux = Self.tmux else { return }
        let scratch = try Scratch()
        let demo = scratch.path + "/demo.roster"
        let made = try RosterProcess(directory: scratch.path, passphrase: nil).run(
            "demo", "--contacts", "2000", "--store", demo, "--no-console")
        #expect(made.status == 0, "\(made.stderr)")
        let session = try Session(tmux: tmux, names: [], store: demo)
        let pane = session.pane
        try pane.wait(for: "1/2,000")
        try pane.type(String(repeating: "j", count: 500))
        try pane.wait(for: "501/2,000")
        let filter = "not has push and (birthday = today or has email or has sms) and not name ~ \"zz\""
        let padded = filter + String(repeating: " ", count: 80 - filter.count)
        #expect(padded.count == 80)
        try pane.keys("/")
        try pane.run(["set-buffer", "-b", "p", padded + "x"])
        try pane.run(["paste-buffer", "-p", "-b", "p", "-t", "t"])
        try pane.wait(for: "/" + padded + "x")
        // The filter runs once the paste is in (on a busy machine a moment later).
        try pane.wait(for: " of 2,000)")
        try pane.keys("Escape", "q")
        #expect(session.exitStatus() == "0")
    }

    @Test("a terminal that cannot address the cursor (TERM=dumb) is refused with status 2")
    func dumbTerminal() throws {
        guard let tmux = Self.tmux else { return }
        let session = try Session(tmux: tmux, names: ["Ana"], environment: "TERM=dumb")
        try session.pane.wait(for: "cannot move the cursor")
        #expect(session.exitStatus() == "2")
    }
}

extension ConsoleEndToEndTests {
    @Test("without an alternate screen (TERM=vt100) the last frame is cleared on exit")
    func clearedWithoutAlternateScreen() throws {
        guard let tmux = Self.tmux else { return }
        let session = try Session(tmux: tmux, names: ["Ana Secret"], environment: "TERM=vt100")
        try session.pane.wait(for: "Customers (1)")
        try session.pane.keys("q")
        #expect(session.exitStatus() == "0")
        let screen = try session.pane.screen()
        #expect(!screen.contains("Ana Secret") && !screen.contains("Customers"), "\(screen)")
    }

    @Test("on an 8-colour terminal the selected row and the title bar are drawn differently")
    func eightColours() throws {
        guard let tmux = Self.tmux else { return }
        let session = try Session(tmux: tmux, names: ["Ana", "Bea"], environment: "TERM=screen")
        try session.pane.wait(for: "Customers (2)")
        let lines = try session.pane.run(["capture-pane", "-p", "-e", "-t", "t"], output: true)
            .split(separator: "\n", omittingEmptySubsequences: false)
        /// The SGR sequences a line starts with: the style of its first cell.
        func style(_ line: Substring) -> String {
            var rest = line
            var sequences = ""
            while rest.hasPrefix("\u{1B}["), let end = rest.firstIndex(of: "m") {
                sequences += rest[...end]
                rest = rest[rest.index(after: end)...]
            }
            return sequences
        }
        let title = style(lines[0])
        let selected = style(lines[2])
        #expect(!title.isEmpty && !selected.isEmpty)
        #expect(title != selected, "title \(title.debugDescription) selection \(selected.debugDescription)")
        try session.pane.keys("q")
        #expect(session.exitStatus() == "0")
    }
}

extension ConsoleEndToEndTests {
    @Test("q during an import asks; y waits for it, then quits and says on the shell what was committed")
    func quitDuringImport() throws {
        guard let tmux = Self.tmux else { return }
        let gate = FileManager.default.temporaryDirectory.appendingPathComponent("roster-gate-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: gate) }
        let session = try Session(
            tmux: tmux, names: ["Ana"], environment: "ROSTER_TEST_IMPORT_GATE=\(gate.path)")
        let file = session.scratch.path + "/c.csv"
        #expect(try session.roster.run("generate", "--contacts", "300", "--out", file).status == 0)
        let pane = session.pane
        try pane.wait(for: "Customers (1)")
        try pane.keys(":")
        try pane.type("import contacts \(file)")
        try pane.keys("Enter")
        // The mapping step comes first; Enter imports with it.
        try pane.wait(for: "First rows as they will be stored")
        try pane.keys("Enter")
        try pane.wait(for: "Importing contacts")
        try pane.keys("Escape", "q")
        try pane.wait(for: "Quit when it finishes?")
        try pane.keys("y")
        try pane.wait(for: "quits when the import finishes")
        #expect(FileManager.default.createFile(atPath: gate.path, contents: Data()))
        #expect(session.exitStatus() == "0")
        try pane.wait(forAll: ["(all of it committed)", "import finished: 300 read"])
    }
}

/// The list as a browser under a real terminal: columns, sort, a frequency table, a filter from it, an export, and
/// changes made by other processes appearing live.
extension ConsoleEndToEndTests {
    @Test("columns, sort, frequency, filter from it, export; another process's edit and new customer appear live")
    func browser() throws {
        guard let tmux = Self.tmux else { return }
        let session = try Session(tmux: tmux, names: ["Ana", "Bea", "Cris", "Dora"], width: 120)
        let pane = session.pane
        try pane.wait(for: "Customers (4)")
        try pane.keys(":")
        try pane.type("columns name,city,email")
        try pane.keys("Enter")
        try pane.wait(for: "Madrid")

        // Another process edits a customer: the new value shows without a key pressed.
        let set = try session.roster.run("customer", "set", "CRM-2", "city", "Lisboa")
        #expect(set.status == 0, "\(set.stderr)")
        // The status line says when the data changed.
        try pane.wait(forAll: ["Lisboa", "changed "])

        try pane.keys("[")
        try pane.wait(for: "name▲")
        try pane.keys("j", "j")
        try pane.wait(for: "3/4")
        // A customer added by another process sorts before the selection, which stays on Cris.
        let added = try session.roster.run(
            "customer", "add", "CRM-5", "--email", "c5@example.com", "--field", "name=Aaron", "--field", "city=Madrid")
        #expect(added.status == 0, "\(added.stderr)")
        try pane.wait(forAll: ["Customers (5)", "Aaron"])
        try pane.wait(for: "4/5")

        try pane.keys("l", "F")
        try pane.wait(for: "Frequency · city")
        // The table is counted in the background: keys wait for it to be on screen.
        // Madrid: 4 of 5, Lisboa 1.
        try pane.wait(forAll: ["80.0%", "Lisboa"])
        try pane.keys("j", "Enter")
        try pane.wait(for: "Customers (1 of 5)")
        try pane.wait(for: "/city = \"Lisboa\"")

        let out = session.scratch.path + "/lisboa.csv"
        try pane.keys(":")
        try pane.type("export \(out)")
        try pane.keys("Enter")
        try pane.wait(for: "exported 1 customer to")
        let written = try String(contentsOfFile: out, encoding: .utf8)
        #expect(written == "name,city,email\nBea,Lisboa,c2@example.com\n")
        let audit = try session.roster.run("audit")
        #expect(audit.stdout.contains("console csv export of 1 customer"), "the export is audited\n\(audit.stdout)")
        #expect(!audit.stdout.contains("export of 1 customers"), "in the singular\n\(audit.stdout)")
        try pane.keys("Escape", "q")
        #expect(session.exitStatus() == "0")
    }

    @Test("y puts the selected externalCode on the terminal's clipboard (OSC 52, read back from tmux)")
    func copyToClipboard() throws {
        guard let tmux = Self.tmux else { return }
        let session = try Session(tmux: tmux, names: ["Ana"])
        let pane = session.pane
        try pane.run(["set-option", "-g", "set-clipboard", "on"])
        try pane.wait(for: "Customers (1)")
        try pane.keys("y")
        try pane.wait(for: "copied externalCode")
        let shown = try session.roster.run("customer", "show", "CRM-1", "--json")
        let deadline = Date().addingTimeInterval(10)
        var buffer = ""
        while Date() < deadline {
            buffer = (try? pane.run(["show-buffer"], output: true)) ?? ""
            if !buffer.isEmpty { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        #expect(buffer.count == 64 && shown.stdout.contains(buffer), "clipboard: \(buffer)")
        try pane.keys("q")
        #expect(session.exitStatus() == "0")
    }
}

extension ConsoleEndToEndTests {
    @Test("columns are remembered per store; a live rename renames them in each open console, and in the store")
    func columnsRemembered() throws {
        guard let tmux = Self.tmux else { return }
        let session = try Session(tmux: tmux, names: ["Ana", "Bea"])
        let pane = session.pane
        try pane.wait(for: "Customers (2)")
        func console(_ pane: Pane) throws {
            let command =
                "env -u NO_COLOR LANG=C.UTF-8 TERM=tmux-256color ROSTER_STORE=\(session.scratch.path)/store.roster "
                + "ROSTER_PASSPHRASE='test passphrase 1' \(RosterProcess.executable.path) console; sleep 30"
            try pane.run(["new-session", "-d", "-s", "t", "-x", "100", "-y", "30", command])
        }
        func header(_ screen: String) -> String {
            screen.split(separator: "\n").dropFirst().first.map(String.init) ?? ""
        }
        // A second console chooses other columns; the first sees that write land before choosing its own, so the
        // store remembers the first's.
        let other = Pane(tmux: tmux)
        try console(other)
        try other.wait(for: "Customers (2)")
        try other.keys(":")
        try other.type("columns crmId,email")
        try other.keys("Enter")
        try other.wait(for: "CRM-1")
        try pane.wait(for: "changed ")
        try pane.keys(":")
        try pane.type("columns city,name")
        try pane.keys("Enter")
        try pane.wait(for: "Madrid")

        let renamed = try session.roster.run("field", "rename", "city", "town")
        #expect(renamed.status == 0, "\(renamed.stderr)")
        // Each console follows the field under its own choice of columns.
        let live = header(try pane.wait(forAll: ["town", "Madrid", "field renamed: city is now town"]))
        #expect(live.contains("name") && !live.contains("city") && !live.contains("crmId"), "\(live)")
        let untouched = header(try other.wait(forAll: ["CRM-1", "field renamed: city is now town"]))
        #expect(untouched.contains("crmId") && untouched.contains("email") && !untouched.contains("town"))
        try other.keys("q")
        try pane.keys("q")
        #expect(session.exitStatus() == "0")

        let again = Pane(tmux: tmux)
        try console(again)
        let screen = try again.wait(forAll: ["Customers (2)", "town", "name"])
        #expect(header(screen).contains("town") && header(screen).contains("name"), "\(screen)")
        #expect(!header(screen).contains("externalCode") && !header(screen).contains("crmId"), "\(screen)")
        try again.keys("q")
    }
}
