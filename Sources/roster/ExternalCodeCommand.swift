import ArgumentParser
import Foundation
import RosterCore
import RosterModel

struct ExternalCodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "externalcode",
        abstract: "Print the externalCode this store derives for a CRM id.",
        discussion: "externalCode = lowercase hex HMAC-SHA256(app key, CRM id), the CRM id trimmed first.")

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: "The CRM id, as the CRM holds it.")
    var crmId: String

    func run() throws {
        let store = try storeOptions.open()
        let code = store.externalCode(for: try CRMID.normalizeOrFail(crmId))
        if output.json {
            Output.json(.object([("externalCode", .string(code)), ("region", .string(store.region))]))
        } else {
            Output.line(code)
        }
    }
}
