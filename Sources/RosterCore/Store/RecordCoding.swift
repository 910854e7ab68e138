import Foundation
import RosterModel

/// A compact binary encoding for sealed records: a version byte, then varints and length-prefixed UTF-8.
///
/// One record is sealed as one AEAD message, so its fields are packed here first; decoding
/// is strict and any truncation is reported as an integrity failure by the caller.
struct RecordWriter {
    private(set) var bytes: [UInt8] = []

    init(version: UInt8, capacity: Int = 128) {
        bytes.reserveCapacity(capacity)
        bytes.append(version)
    }

    /// Starts a new record in the same buffer (the bulk import reuses one writer per thread).
    mutating func reset(version: UInt8) {
        bytes.removeAll(keepingCapacity: true)
        bytes.append(version)
    }

    /// Writes a code as a lowercase hex string, as `write(Hex.encode(bytes))` would (formatted on the stack and
    /// appended at once: one byte at a time, each append checked the array's capacity).
    mutating func writeHex(_ code: RawCode) {
        var text: (RawCode, RawCode) = (code, code)
        Swift.withUnsafeMutableBytes(of: &text) { out in
            code.withUnsafeBytes { raw in
                for (index, byte) in raw.enumerated() {
                    out[2 * index] = Hex.digit(byte >> 4)
                    out[2 * index + 1] = Hex.digit(byte & 0x0f)
                }
            }
            write(UInt64(out.count))
            bytes.append(contentsOf: out)
        }
    }

    mutating func write(_ value: UInt64) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(rest & 0x7f) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    mutating func write(_ value: Int64) {
        write(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    mutating func write(_ value: Bool) { bytes.append(value ? 1 : 0) }

    mutating func write(_ value: String) {
        value.withUTF8Bytes { utf8 in
            write(UInt64(utf8.count))
            bytes.append(contentsOf: utf8)
        }
    }

    mutating func write(_ value: String?) {
        if let value {
            bytes.append(1)
            write(value)
        } else {
            bytes.append(0)
        }
    }
}

/// Reads what `RecordWriter` wrote; throws `RecordReader.Truncated` on malformed input.
struct RecordReader {
    struct Malformed: Error {}

    private let bytes: [UInt8]
    private var position = 0
    let version: UInt8

    init(_ bytes: [UInt8]) throws {
        guard let first = bytes.first else { throw Malformed() }
        self.bytes = bytes
        self.version = first
        self.position = 1
    }

    var isAtEnd: Bool { position == bytes.count }
    /// Where the next read starts.
    var offset: Int { position }

    mutating func readUInt() throws -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard position < bytes.count, shift < 64 else { throw Malformed() }
            let byte = bytes[position]
            position += 1
            result |= UInt64(byte & 0x7f) << shift
            if byte < 0x80 { return result }
            shift += 7
        }
    }

    mutating func readInt() throws -> Int64 {
        let raw = try readUInt()
        return Int64(bitPattern: raw >> 1) ^ -Int64(bitPattern: raw & 1)
    }

    mutating func readBool() throws -> Bool {
        guard position < bytes.count, bytes[position] <= 1 else { throw Malformed() }
        defer { position += 1 }
        return bytes[position] == 1
    }

    mutating func readString() throws -> String {
        let count = Int(try readUInt())
        guard count <= bytes.count - position else { throw Malformed() }
        defer { position += count }
        return String(decoding: bytes[position..<position + count], as: UTF8.self)
    }

    mutating func readOptionalString() throws -> String? {
        try readBool() ? try readString() : nil
    }
}
