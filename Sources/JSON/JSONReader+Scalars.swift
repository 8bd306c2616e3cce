// JSONReader scalars: strings (escapes, surrogate pairs, UTF-8 validation) and numbers
// (exact Int64 when the literal is an integer that fits, Double otherwise).

extension JSONReader {
    mutating func string() throws(JSONParseError) -> String {
        i += 1  // opening quote
        let start = i
        var seen: UInt8 = 0  // OR of all bytes: < 0x80 means pure ASCII, nothing to validate
        // Fast path: no escapes, the common case for MCP keys and values.
        while i < b.count {
            let c = b[i]
            if c == UInt8(ascii: "\"") {
                let s = try validated(UnsafeBufferPointer(rebasing: b[start..<i]), ascii: seen < 0x80)
                i += 1
                return s
            }
            seen |= c
            if c == UInt8(ascii: "\\") { break }
            if c < 0x20 { throw fail("raw control character in string") }
            i += 1
        }
        guard i < b.count else { throw fail("unterminated string") }
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: UnsafeBufferPointer(rebasing: b[start..<i]))
        while i < b.count {
            let c = b[i]
            switch c {
            case UInt8(ascii: "\""):
                i += 1
                return try scratch.withUnsafeBufferPointer { buf throws(JSONParseError) in try validated(buf, ascii: false) }
            case UInt8(ascii: "\\"):
                try escape()
            case 0..<0x20:
                throw fail("raw control character in string")
            default:
                scratch.append(c)
                i += 1
            }
        }
        throw fail("unterminated string")
    }

    private func validated(_ bytes: UnsafeBufferPointer<UInt8>, ascii: Bool) throws(JSONParseError) -> String {
        guard ascii || UTF8Validation.isValid(bytes) else { throw fail("invalid UTF-8 in string") }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Decodes one backslash escape at `i` into `scratch`.
    private mutating func escape() throws(JSONParseError) {
        i += 1
        guard i < b.count else { throw fail("unterminated escape") }
        let c = b[i]
        i += 1
        switch c {
        case UInt8(ascii: "\""): scratch.append(0x22)
        case UInt8(ascii: "\\"): scratch.append(0x5C)
        case UInt8(ascii: "/"): scratch.append(0x2F)
        case UInt8(ascii: "b"): scratch.append(0x08)
        case UInt8(ascii: "f"): scratch.append(0x0C)
        case UInt8(ascii: "n"): scratch.append(0x0A)
        case UInt8(ascii: "r"): scratch.append(0x0D)
        case UInt8(ascii: "t"): scratch.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try hex4()
            if (0xD800...0xDBFF).contains(scalar) {
                // A high surrogate must be followed by an escaped low surrogate.
                guard b.count - i >= 6, b[i] == UInt8(ascii: "\\"), b[i + 1] == UInt8(ascii: "u") else {
                    throw fail("lone surrogate in \\u escape")
                }
                i += 2
                let low = try hex4()
                guard (0xDC00...0xDFFF).contains(low) else { throw fail("lone surrogate in \\u escape") }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if (0xDC00...0xDFFF).contains(scalar) {
                throw fail("lone surrogate in \\u escape")
            }
            guard let u = Unicode.Scalar(scalar) else { throw fail("invalid \\u escape") }
            scratch.append(contentsOf: UTF8.encode(u) ?? UTF8.EncodedScalar())
        default:
            i -= 1
            throw fail("invalid escape")
        }
    }

    private mutating func hex4() throws(JSONParseError) -> UInt32 {
        guard b.count - i >= 4 else { throw fail("short \\u escape") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = b[i]
            let d: UInt8
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = c - UInt8(ascii: "A") + 10
            default: throw fail("invalid hex digit in \\u escape")
            }
            v = v << 4 | UInt32(d)
            i += 1
        }
        return v
    }

    mutating func number() throws(JSONParseError) -> JSONValue {
        let start = i
        let negative = b[i] == UInt8(ascii: "-")
        if negative { i += 1 }
        guard i < b.count, isDigit(b[i]) else { throw fail("invalid number") }
        // Accumulate negatively so Int64.min parses; overflow falls back to Double.
        var acc: Int64 = 0
        var fits = true
        if b[i] == UInt8(ascii: "0") {
            i += 1
            if i < b.count, isDigit(b[i]) { throw fail("leading zero in number") }
        } else {
            while i < b.count, isDigit(b[i]) {
                if fits {
                    let (m, o1) = acc.multipliedReportingOverflow(by: 10)
                    let (s, o2) = m.subtractingReportingOverflow(Int64(b[i] - UInt8(ascii: "0")))
                    if o1 || o2 { fits = false } else { acc = s }
                }
                i += 1
            }
        }
        var integral = true
        if i < b.count, b[i] == UInt8(ascii: ".") {
            integral = false
            i += 1
            guard i < b.count, isDigit(b[i]) else { throw fail("digit expected after '.'") }
            while i < b.count, isDigit(b[i]) { i += 1 }
        }
        if i < b.count, b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E") {
            integral = false
            i += 1
            if i < b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") { i += 1 }
            guard i < b.count, isDigit(b[i]) else { throw fail("digit expected in exponent") }
            while i < b.count, isDigit(b[i]) { i += 1 }
        }
        if integral && fits {
            if negative { return .int(acc) }
            if acc != Int64.min { return .int(-acc) }
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: b[start..<i]), as: UTF8.self)
        guard let d = Double(text), d.isFinite else { throw fail("number out of range") }
        return .double(d)
    }

    private func isDigit(_ c: UInt8) -> Bool { c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }
}
