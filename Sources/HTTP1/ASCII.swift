// ASCII byte constants and character classes (RFC 9110 §5.6) shared by the parser and encoders.
// Everything here works on bytes, never on Characters: HTTP syntax is defined over octets and
// Swift's grapheme clustering would merge "\r\n" into one Character.

enum ASCII {
    static let cr: UInt8 = 0x0D
    static let lf: UInt8 = 0x0A
    static let sp: UInt8 = 0x20
    static let htab: UInt8 = 0x09
    static let colon: UInt8 = 0x3A
    static let comma: UInt8 = 0x2C
    static let semicolon: UInt8 = 0x3B
    static let slash: UInt8 = 0x2F
    static let question: UInt8 = 0x3F
    static let hash: UInt8 = 0x23
    static let star: UInt8 = 0x2A
    static let dot: UInt8 = 0x2E
    static let percent: UInt8 = 0x25
    static let plus: UInt8 = 0x2B
    static let equals: UInt8 = 0x3D
    static let ampersand: UInt8 = 0x26

    /// tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA
    static func isTChar(_ b: UInt8) -> Bool {
        switch b {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: return true
        case 0x21, 0x23, 0x24, 0x25, 0x26, 0x27, 0x2A, 0x2B, 0x2D, 0x2E, 0x5E, 0x5F, 0x60, 0x7C, 0x7E: return true
        default: return false
        }
    }

    static func isToken<C: Collection>(_ bytes: C) -> Bool where C.Element == UInt8 {
        !bytes.isEmpty && bytes.allSatisfy(isTChar)
    }

    static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

    /// Optional whitespace (OWS) is SP / HTAB only.
    static func isOWS(_ b: UInt8) -> Bool { b == sp || b == htab }

    /// CTLs other than HTAB are never valid inside a field value or chunk extension.
    static func isForbiddenInValue(_ b: UInt8) -> Bool { (b < 0x20 && b != htab) || b == 0x7F }

    static func hexValue(_ b: UInt8) -> Int? {
        switch b {
        case 0x30...0x39: return Int(b - 0x30)
        case 0x41...0x46: return Int(b - 0x41 + 10)
        case 0x61...0x66: return Int(b - 0x61 + 10)
        default: return nil
        }
    }

    static func lower(_ b: UInt8) -> UInt8 { (b >= 0x41 && b <= 0x5A) ? b | 0x20 : b }

    /// ASCII case-insensitive comparison; header names are ASCII tokens, so no Unicode folding.
    static func caseInsensitiveEquals(_ a: String, _ b: String) -> Bool {
        // Different lengths cannot match (case folding here is ASCII-only, one byte to one byte);
        // the count is O(1) for native strings, and most comparisons end here.
        guard a.utf8.count == b.utf8.count else { return false }
        var ia = a.utf8.makeIterator()
        var ib = b.utf8.makeIterator()
        while true {
            switch (ia.next(), ib.next()) {
            case (nil, nil): return true
            case let (x?, y?): if lower(x) != lower(y) { return false }
            default: return false
            }
        }
    }

    static func lowercased(_ s: String) -> String {
        String(decoding: s.utf8.map(lower), as: UTF8.self)
    }

    /// Trims OWS from both ends of a byte slice.
    static func trimOWS(_ s: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var lo = s.startIndex
        var hi = s.endIndex
        while lo < hi, isOWS(s[lo]) { lo += 1 }
        while hi > lo, isOWS(s[hi - 1]) { hi -= 1 }
        return s[lo..<hi]
    }

    /// Splits a `#element` list (RFC 9110 §5.6.1) into trimmed, lower-cased elements, dropping
    /// empty ones as the RFC requires recipients to do.
    static func commaList(_ value: String) -> [String] {
        let bytes = Array(value.utf8)
        return bytes.split(separator: comma, omittingEmptySubsequences: false).compactMap { part in
            let trimmed = trimOWS(part)
            return trimmed.isEmpty ? nil : String(decoding: trimmed.map(lower), as: UTF8.self)
        }
    }
}
