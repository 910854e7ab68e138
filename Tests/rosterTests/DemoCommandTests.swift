import Foundation
import Testing

@Suite("roster demo")
struct DemoCommandTests {
    @Test("makes a demo store of exactly N customers, with its own key file, devices and birthdays today")
    func demoStore() throws {
        let scratch = try Scratch()
        var roster = RosterProcess(directory: scratch.path, passphrase: nil)
        let path = scratch.path + "/nested/demo.roster"
        let made = try roster.run("demo", "--contacts", "300", "--store", path, "--no-console")
        #expect(made.status == 0, "\(made.stderr)")
        let attributes = try FileManager.default.attributesOfItem(atPath: path + ".key")
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        roster.environment["ROSTER_STORE"] = path
        roster.environment["ROSTER_KEYFILE"] = path + ".key"
        func count(_ filter: String) throws -> Int {
            let result = try roster.run("query", filter, "--count", "--json")
            let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
            return object?["count"] as? Int ?? -1
        }
        #expect(try count("has email or not has email") == 300)
        #expect(try count("birthday = today") > 0)
        #expect(try count("has push") > 0)
        // Made once: a second run keeps the same store.
        let again = try roster.run("demo", "--contacts", "300", "--store", path, "--no-console")
        #expect(again.status == 0)
        #expect(!again.stderr.contains("Created"))
    }
}
