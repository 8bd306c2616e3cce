// JSONParser: bytes -> JSONValue (RFC 8259), strict, bounded, no Foundation.
//
// Why hand-written rather than JSONDecoder + a Decodable JSONValue: measured both (release build,
// 2-core dev VM while other builds ran, 253-byte tools/call request; rerun with
// `swift test -c release --filter ThroughputTests`): this parser ~3 us per parse, JSONDecoder
// into fixed Codable structs ~22 us, JSONDecoder into a Decodable JSON tree ~115 us (a tree
// needs trial decoding per value, and every failed try throws). JSONDecoder also cannot give
// the required semantics: keyed containers do not expose member order (we keep it), and its
// depth cap is 512 (we need 64). Here every rule is explicit: integers that fit Int64 stay
// `.int`, depth > 64 is an error, invalid UTF-8 / lone surrogates / raw control characters /
// trailing bytes are errors.

public struct JSONParseError: Error, Equatable, Sendable {
    public let message: String
    public init(_ message: String) { self.message = message }
}

public enum JSONParser {
    /// Deepest array/object nesting accepted. MCP messages nest < 15 deep; the cap keeps
    /// recursion (and stack use) bounded for hostile input such as 100000 '['.
    public static let maxDepth = 64

    public static func parse(_ bytes: [UInt8]) throws(JSONParseError) -> JSONValue {
        try bytes.withUnsafeBufferPointer { (buf) throws(JSONParseError) -> JSONValue in
            var reader = JSONReader(buf)
            return try reader.document()
        }
    }

    public static func parse(_ text: String) throws(JSONParseError) -> JSONValue {
        try parse(Array(text.utf8))
    }
}

/// Cursor over the input. One instance per document.
struct JSONReader {
    let b: UnsafeBufferPointer<UInt8>
    var i = 0
    var depth = 0
    /// Reused buffer for strings that contain escapes.
    var scratch: [UInt8] = []

    init(_ b: UnsafeBufferPointer<UInt8>) { self.b = b }

    func fail(_ what: String) -> JSONParseError {
        if i >= b.count { return JSONParseError("\(what) at end of input (offset \(i))") }
        return JSONParseError("\(what) at offset \(i)")
    }

    mutating func document() throws(JSONParseError) -> JSONValue {
        // A UTF-8 byte order mark is tolerated (RFC 8259 §8.1 allows ignoring it).
        if b.count >= 3, b[0] == 0xEF, b[1] == 0xBB, b[2] == 0xBF { i = 3 }
        skipWhitespace()
        let v = try value()
        skipWhitespace()
        guard i == b.count else { throw fail("trailing data after JSON value") }
        return v
    }

    mutating func skipWhitespace() {
        while i < b.count {
            switch b[i] {
            case 0x20, 0x0A, 0x0D, 0x09: i += 1
            default: return
            }
        }
    }

    mutating func value() throws(JSONParseError) -> JSONValue {
        guard i < b.count else { throw fail("expected a value") }
        switch b[i] {
        case UInt8(ascii: "{"): return .object(try object())
        case UInt8(ascii: "["): return .array(try array())
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
        default: throw fail("unexpected character")
        }
    }

    mutating func literal(_ word: StaticString) throws(JSONParseError) {
        let n = word.utf8CodeUnitCount
        guard b.count - i >= n else { throw fail("invalid literal") }
        let w = word.utf8Start
        for k in 0..<n where b[i + k] != w[k] { throw fail("invalid literal") }
        i += n
    }

    mutating func enter() throws(JSONParseError) {
        depth += 1
        if depth > JSONParser.maxDepth { throw fail("nesting deeper than \(JSONParser.maxDepth)") }
    }

    mutating func array() throws(JSONParseError) -> [JSONValue] {
        try enter()
        i += 1  // '['
        var out: [JSONValue] = []
        skipWhitespace()
        if i < b.count, b[i] == UInt8(ascii: "]") {
            i += 1
            depth -= 1
            return out
        }
        while true {
            skipWhitespace()
            out.append(try value())
            skipWhitespace()
            guard i < b.count else { throw fail("unterminated array") }
            if b[i] == UInt8(ascii: ",") { i += 1; continue }
            if b[i] == UInt8(ascii: "]") { i += 1; break }
            throw fail("expected ',' or ']'")
        }
        depth -= 1
        return out
    }

    mutating func object() throws(JSONParseError) -> JSONObject {
        try enter()
        i += 1  // '{'
        var out = JSONObject()
        skipWhitespace()
        if i < b.count, b[i] == UInt8(ascii: "}") {
            i += 1
            depth -= 1
            return out
        }
        while true {
            skipWhitespace()
            guard i < b.count, b[i] == UInt8(ascii: "\"") else { throw fail("expected a member name") }
            let key = try string()
            skipWhitespace()
            guard i < b.count, b[i] == UInt8(ascii: ":") else { throw fail("expected ':'") }
            i += 1
            skipWhitespace()
            out[key] = try value()
            skipWhitespace()
            guard i < b.count else { throw fail("unterminated object") }
            if b[i] == UInt8(ascii: ",") { i += 1; continue }
            if b[i] == UInt8(ascii: "}") { i += 1; break }
            throw fail("expected ',' or '}'")
        }
        depth -= 1
        return out
    }
}
