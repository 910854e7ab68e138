import Foundation
import Testing

@testable import RosterCore
@testable import RosterModel

@Suite("Files: output written whole or not at all, input read the same in every pass")
struct FilesTests {
    func read(_ reader: InputFile.Reader) throws -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = try chunk.withUnsafeMutableBufferPointer { try reader.read(into: $0.baseAddress!, count: 4096) }
            if count == 0 { return bytes }
            bytes += chunk[..<count]
        }
    }

    @Test("an output that is discarded leaves the old file as it was and no temporary file")
    func discardKeepsOldFile() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("out.csv")
        try Data("old\n".utf8).write(to: URL(fileURLWithPath: path))
        let file = try OutputFile(path: path, protecting: ProtectedFiles())
        try file.write(Array("new, half written".utf8))
        file.discard()
        #expect(FileManager.default.contents(atPath: path) == Data("old\n".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["out.csv"])

        let committed = try OutputFile(path: path, protecting: ProtectedFiles())
        try committed.write(Array("new\n".utf8))
        try committed.commit()
        #expect(FileManager.default.contents(atPath: path) == Data("new\n".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["out.csv"])
    }

    @Test("the store's companions are refused even before they exist, by any spelling")
    func companionsAreRefused() throws {
        let dir = try TemporaryDirectory()
        var protected = ProtectedFiles()
        protected.addStore(dir.file("store.roster"))
        for name in ["store.roster", "store.roster-wal", "store.roster-shm", "store.roster.lock", "./store.roster-wal"]
        {
            #expect(throws: RosterError.self) { try OutputFile.check(dir.path + "/" + name, protecting: protected) }
        }
        try OutputFile.check(dir.file("store.roster.csv"), protecting: protected)
    }

    @Test("a regular input edited in place after a pass is refused by the next pass and by checkUnchanged")
    func editedInputIsRefused() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("in.csv")
        let text = Array(String(repeating: "customerId,email\n", count: 100_000).utf8)  // more than one block
        try Data(text).write(to: URL(fileURLWithPath: path))
        let input = try InputFile(path: path, spillFolder: dir.path)
        #expect(try read(input.reader()) == text)
        #expect(try read(input.reader()) == text, "a second pass reads the same bytes")
        try input.checkUnchanged()
        let handle = try #require(FileHandle(forUpdatingAtPath: path))
        try handle.seek(toOffset: UInt64(InputFile.blockSize + 10))
        try handle.write(contentsOf: Data("X".utf8))
        try handle.close()
        #expect(throws: RosterError.self) { try input.checkUnchanged() }
        #expect(throws: RosterError.self) { _ = try read(input.reader()) }
    }
}
