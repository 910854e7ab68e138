import RosterModel

extension CustomerRecordDecoder {
    /// Decodes plain records (`RecordSpill.Part` layout: the bulk import keeps them) into rows, except those in
    /// `removed`.
    func decode(plain: [UInt8], skipping removed: Bitset) throws -> WorkingSetRows {
        var rows = WorkingSetRows(fieldCount: layout.fields.count, capacity: plain.count / 100)
        var slots = [(start: Int, count: Int)?](repeating: nil, count: layout.fields.count)
        let complete = try plain.withUnsafeBytes { bytes in
            try RecordSpill.Part.forEach(in: bytes) { rowID, record in
                guard !removed.contains(Int(rowID)) else { return }
                do {
                    try append(record: record, rowID: rowID, to: &rows, slots: &slots)
                } catch {
                    throw RosterError.integrity(what: "customer #\(rowID) (record layout)")
                }
            }
        }
        guard complete else { throw RosterError.integrity(what: "the import's record spill") }
        return rows
    }
}
