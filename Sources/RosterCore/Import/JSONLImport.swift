/// Placeholder replaced by the jsonl importer.
struct JSONLImport {
    let importer: Importer

    func run() throws -> ImportSummary {
        throw RosterError.invalidValue("jsonl import is not available yet")
    }
}
