// RandomID: unguessable identifiers and secrets from the kernel's CSPRNG (uv_random) as
// lowercase hex — MCP session ids and stored-output ids (128 bits, handed to clients, must not
// be enumerable) and the API proxy's per-job tokens (256 bits).
import CLibUV

enum RandomID {
    /// 32 hex characters; nil only if the kernel refused random bytes (then nothing can be
    /// minted safely).
    static func hex128() -> String? { hex(byteCount: 16) }

    /// `byteCount` random bytes as 2 × `byteCount` hex characters.
    static func hex(byteCount: Int) -> String? {
        var bytes = [UInt8](repeating: 0, count: byteCount)
        // uv_random without a callback is synchronous: getrandom(2), else /dev/urandom.
        let status = bytes.withUnsafeMutableBytes { uv_random(nil, nil, $0.baseAddress, $0.count, 0, nil) }
        guard status == 0 else { return nil }
        return hex(bytes)
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// A value that could be one of our 128-bit ids (the rest are refused without a lookup).
    static func isWellFormed(_ id: String) -> Bool {
        id.utf8.count == 32 && id.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }
    }
}
