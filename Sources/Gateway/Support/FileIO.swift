// FileIO: the blocking file helpers the gateway uses outside the event loop's handles — a
// bounded whole-file read (configuration, tokens and kubeconfig files, read at start and on
// SIGHUP), a positioned read (pages of stored outputs, tmpfs) and a write-all loop (audit and
// log lines, private files, stored outputs, stdio without a pipe).
// One copy each, so EINTR, short writes and size limits are handled the same everywhere.
import Glibc

/// Why a file could not be read, in the words an operator sees.
struct FileProblem: Error, Equatable, CustomStringConvertible {
    let description: String
}

enum FileIO {
    /// The whole file, refusing anything larger than `maxBytes` (a runaway file must not
    /// exhaust memory at start-up).
    static func read(_ path: String, maxBytes: Int) -> Result<[UInt8], FileProblem> {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return .failure(FileProblem(description: String(cString: strerror(errno)))) }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                return .failure(FileProblem(description: String(cString: strerror(errno))))
            }
            if n == 0 { return .success(bytes) }
            bytes.append(contentsOf: chunk[0..<n])
            if bytes.count > maxBytes { return .failure(FileProblem(description: "larger than \(maxBytes) bytes")) }
        }
    }

    /// Up to `count` bytes from `offset` (fewer at the end of the file).
    static func read(_ path: String, offset: Int, count: Int) -> Result<[UInt8], FileProblem> {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else { return .failure(FileProblem(description: String(cString: strerror(errno)))) }
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: max(0, count))
        var filled = 0
        while filled < bytes.count {
            let n = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + filled, $0.count - filled, off_t(offset + filled)) }
            if n < 0 {
                if errno == EINTR { continue }
                return .failure(FileProblem(description: String(cString: strerror(errno))))
            }
            if n == 0 { break }
            filled += n
        }
        bytes.removeSubrange(filled...)
        return .success(bytes)
    }

    /// Writes every byte (retrying on EINTR and short writes). Returns the errno that stopped
    /// it, or nil when everything was written. EAGAIN on a non-blocking descriptor is retried.
    @discardableResult
    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Int32? {
        bytes.withUnsafeBytes { writeAll(fd, $0) }
    }

    @discardableResult
    static func writeAll(_ fd: Int32, _ raw: UnsafeRawBufferPointer) -> Int32? {
        guard let base = raw.baseAddress else { return nil }
        var offset = 0
        while offset < raw.count {
            let n = write(fd, base + offset, raw.count - offset)
            if n < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                return errno
            }
            if n == 0 { return EIO }
            offset += n
        }
        return nil
    }
}
