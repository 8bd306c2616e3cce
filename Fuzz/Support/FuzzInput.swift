// FuzzInput: reads a libFuzzer input as a stream of decisions (structure-aware targets), and
// `require`, the one way a target reports a broken property: print what broke, then trap, so
// libFuzzer saves the input as a crash artifact. Compiled into every fuzz target.

#if canImport(Glibc)
import Glibc
#endif

/// Bytes consumed front to back; when they run out every read returns zero/empty, so any input
/// (including the empty one) decodes to some structure.
struct FuzzInput {
    let bytes: [UInt8]
    var index = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var isExhausted: Bool { index >= bytes.count }

    mutating func byte() -> UInt8 {
        guard index < bytes.count else { return 0 }
        defer { index += 1 }
        return bytes[index]
    }

    mutating func bool() -> Bool { byte() & 1 == 1 }

    /// A value in `range`, from one or two bytes (modulo bias does not matter for fuzzing).
    mutating func int(_ range: ClosedRange<Int>) -> Int {
        let span = range.upperBound - range.lowerBound + 1
        let raw = span > 256 ? Int(byte()) << 8 | Int(byte()) : Int(byte())
        return range.lowerBound + raw % span
    }

    mutating func pick<T>(_ choices: [T]) -> T { choices[int(0...(choices.count - 1))] }

    mutating func take(_ n: Int) -> [UInt8] {
        let end = min(bytes.count, index + max(0, n))
        defer { index = end }
        return Array(bytes[min(index, end)..<end])
    }

    /// A length-prefixed chunk of at most `max` bytes.
    mutating func chunk(max: Int) -> [UInt8] { take(int(0...max)) }

    mutating func rest() -> [UInt8] { take(bytes.count - index) }
}

/// A broken property: the message goes to stderr (libFuzzer shows it next to the artifact).
func require(_ condition: Bool, _ message: @autoclosure () -> String) {
    if condition { return }
    let line = Array("PROPERTY VIOLATED: \(message())\n".utf8)
    _ = line.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    abort()
}

/// Standard Base64 with padding (RFC 4648 §4): the reference encoder the decoders are checked against.
func base64Encode(_ bytes: [UInt8]) -> String {
    let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    var out: [UInt8] = []
    var i = 0
    while i + 3 <= bytes.count {
        let n = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
        out += [alphabet[Int(n >> 18 & 63)], alphabet[Int(n >> 12 & 63)], alphabet[Int(n >> 6 & 63)], alphabet[Int(n & 63)]]
        i += 3
    }
    let left = bytes.count - i
    if left == 1 {
        let n = UInt32(bytes[i]) << 16
        out += [alphabet[Int(n >> 18 & 63)], alphabet[Int(n >> 12 & 63)], UInt8(ascii: "="), UInt8(ascii: "=")]
    } else if left == 2 {
        let n = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8
        out += [alphabet[Int(n >> 18 & 63)], alphabet[Int(n >> 12 & 63)], alphabet[Int(n >> 6 & 63)], UInt8(ascii: "=")]
    }
    return String(decoding: out, as: UTF8.self)
}

/// Valid UTF-8 from arbitrary bytes: invalid sequences become U+FFFD (what a client library would send).
func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }
