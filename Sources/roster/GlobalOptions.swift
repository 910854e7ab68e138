import ArgumentParser
import Foundation
import RosterCore
import RosterModel

/// Options every command that opens a store takes.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The store file.", valueName: "path"))
    var store: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "A key file that unlocks the store, instead of a passphrase ($ROSTER_KEYFILE).", valueName: "path"))
    var keyfile: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "How long to wait for a store another roster process holds before giving up ($ROSTER_WAIT; default 5).",
            valueName: "seconds"))
    var wait: Double?

    var environment: [String: String] { ProcessInfo.processInfo.environment }

    /// The store path this invocation names.
    var storePath: String { store ?? Store.defaultPath(environment: environment) }

    /// The key file named by the option or the environment.
    var keyFilePath: String? {
        if let keyfile { return keyfile }
        if let path = environment["ROSTER_KEYFILE"], !path.isEmpty { return path }
        return nil
    }

    /// The files an output (`--out`, `--rejects`) must never replace: this store, its companions and its key file.
    var protectedFiles: ProtectedFiles {
        var protected = ProtectedFiles()
        protected.addStore(storePath)
        protected.addKeyFile(keyFilePath)
        return protected
    }

    /// Unlocks the store: key file, else `$ROSTER_PASSPHRASE`, else a prompt on the terminal.
    func open(forCheck: Bool = false) throws -> Store {
        let path = storePath
        if let text = wait.map({ "\($0)" }) ?? environment["ROSTER_WAIT"].flatMap({ $0.isEmpty ? nil : $0 }) {
            guard let seconds = Double(text), seconds >= 0, seconds.isFinite else {
                throw RosterError.invalidValue(.notSeconds(text))
            }
            Store.lockWait = seconds
        }
        if let keyFilePath { return try Store.open(at: path, key: .keyFile(path: keyFilePath), forCheck: forCheck) }
        // Read the clear header first: a missing store or one that needs a key file is said before any prompt.
        let header = try Store.header(at: path)
        if header.keyProtection == .keyFile { throw RosterError.keyKindMismatch(path: path, needsKeyFile: true) }
        if let passphrase = environment["ROSTER_PASSPHRASE"], !passphrase.isEmpty {
            return try Store.open(at: path, key: .passphrase(passphrase), forCheck: forCheck)
        }
        guard let typed = Passphrase.prompt("Passphrase for \(path): ") else {
            throw RosterError.noKeyMaterial(path: path)
        }
        return try Store.open(at: path, key: .passphrase(typed), forCheck: forCheck)
    }
}

/// `--json` for commands that report.
struct OutputOptions: ParsableArguments {
    @Flag(name: .long, help: "Print one JSON document on stdout.")
    var json = false
}
