// JSONWriter: JSONValue -> compact JSON bytes (no spaces, no newlines, so one message is one
// stdio line), plus the streaming string escaper used for large tool output.
// Why not JSONEncoder: it costs ~3.6 ms per MiB of text and builds intermediates; here a
// string is escaped straight into the caller's buffer in runs of unescaped bytes.

public enum JSONWriter {
    public static func encode(_ value: JSONValue) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        write(value, into: &out)
        return out
    }

    public static func write(_ value: JSONValue, into out: inout [UInt8]) {
        switch value {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let b): out.append(contentsOf: b ? "true".utf8 : "false".utf8)
        case .int(let i): writeInt(i, into: &out)
        case .double(let d): writeDouble(d, into: &out)
        case .string(let s): writeString(s, into: &out)
        case .array(let a):
            out.append(UInt8(ascii: "["))
            for (n, v) in a.enumerated() {
                if n > 0 { out.append(UInt8(ascii: ",")) }
                write(v, into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let o):
            out.append(UInt8(ascii: "{"))
            var first = true
            for (k, v) in o {
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                writeMember(k, v, into: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// An object from members already known to have distinct keys (records the server builds
    /// itself, such as audit lines), without making a JSONObject first.
    public static func writeObject(_ members: [(String, JSONValue)], into out: inout [UInt8]) {
        out.append(UInt8(ascii: "{"))
        for i in members.indices {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            writeMember(members[i].0, members[i].1, into: &out)
        }
        out.append(UInt8(ascii: "}"))
    }

    private static func writeMember(_ key: String, _ value: JSONValue, into out: inout [UInt8]) {
        writeString(key, into: &out)
        out.append(UInt8(ascii: ":"))
        write(value, into: &out)
    }

    public static func writeInt(_ value: Int64, into out: inout [UInt8]) {
        // Up to 15 UTF-8 bytes String stores inline, so this does not allocate for usual values.
        out.append(contentsOf: String(value).utf8)
    }

    /// Shortest round-trip form (Swift's description: "0.5", "1e-07", "1.5e+300").
    /// JSON has no NaN/Infinity, so those are written as null.
    public static func writeDouble(_ value: Double, into out: inout [UInt8]) {
        guard value.isFinite else {
            out.append(contentsOf: "null".utf8)
            return
        }
        out.append(contentsOf: value.description.utf8)
    }

    /// Streaming string escaper: writes `s` as a quoted JSON string straight into `out`.
    /// Escapes `"` `\` and every byte < 0x20 (\n \r \t \b \f, else \u00XX), and U+2028/U+2029
    /// (valid JSON but line terminators for JavaScript and some line-oriented readers).
    /// All other UTF-8 is copied as is.
    public static func writeString(_ s: String, into out: inout [UInt8]) {
        var s = s  // withUTF8 may make a bridged/non-contiguous string contiguous
        s.withUTF8 { buf in
            out.reserveCapacity(out.count + buf.count + 2)
            out.append(UInt8(ascii: "\""))
            writeEscaped(buf, into: &out)
            out.append(UInt8(ascii: "\""))
        }
    }

    /// Escapes already-valid UTF-8 (no quotes added). A U+2028/U+2029 split across two calls
    /// is not escaped, so call it on whole strings.
    public static func writeEscaped(_ buf: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
        var run = 0
        var i = 0
        let n = buf.count
        while i < n {
            let c = buf[i]
            if c >= 0x20 && c != 0x22 && c != 0x5C && c != 0xE2 {
                i += 1
                continue
            }
            if c == 0xE2 {
                // U+2028 = E2 80 A8, U+2029 = E2 80 A9; other E2 sequences pass through.
                guard i + 2 < n, buf[i + 1] == 0x80, buf[i + 2] == 0xA8 || buf[i + 2] == 0xA9 else {
                    i += 1
                    continue
                }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: buf[run..<i]))
                out.append(contentsOf: (buf[i + 2] == 0xA8 ? "\\u2028" : "\\u2029").utf8)
                i += 3
                run = i
                continue
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: buf[run..<i]))
            switch c {
            case 0x22: out.append(contentsOf: "\\\"".utf8)
            case 0x5C: out.append(contentsOf: "\\\\".utf8)
            case 0x0A: out.append(contentsOf: "\\n".utf8)
            case 0x0D: out.append(contentsOf: "\\r".utf8)
            case 0x09: out.append(contentsOf: "\\t".utf8)
            case 0x08: out.append(contentsOf: "\\b".utf8)
            case 0x0C: out.append(contentsOf: "\\f".utf8)
            default:
                out.append(contentsOf: "\\u00".utf8)
                out.append(hexDigit(c >> 4))
                out.append(hexDigit(c & 0xF))
            }
            i += 1
            run = i
        }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: buf[run..<n]))
    }

    private static func hexDigit(_ v: UInt8) -> UInt8 {
        v < 10 ? UInt8(ascii: "0") + v : UInt8(ascii: "a") + v - 10
    }
}
