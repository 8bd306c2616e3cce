// HeaderValue: MCP header value rules (2026-07-28 Streamable HTTP §Value Encoding):
// surrounding whitespace is trimmed, `=?base64?...?=` (lowercase markers, standard Base64 of
// UTF-8) is decoded, and characters HTTP does not allow in a field value make it malformed.

public enum HeaderValue {
    /// Trims OWS (space / tab). Pure string operation, no Foundation.
    public static func trim(_ raw: String) -> String {
        let u = raw.utf8
        guard let first = u.firstIndex(where: { $0 != 0x20 && $0 != 0x09 }) else { return "" }
        guard let last = u.lastIndex(where: { $0 != 0x20 && $0 != 0x09 }) else { return "" }
        // Only ASCII bytes are trimmed, so the byte slice is still whole UTF-8.
        return String(decoding: u[first...last], as: UTF8.self)
    }

    /// The value a header stands for, or nil when it is malformed (contains a character outside
    /// visible ASCII / space / tab, or a sentinel whose payload is not valid Base64 of UTF-8).
    /// Why reject raw non-ASCII: the spec makes clients Base64-encode such values and lists
    /// "a header value contains invalid characters" as a -32020 failure.
    public static func decodeSentinel(_ raw: String) -> String? {
        let value = trim(raw)
        guard value.utf8.allSatisfy({ ($0 >= 0x20 && $0 <= 0x7E) || $0 == 0x09 }) else { return nil }
        let prefix = "=?base64?"
        let suffix = "?="
        guard value.hasPrefix(prefix), value.hasSuffix(suffix),
            value.utf8.count >= prefix.utf8.count + suffix.utf8.count
        else { return value }
        let payload = Array(value.utf8.dropFirst(prefix.utf8.count).dropLast(suffix.utf8.count))
        guard let bytes = base64Decode(payload) else { return nil }
        return String(validating: bytes, as: UTF8.self)
    }

    /// Standard alphabet (RFC 4648 §4). Padding optional, but if present it must be correct;
    /// any other character (including whitespace or the URL-safe `-_`) fails.
    public static func base64Decode(_ input: [UInt8]) -> [UInt8]? {
        var chars = input[...]
        var pad = 0
        while chars.last == UInt8(ascii: "=") {
            chars.removeLast()
            pad += 1
        }
        guard pad <= 2, chars.count % 4 != 1 else { return nil }
        if pad > 0 && (chars.count + pad) % 4 != 0 { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(chars.count * 3 / 4)
        var acc: UInt32 = 0
        var bits = 0
        for c in chars {
            guard let v = sextet(c) else { return nil }
            acc = acc << 6 | UInt32(v)
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: acc >> UInt32(bits)))
            }
        }
        // Leftover bits must be zero (canonical encoding), else the text was not made by an encoder.
        if bits > 0 && acc & ((1 << UInt32(bits)) - 1) != 0 { return nil }
        return out
    }

    private static func sextet(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): return c - UInt8(ascii: "A")
        case UInt8(ascii: "a")...UInt8(ascii: "z"): return c - UInt8(ascii: "a") + 26
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0") + 52
        case UInt8(ascii: "+"): return 62
        case UInt8(ascii: "/"): return 63
        default: return nil
        }
    }
}
