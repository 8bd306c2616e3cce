// RandomToken: secrets and ids from the kernel's CSPRNG (uv_random without a callback is
// synchronous: getrandom(2), else /dev/urandom), as lowercase hex — per-job API tokens, MCP
// session ids.
import CLibUV

enum RandomToken {
    /// `byteCount` random bytes as 2 × `byteCount` hex characters; nil only if the kernel refused.
    static func hex(byteCount: Int) -> String? {
        var bytes = [UInt8](repeating: 0, count: byteCount)
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
}
