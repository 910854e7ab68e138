import Foundation
import Testing

@Suite("Error wording: the executable names the flags that fix a problem")
struct ErrorWordingTests {
    @Test("a bad --today is refused naming the flag, though the core's error names none")
    func todayNamesItsFlag() throws {
        let scratch = try Scratch()
        let roster = RosterProcess(directory: scratch.path)
        #expect(try roster.run("init", "--region", "eu").status == 0)
        let refused = try roster.run("query", "birthday = today", "--today", "2024-13-45")
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("--today 2024-13-45: "), "\(refused.stderr)")
    }

    @Test("a store locked with a key file, opened with a passphrase, says to pass --keyfile or set ROSTER_KEYFILE")
    func keyFileWording() throws {
        let scratch = try Scratch()
        let roster = RosterProcess(directory: scratch.path)
        let keyFile = scratch.path + "/store.key"
        #expect(try roster.run("init", "--region", "eu", "--keyfile", keyFile).status == 0)
        let refused = try roster.run("customer", "add", "C1")
        #expect(refused.status != 0)
        #expect(
            refused.stderr.contains("is locked with a key file: pass --keyfile PATH or set ROSTER_KEYFILE"),
            "\(refused.stderr)")
    }
}
