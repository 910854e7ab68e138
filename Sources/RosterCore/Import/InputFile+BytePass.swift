import RosterCSV

extension InputFile {
    /// A new pass over the input, from its first byte.
    func pass() -> BytePass {
        let reader = reader()
        return BytePass(name: path, size: size) { try reader.read(into: $0, count: $1) }
    }
}

extension CSVReader {
    /// A new pass over an import's input, opened once for every pass.
    convenience init(input: InputFile, delimiter: UInt8?, encoding: CSVEncoding?) throws {
        try self.init(pass: input.pass(), delimiter: delimiter, encoding: encoding)
    }
}

extension LineReader {
    /// A new pass over `file`, from its first line.
    convenience init(_ file: InputFile) {
        self.init(file.pass())
    }
}
