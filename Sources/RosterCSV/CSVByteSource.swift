#if canImport(Darwin)
    import Darwin
#elseif canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Where a CSV reader's bytes come from: an open file descriptor, read in chunks, or an array already in memory.
struct CSVByteSource: ~Copyable {
    /// The path, or the name given to in-memory bytes, for error messages.
    let name: String
    /// Bytes in a regular file or an array; nil for a pipe or a device, whose size is unknown.
    let size: Int?
    private var descriptor: Int32
    private let bytes: [UInt8]
    private var offset = 0
    /// A pass over an input read several times.
    private let pass: BytePass?

    init(path: String) throws {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw CSVReaderError.cannotOpen(path: path, reason: Self.lastSystemError())
        }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            let reason = Self.lastSystemError()
            close(descriptor)
            throw CSVReaderError.cannotOpen(path: path, reason: reason)
        }
        // Opening a directory succeeds on Linux; say what is wrong now rather than fail on the first read.
        if info.st_mode & S_IFMT == S_IFDIR {
            close(descriptor)
            throw CSVReaderError.cannotOpen(path: path, reason: "it is a directory")
        }
        self.name = path
        self.size = info.st_mode & S_IFMT == S_IFREG ? Int(info.st_size) : nil
        self.descriptor = descriptor
        self.bytes = []
        self.pass = nil
    }

    /// A new pass over an input read several times.
    init(pass: BytePass) {
        self.name = pass.name
        self.size = pass.size
        self.descriptor = -1
        self.bytes = []
        self.pass = pass
    }

    init(bytes: [UInt8], name: String) {
        self.name = name
        self.size = bytes.count
        self.descriptor = -1
        self.bytes = bytes
        self.pass = nil
    }

    /// Reads up to `count` bytes; 0 means the end of the input.
    mutating func readChunk(into destination: UnsafeMutablePointer<UInt8>, count: Int) throws -> Int {
        if let pass { return try pass.read(destination, count) }
        guard descriptor >= 0 else {
            let length = min(count, bytes.count - offset)
            guard length > 0 else { return 0 }
            bytes.withUnsafeBufferPointer { source in
                destination.update(from: source.baseAddress! + offset, count: length)
            }
            offset += length
            return length
        }
        while true {
            let length = read(descriptor, destination, count)
            if length >= 0 { return length }
            if errno != EINTR {
                throw CSVReaderError.readFailed(path: name, reason: Self.lastSystemError())
            }
        }
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
    }

    private static func lastSystemError() -> String {
        String(cString: strerror(errno))
    }
}
