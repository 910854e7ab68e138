import ArgumentParser
import Foundation
import RosterCore

#if canImport(Glibc)
    import Glibc
#endif

@main
struct Roster: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "roster",
        abstract: "A local, encrypted, region-bound store of CRM customers for a customer-engagement platform.",
        discussion: """
            Every personal value is sealed with AES-256-GCM; identifiers are found through blind indexes. \
            The store is chosen by --store, else $ROSTER_STORE, else $XDG_DATA_HOME/roster/store.roster, \
            else ~/.local/share/roster/store.roster. It is unlocked by --keyfile (or $ROSTER_KEYFILE), or by \
            the passphrase in $ROSTER_PASSPHRASE, or by one typed at the prompt on a terminal.

            An ID may be a CRM id, an externalCode, an email, an E.164 phone (+34600112233) or a deviceId. \
            One that names different customers under different kinds is ambiguous: commands that change or \
            disclose data refuse it, and a typed ID names one kind: crm:ID, code:ID, email:ID, phone:ID, device:ID.
            """,
        version: RosterVersion.string,
        subcommands: [
            ConsoleCommand.self, DemoCommand.self, InitCommand.self, ImportCommand.self, CustomerCommand.self,
            DeviceCommand.self, ExternalCodeCommand.self,
            QueryCommand.self, PreviewCommand.self, ExportCommand.self, AuditCommand.self, CheckCommand.self,
            SegmentCommand.self,
            GenerateCommand.self, FieldCommand.self, KeyCommand.self, ServeCommand.self,
        ],
        defaultSubcommand: ConsoleCommand.self
    )

    static func main() {
        // Files this process creates (store, WAL, key files, exports) are private to the user.
        umask(0o077)
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let error as RosterError {
            Output.error(error.description)
            Foundation.exit(1)
        } catch let error where RosterError.describing(error, storePath: Store.defaultPath()) != nil {
            // A store failure that reached here unconverted (busy, full, read-only): said in words.
            Output.error(RosterError.describing(error, storePath: Store.defaultPath())!.description)
            Foundation.exit(1)
        } catch {
            if let sentence = FileErrorMessage.sentence(for: error) {
                Output.error(sentence)
                Foundation.exit(1)
            }
            // ArgumentParser's messages quote what was typed: they cross the same sanitizing boundary.
            let code = exitCode(for: error)
            let message = fullMessage(for: error)
            if !message.isEmpty {
                if code == .success { Output.line(message) } else { Output.note(message) }
            }
            Foundation.exit(code.rawValue)
        }
    }
}
