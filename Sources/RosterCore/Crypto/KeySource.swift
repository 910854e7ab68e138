import Crypto
import Foundation

/// Where the secret that unlocks a store comes from.
public enum KeySource: Sendable {
    /// A passphrase, stretched with scrypt.
    case passphrase(String)
    /// A key file holding 256 random bits (created by `roster init --keyfile`).
    case keyFile(path: String)
}

/// A key file: one line of text naming the format, one line with 32 random bytes in base64.
public enum KeyFile {
    static let magic = "roster-keyfile v1"

    /// Creates a new key file readable and writable by its owner only; refuses to overwrite one.
    public static func create(at path: String) throws {
        var bytes = [UInt8](repeating: 0, count: 32)
        var rng = SystemRandomNumberGenerator()
        for index in bytes.indices { bytes[index] = rng.next() }
        let text = "\(magic)\n\(Data(bytes).base64EncodedString())\n"
        try FileSecurity.createPrivateFile(at: path, contents: Array(text.utf8))
    }

    /// Reads the 256-bit secret of a key file.
    static func read(at path: String) throws -> SymmetricKey {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw RosterError.badKeyFile(path: path, detail: "it does not exist or cannot be read")
        }
        let lines = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline)
        guard lines.count >= 2, lines[0] == magic,
            let secret = Data(base64Encoded: String(lines[1])), secret.count == 32
        else {
            throw RosterError.badKeyFile(path: path, detail: "it is not a Roster key file (\(magic))")
        }
        return SymmetricKey(data: secret)
    }
}
