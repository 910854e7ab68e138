import RosterCSV

extension Importer {
    /// The files `--rejects` must never replace: the store and its companions, the input, and `protectedFiles`.
    var rejectsProtection: ProtectedFiles {
        var protected = options.protectedFiles
        protected.addStore(store.path)
        protected.addInput(options.path)
        return protected
    }

    /// The rejects file, or nil when none was asked for or with `--strict` (which never writes one: an import it
    /// refuses writes nothing, and one it lets through has no rejected rows).
    func openRejectsFile(_ reader: CSVReader) throws -> RejectsFile? {
        guard let path = options.rejectsPath, !options.strict else { return nil }
        return try RejectsFile(
            path: path, header: reader.header, dialect: reader.dialect, protecting: rejectsProtection)
    }
}
