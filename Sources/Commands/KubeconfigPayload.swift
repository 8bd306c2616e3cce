// KubeconfigPayload: the base64 kubeconfig a client sends (body field or X-Kubeconfig header)
// → the bytes the Gateway writes to a private temp file.
//
// Compatibility: the seed used Python's `base64.b64decode(s)` then `.decode('utf-8')`. Clients
// rely on its leniency (line-wrapped `base64` output, stray spaces), so this ports CPython's
// non-strict `binascii.a2b_base64` loop and reproduces its error texts, and then its UTF-8 check.

import JSON

public enum KubeconfigPayload {
    /// Decodes like Python's `base64.b64decode(s)`: only ASCII input; characters outside the
    /// standard alphabet are discarded; decoding stops at a complete padding sequence; a leftover
    /// partial quantum is an error. The result must be UTF-8 (the seed wrote it as text).
    /// The empty string gives empty bytes (the Gateway decides what "no kubeconfig" means).
    public static func decode(_ base64: String) throws(CommandError) -> [UInt8] {
        guard base64.utf8.allSatisfy({ $0 < 0x80 }) else {
            throw .invalidBase64Kubeconfig("string argument should contain only ASCII characters")
        }
        let bytes = try decodeBase64(Array(base64.utf8))
        if let failure = UTF8Validation.firstFailure(in: bytes) {
            throw .invalidBase64Kubeconfig(pythonMessage(failure, bytes))
        }
        return bytes
    }

    /// CPython's `binascii.a2b_base64(data, strict_mode=False)`, step for step.
    static func decodeBase64(_ input: [UInt8]) throws(CommandError) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(input.count / 4 * 3 + 3)
        var quadPosition = 0
        var leftChar: UInt8 = 0
        var pads = 0

        for byte in input {
            if byte == UInt8(ascii: "=") {
                // '=' before two data characters of a quantum is ignored; otherwise enough pads
                // to finish the quantum end the input, and anything after them is ignored.
                if quadPosition >= 2 {
                    pads += 1
                    if quadPosition + pads >= 4 {
                        return output
                    }
                }
                continue
            }
            guard let value = sextet(byte) else {
                continue  // not in the alphabet: discarded, like newlines in wrapped base64
            }
            pads = 0
            switch quadPosition {
            case 0:
                leftChar = value
                quadPosition = 1
            case 1:
                output.append(leftChar << 2 | value >> 4)
                leftChar = value & 0x0F
                quadPosition = 2
            case 2:
                output.append(leftChar << 4 | value >> 2)
                leftChar = value & 0x03
                quadPosition = 3
            default:
                output.append(leftChar << 6 | value)
                leftChar = 0
                quadPosition = 0
            }
        }

        switch quadPosition {
        case 0:
            return output
        case 1:
            let dataCharacters = output.count / 3 * 4 + 1
            throw .invalidBase64Kubeconfig(
                "Invalid base64-encoded string: number of data characters (\(dataCharacters)) "
                    + "cannot be 1 more than a multiple of 4")
        default:
            throw .invalidBase64Kubeconfig("Incorrect padding")
        }
    }

    private static func sextet(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): byte - UInt8(ascii: "A")
        case UInt8(ascii: "a")...UInt8(ascii: "z"): byte - UInt8(ascii: "a") + 26
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0") + 52
        case UInt8(ascii: "+"): 62
        case UInt8(ascii: "/"): 63
        default: nil
        }
    }

    /// Python's UnicodeDecodeError text ("'utf-8' codec can't decode byte 0xff in position 0:
    /// invalid start byte"), so a bad kubeconfig gets the words the seed returned.
    static func pythonMessage(_ failure: UTF8Validation.Failure, _ bytes: [UInt8]) -> String {
        let reason = failure.reason.rawValue
        if failure.validBytes == 1 {
            let byte = bytes[failure.start]
            let digits = Array("0123456789abcdef")
            let hex = String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
            return "'utf-8' codec can't decode byte 0x\(hex) in position \(failure.start): \(reason)"
        }
        return "'utf-8' codec can't decode bytes in position \(failure.start)-\(failure.start + failure.validBytes - 1): \(reason)"
    }
}
