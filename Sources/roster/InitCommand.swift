import ArgumentParser
import Foundation
import RosterCore

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a new encrypted store for one region.",
        discussion: """
            A random 256-bit root key is made for the store and wrapped by your passphrase (scrypt, N=2^16, \
            r=8, p=1) or by a key file. With --keyfile PATH, a new key file is created (mode 0600) if none \
            exists there. The region is fixed for the life of the store: nothing leaves it for another region.

            --app-key reproduces the platform's web SDK: externalCodes are then exactly what its logIn(id) \
            computes. Without it, a random app key is made and kept sealed in the store. So that the key stays \
            out of `ps` and shell history, it may instead come from a file (--app-key-file PATH: its content, \
            without the trailing line break) or from $ROSTER_APP_KEY; --app-key wins, then --app-key-file, then \
            the environment.
            """)

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions

    @Option(help: ArgumentHelp("The store's region, such as eu or us (fixed for good).", valueName: "region"))
    var region: String

    @Option(
        name: .customLong("app-key"),
        help: ArgumentHelp("The platform app key used for externalCodes.", valueName: "key"))
    var appKey: String?

    @Option(
        name: .customLong("app-key-file"),
        help: ArgumentHelp("Read the app key from this file instead of the command line.", valueName: "path"))
    var appKeyFile: String?

    func validate() throws {
        if appKey != nil && appKeyFile != nil {
            throw ValidationError("give the app key once: --app-key or --app-key-file, not both")
        }
    }

    /// The app key from the option, the file or the environment, in that order; nil for a random one.
    private func chosenAppKey() throws -> String? {
        if let appKey { return appKey }
        if let appKeyFile {
            let bytes: Data
            do {
                bytes = try Data(contentsOf: URL(fileURLWithPath: appKeyFile))
            } catch {
                throw RosterError.io(path: appKeyFile, detail: "cannot read the app key file; nothing was created")
            }
            guard let text = String(data: bytes, encoding: .utf8) else {
                throw RosterError.io(
                    path: appKeyFile, detail: "the app key file is not UTF-8 text; nothing was created")
            }
            let key = text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !key.isEmpty, !key.contains(where: \.isNewline) else {
                throw RosterError.io(
                    path: appKeyFile, detail: "the app key file must hold the key on one line; nothing was created")
            }
            return key
        }
        if let fromEnvironment = ProcessInfo.processInfo.environment["ROSTER_APP_KEY"], !fromEnvironment.isEmpty {
            return fromEnvironment
        }
        return nil
    }

    @Option(
        name: .customLong("time-zone"),
        help: ArgumentHelp("The store's time zone for birthdays (default: this machine's).", valueName: "zone"))
    var timeZone: String?

    @Option(
        name: .customLong("leap-day"),
        help: ArgumentHelp(
            "When 29 February birthdays count in other years: march-1 (default) or february-28.", valueName: "rule"))
    var leapDay: LeapDayChoice = .march1

    enum LeapDayChoice: String, ExpressibleByArgument, CaseIterable {
        case march1 = "march-1"
        case february28 = "february-28"
    }

    func run() throws {
        let path = storeOptions.storePath
        if FileManager.default.fileExists(atPath: path) { throw RosterError.storeExists(path: path) }
        let appKey = try chosenAppKey()
        let key: KeySource
        var createdKeyFile = false
        if let keyFile = storeOptions.keyFilePath {
            if !FileManager.default.fileExists(atPath: keyFile) {
                try KeyFile.create(at: keyFile)
                createdKeyFile = true
            }
            key = .keyFile(path: keyFile)
        } else {
            key = .passphrase(try newPassphrase(for: path))
        }
        let store: Store
        do {
            store = try Store.create(
                at: path, region: region, appKey: appKey, timeZone: timeZone,
                leapDayRule: leapDay == .march1 ? .marchFirst : .februaryTwentyEighth, key: key)
        } catch {
            if createdKeyFile, case .keyFile(let keyFile) = key { try? FileManager.default.removeItem(atPath: keyFile) }
            throw error
        }
        let protection = storeOptions.keyFilePath.map { "the key file \($0)" } ?? "a passphrase"
        if output.json {
            Output.json(
                .object([
                    ("store", .string(path)), ("region", .string(store.region)), ("timeZone", .string(store.timeZone)),
                    ("keyProtection", .string(storeOptions.keyFilePath == nil ? "passphrase" : "keyfile")),
                    ("keyFileCreated", .bool(createdKeyFile)),
                ]))
        } else {
            Output.line(
                "Created the store \(path) (region \(store.region), time zone \(store.timeZone)), locked with \(protection)."
            )
            if createdKeyFile {
                Output.line("Keep the key file safe and apart from backups of the store: without it the data is lost.")
            }
        }
    }

    private func newPassphrase(for path: String) throws -> String {
        let environment = ProcessInfo.processInfo.environment
        if let passphrase = environment["ROSTER_PASSPHRASE"], !passphrase.isEmpty {
            return try checked(passphrase)
        }
        guard let first = Passphrase.prompt("New passphrase for \(path): ") else {
            throw RosterError.noKeyMaterial(path: path)
        }
        _ = try checked(first)
        guard Passphrase.prompt("Repeat the passphrase: ") == first else {
            throw RosterError.invalidValue(.passphrasesDiffer)
        }
        return first
    }

    /// The shortest new passphrase accepted, in characters.
    static let minimumPassphraseLength = 8

    private func checked(_ passphrase: String) throws -> String {
        guard passphrase.count >= Self.minimumPassphraseLength else {
            throw RosterError.invalidValue(.passphraseTooShort(minimum: Self.minimumPassphraseLength))
        }
        return passphrase
    }
}
