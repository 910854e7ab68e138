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

            An ID may be a CRM id, an externalCode, an email, an E.164 phone (+34600112233) or a deviceId.
            """,
        version: RosterVersion.string,
        subcommands: [
            ConsoleCommand.self, DemoCommand.self, InitCommand.self, ImportCommand.self, CustomerCommand.self,
            DeviceCommand.self, ExternalCodeCommand.self,
            QueryCommand.self, PreviewCommand.self, ExportCommand.self, AuditCommand.self, GenerateCommand.self,
            KeyCommand.self, ServeCommand.self,
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
        } catch {
            exit(withError: error)
        }
    }
}
