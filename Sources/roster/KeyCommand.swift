import ArgumentParser
import Foundation
import RosterCore
import RosterModel

extension ServerKeyRole: ExpressibleByArgument {}

struct KeyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "key",
        abstract: "Create, list and revoke the keys that clients of `roster serve` send.",
        discussion: """
            A key is shown once, when it is created; the store keeps only a keyed hash of it, so a lost key \
            cannot be recovered: revoke it and create another. Clients send it as `Authorization: Bearer KEY`. \
            Roles: read (GET endpoints, query, preview), write (also every change), admin (also the GDPR access \
            export and erasure). The audit log names the key for every change made with it.
            """,
        subcommands: [Create.self, List.self, Revoke.self])

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a key and print it once.")

        @OptionGroup var storeOptions: StoreOptions
        @OptionGroup var output: OutputOptions

        @Option(help: "A name for the key (letters, digits, . _ -): the audit log shows it.")
        var name: String

        @Option(help: "read, write or admin.")
        var role: ServerKeyRole

        func run() throws {
            let store = try storeOptions.open()
            let issued = try store.createServerKey(name: name, role: role)
            if output.json {
                guard case .object(let members) = issued.key.json else { return }
                Output.json(.object(members + [("key", .string(issued.secret))]))
            } else {
                Output.line(issued.secret)
                Output.note(
                    "Created the \(role.rawValue) key \(issued.key.name). It is shown only now: keep it in a secret "
                        + "store; `roster key revoke \(issued.key.name)` disables it.")
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List keys (never their secrets).")

        @OptionGroup var storeOptions: StoreOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            let keys = try storeOptions.open().serverKeys()
            if output.json {
                Output.json(.object([("keys", .array(keys.map(\.json)))]))
                return
            }
            for key in keys {
                let state = key.revokedAt.map { "revoked \(Timestamp.iso8601($0))" } ?? "valid"
                Output.line(
                    "\(key.name.padding(toLength: 20, withPad: " ", startingAt: 0)) "
                        + "\(key.role.rawValue.padding(toLength: 6, withPad: " ", startingAt: 0)) "
                        + "created \(Timestamp.iso8601(key.createdAt))  \(state)")
            }
            if keys.isEmpty { Output.note("No server keys; create one with `roster key create --name N --role read`.") }
        }
    }

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Revoke a key: a running server refuses it within a second.")

        @OptionGroup var storeOptions: StoreOptions
        @OptionGroup var output: OutputOptions

        @Argument(help: "The key's name.")
        var name: String

        func run() throws {
            let key = try storeOptions.open().revokeServerKey(name: name)
            if output.json {
                Output.json(key.json)
            } else {
                Output.line("Revoked the server key \(key.name).")
            }
        }
    }
}
