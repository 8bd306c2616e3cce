// UTF8Check: strict UTF-8 validation that explains the first error in Python's words
// ("'utf-8' codec can't decode byte 0xff in position 0: invalid start byte"), so a bad kubeconfig
// gets the same text the seed returned. Rules are Python's (and the Unicode standard's): no
// overlongs, no surrogates, nothing above U+10FFFF.

enum UTF8Check {
    /// nil when `bytes` is valid UTF-8, otherwise Python's UnicodeDecodeError text.
    static func firstError(in bytes: [UInt8]) -> String? {
        var index = 0
        while index < bytes.count {
            let lead = bytes[index]
            if lead < 0x80 {
                index += 1
                continue
            }
            guard let (length, secondRange) = shape(of: lead) else {
                return describe(bytes, start: index, end: index + 1, reason: "invalid start byte")
            }
            // Count how many bytes of the sequence are valid so far; Python reports that span.
            var valid = 1
            while valid < length, index + valid < bytes.count {
                let range: ClosedRange<UInt8> = valid == 1 ? secondRange : 0x80...0xBF
                guard range.contains(bytes[index + valid]) else {
                    return describe(
                        bytes, start: index, end: index + valid, reason: "invalid continuation byte")
                }
                valid += 1
            }
            if valid < length {
                return describe(bytes, start: index, end: index + valid, reason: "unexpected end of data")
            }
            index += length
        }
        return nil
    }

    /// Sequence length and the allowed range of the second byte for a lead byte.
    private static func shape(of lead: UInt8) -> (Int, ClosedRange<UInt8>)? {
        switch lead {
        case 0xC2...0xDF: (2, 0x80...0xBF)
        case 0xE0: (3, 0xA0...0xBF)          // no overlongs
        case 0xE1...0xEC, 0xEE...0xEF: (3, 0x80...0xBF)
        case 0xED: (3, 0x80...0x9F)          // no UTF-16 surrogates
        case 0xF0: (4, 0x90...0xBF)          // no overlongs
        case 0xF1...0xF3: (4, 0x80...0xBF)
        case 0xF4: (4, 0x80...0x8F)          // nothing above U+10FFFF
        default: nil
        }
    }

    private static func describe(_ bytes: [UInt8], start: Int, end: Int, reason: String) -> String {
        if end - start == 1 {
            return "'utf-8' codec can't decode byte 0x\(hex(bytes[start])) in position \(start): \(reason)"
        }
        return "'utf-8' codec can't decode bytes in position \(start)-\(end - 1): \(reason)"
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
    }
}
