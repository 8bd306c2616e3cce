// LogRedactor: the one masking function every string passes on its way to the audit log or the
// server log (AuditLog, JSONLogHandler), and the per-word part of ArgvRedactor. It masks, in
// free text, without knowing where the text came from:
//
// - URL user information: `https://user:pass@host` → `https://user:<redacted>@host`, and
//   `https://ghp_token@host` → `https://<redacted>@host` (a lone user name is often a token);
// - credentials after an authorization scheme: `Bearer <token>`, `Basic <base64>`;
// - values of secret-looking keys (SecretRedactor.looksSecret) written `key=value` (helm
//   `--set*`, `--password=x`, query strings), `"key": value` (JSON, `--set-json` values) and
//   `--password value`: a quoted value to its closing quote, `{...}`/`[...]` to the matching
//   bracket, anything else to the next blank, comma, semicolon, '&' or quote.
//
// It is idempotent (the mask holds nothing it would mask again) and cheap for the common word
// with no '=', ':' or blank, which it returns untouched after one byte scan.

public enum LogRedactor {
    public static let mask = SecretRedactor.mask

    public static func redact(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == 0x3D || $0 == 0x3A || $0 == 0x20 }) else { return text }
        var bytes = Array(text.utf8)
        maskUserinfo(&bytes)
        maskSchemes(&bytes)
        maskKeyedValues(&bytes)
        return bytes.elementsEqual(text.utf8) ? text : String(decoding: bytes, as: UTF8.self)
    }

    // MARK: URL user information

    private static func maskUserinfo(_ s: inout [UInt8]) {
        var i = 0
        while i + 3 <= s.count {
            guard s[i] == 0x3A, s[i + 1] == 0x2F, s[i + 2] == 0x2F else { i += 1; continue }   // "://"
            let start = i + 3
            var end = start
            while end < s.count, !isAuthorityEnd(s[end]) { end += 1 }
            guard let at = s[start..<end].lastIndex(of: 0x40) else { i = end; continue }   // '@'
            let info = s[start..<at]
            let replacement: [UInt8]
            if let colon = info.firstIndex(of: 0x3A) {
                replacement = Array(s[start..<colon]) + [0x3A] + Array(mask.utf8)
            } else {
                replacement = Array(mask.utf8)
            }
            if Array(info) == replacement { i = end; continue }
            s.replaceSubrange(start..<at, with: replacement)
            i = start + replacement.count + (end - at)
        }
    }

    private static func isAuthorityEnd(_ b: UInt8) -> Bool {
        b == 0x2F || b == 0x3F || b == 0x23 || b == 0x20 || b == 0x09 || b == 0x0A || b == 0x22 || b == 0x27 || b == 0x3E
            || b == 0x2C
    }

    // MARK: Authorization schemes

    private static let schemes: [[UInt8]] = [Array("bearer ".utf8), Array("basic ".utf8)]

    private static func maskSchemes(_ s: inout [UInt8]) {
        var i = 0
        while i < s.count {
            guard i == 0 || !isWordByte(s[i - 1]), let scheme = schemes.first(where: { matchesFolded(s, at: i, $0) }) else {
                i += 1
                continue
            }
            let start = i + scheme.count
            var end = start
            while end < s.count, !isValueEnd(s[end]) { end += 1 }
            // A placeholder ("send 'Authorization: Bearer <token>'") and the mask itself stay.
            if end == start || s[start] == 0x3C { i = end; continue }
            s.replaceSubrange(start..<end, with: mask.utf8)
            i = start + mask.utf8.count
        }
    }

    // MARK: key=value, "key": value, --key value

    private static func maskKeyedValues(_ s: inout [UInt8]) {
        var i = 0
        while i < s.count {
            let b = s[i]
            var valueStart: Int?
            var keyRange: Range<Int>?
            if b == 0x3D, let key = keyBefore(s, i) {                       // key=value
                keyRange = key
                valueStart = i + 1
            } else if b == 0x22, let (key, colonEnd) = jsonKey(s, i) {      // "key": value
                keyRange = key
                valueStart = colonEnd
            } else if b == 0x20, let key = flagBefore(s, i) {               // --key value
                keyRange = key
                valueStart = i + 1
            }
            guard let start = valueStart, let key = keyRange,
                  SecretRedactor.looksSecret(String(decoding: s[key], as: UTF8.self)), !isFlagWithoutSecret(s[key]) else {
                i += 1
                continue
            }
            let end = valueEnd(s, from: start)
            guard end > start else { i = start; continue }
            let quoted = s[start] == 0x22 || s[start] == 0x27
            let replacement = quoted ? [s[start]] + Array(mask.utf8) + [s[start]] : Array(mask.utf8)
            if Array(s[start..<end]) != replacement { s.replaceSubrange(start..<end, with: replacement) }
            i = start + replacement.count
        }
    }

    /// The key ending just before `s[eq] == '='`: letters, digits and `_ - . [ ]`, leading dashes
    /// dropped (`--token=x`).
    private static func keyBefore(_ s: [UInt8], _ eq: Int) -> Range<Int>? {
        var start = eq
        while start > 0, isKeyByte(s[start - 1]) { start -= 1 }
        while start < eq, s[start] == 0x2D { start += 1 }
        return start < eq ? start..<eq : nil
    }

    /// `"key"` at `s[quote]` followed by optional blanks and ':'; the key and where the value starts.
    private static func jsonKey(_ s: [UInt8], _ quote: Int) -> (Range<Int>, Int)? {
        var end = quote + 1
        while end < s.count, s[end] != 0x22 {
            if s[end] == 0x5C || s[end] == 0x0A { return nil }
            end += 1
        }
        guard end < s.count, end > quote + 1 else { return nil }
        var colon = end + 1
        while colon < s.count, s[colon] == 0x20 { colon += 1 }
        guard colon < s.count, s[colon] == 0x3A else { return nil }
        var value = colon + 1
        while value < s.count, s[value] == 0x20 { value += 1 }
        return (quote + 1..<end, value)
    }

    /// A long flag (`--password`) ending just before the blank at `s[blank]`.
    private static func flagBefore(_ s: [UInt8], _ blank: Int) -> Range<Int>? {
        var start = blank
        while start > 0, isKeyByte(s[start - 1]) { start -= 1 }
        guard blank - start > 2, s[start] == 0x2D, s[start + 1] == 0x2D, start == 0 || s[start - 1] == 0x20 || s[start - 1] == 0x27,
              blank + 1 < s.count, s[blank + 1] != 0x2D else { return nil }
        return start + 2..<blank
    }

    /// Flags whose names look secret but take no secret (`--show-secret`, `--hide-secret`).
    private static func isFlagWithoutSecret(_ key: ArraySlice<UInt8>) -> Bool {
        let name = String(decoding: key, as: UTF8.self).lowercased()
        return ["show-secret", "hide-secret", "show-secrets"].contains(name)
    }

    /// Where a value starting at `start` ends: quotes and brackets are followed to their close.
    private static func valueEnd(_ s: [UInt8], from start: Int) -> Int {
        guard start < s.count else { return start }
        switch s[start] {
        case 0x22, 0x27:
            var i = start + 1
            while i < s.count, s[i] != s[start] {
                if s[i] == 0x5C { i += 1 }
                i += 1
            }
            return min(i + 1, s.count)
        case 0x7B, 0x5B:
            var depth = 0
            var i = start
            var inString = false
            while i < s.count {
                let b = s[i]
                if inString {
                    if b == 0x5C { i += 1 } else if b == 0x22 { inString = false }
                } else if b == 0x22 {
                    inString = true
                } else if b == 0x7B || b == 0x5B {
                    depth += 1
                } else if b == 0x7D || b == 0x5D {
                    depth -= 1
                    if depth == 0 { return i + 1 }
                }
                i += 1
            }
            return s.count
        default:
            var i = start
            while i < s.count, !isValueEnd(s[i]) {
                if s[i] == 0x5C { i += 1 }   // helm's `\,` keeps a comma in the value
                i += 1
            }
            return min(i, s.count)
        }
    }

    private static func isValueEnd(_ b: UInt8) -> Bool {
        b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D || b == 0x2C || b == 0x3B || b == 0x26 || b == 0x22 || b == 0x27
            || b == 0x7D || b == 0x5D
    }

    private static func isKeyByte(_ b: UInt8) -> Bool {
        isWordByte(b) || b == 0x2D || b == 0x2E || b == 0x5B || b == 0x5D
    }

    private static func isWordByte(_ b: UInt8) -> Bool {
        (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || (b >= 0x30 && b <= 0x39) || b == 0x5F
    }

    private static func matchesFolded(_ s: [UInt8], at i: Int, _ word: [UInt8]) -> Bool {
        guard i + word.count <= s.count else { return false }
        for (k, w) in word.enumerated() {
            let c = s[i + k]
            if (c >= 0x41 && c <= 0x5A ? c + 0x20 : c) != w { return false }
        }
        return true
    }
}
