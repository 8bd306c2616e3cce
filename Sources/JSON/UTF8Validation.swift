// UTF8Validation: the one RFC 3629 well-formedness check of the project (no overlong forms, no
// surrogates, nothing above U+10FFFF). The JSON parser asks only "valid?"; the kubeconfig check
// asks where the first error is, to explain it in Python's words as the seed did.
// Why not String(validating:as:): it is generic over the encoding and went through runtime
// metadata lookups that cost ~25% of a small-request parse.

public enum UTF8Validation {
    /// The first ill-formed sequence: where it starts, how many of its bytes were valid before
    /// the error (Python reports that span), and why.
    public struct Failure: Equatable, Sendable {
        public enum Reason: String, Sendable {
            case invalidStartByte = "invalid start byte"
            case invalidContinuationByte = "invalid continuation byte"
            case unexpectedEnd = "unexpected end of data"
        }
        public let start: Int
        public let validBytes: Int
        public let reason: Reason
    }

    public static func isValid(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool { firstFailure(bytes) == nil }

    public static func firstFailure(in bytes: [UInt8]) -> Failure? {
        bytes.withUnsafeBufferPointer { firstFailure($0) }
    }

    public static func firstFailure(_ b: UnsafeBufferPointer<UInt8>) -> Failure? {
        var i = 0
        let n = b.count
        while i < n {
            let lead = b[i]
            if lead < 0x80 {
                i += 1
                continue
            }
            guard let (length, second) = shape(of: lead) else {
                return Failure(start: i, validBytes: 1, reason: .invalidStartByte)
            }
            var valid = 1
            while valid < length, i + valid < n {
                let c = b[i + valid]
                let ok = valid == 1 ? (c >= second.lowerBound && c <= second.upperBound) : (c & 0xC0 == 0x80)
                guard ok else { return Failure(start: i, validBytes: valid, reason: .invalidContinuationByte) }
                valid += 1
            }
            if valid < length { return Failure(start: i, validBytes: valid, reason: .unexpectedEnd) }
            i += length
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
}
