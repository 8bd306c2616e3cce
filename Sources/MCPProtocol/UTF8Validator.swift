// UTF8Validator: RFC 3629 well-formedness check for string bytes (no overlong forms, no
// surrogates, nothing above U+10FFFF). Why not String(validating:as:): it is generic over the
// encoding and went through runtime metadata lookups that cost ~25% of a small-request parse.

enum UTF8Validator {
    static func isValid(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        let n = b.count
        while i < n {
            let c = b[i]
            if c < 0x80 {
                i += 1
                continue
            }
            if c < 0xC2 { return false }  // stray continuation byte or overlong 2-byte lead
            if c < 0xE0 {
                guard i + 1 < n, isContinuation(b[i + 1]) else { return false }
                i += 2
                continue
            }
            if c < 0xF0 {
                guard i + 2 < n else { return false }
                // E0 needs A0..BF (no overlongs), ED needs 80..9F (no surrogates).
                let lo: UInt8 = c == 0xE0 ? 0xA0 : 0x80
                let hi: UInt8 = c == 0xED ? 0x9F : 0xBF
                guard b[i + 1] >= lo, b[i + 1] <= hi, isContinuation(b[i + 2]) else { return false }
                i += 3
                continue
            }
            if c < 0xF5 {
                guard i + 3 < n else { return false }
                // F0 needs 90..BF (no overlongs), F4 needs 80..8F (max U+10FFFF).
                let lo: UInt8 = c == 0xF0 ? 0x90 : 0x80
                let hi: UInt8 = c == 0xF4 ? 0x8F : 0xBF
                guard b[i + 1] >= lo, b[i + 1] <= hi, isContinuation(b[i + 2]), isContinuation(b[i + 3]) else {
                    return false
                }
                i += 4
                continue
            }
            return false
        }
        return true
    }

    private static func isContinuation(_ c: UInt8) -> Bool { c & 0xC0 == 0x80 }
}
