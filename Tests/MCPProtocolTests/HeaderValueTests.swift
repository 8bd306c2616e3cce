// HeaderValue: OWS trimming, Base64 sentinel decoding, malformed values.
import MCPProtocol
import Testing

@Suite struct HeaderValueTests {
    @Test func trims() {
        #expect(HeaderValue.trim(" echo ") == "echo")
        #expect(HeaderValue.trim("\t a b \t") == "a b")
        #expect(HeaderValue.trim("   ") == "")
        #expect(HeaderValue.trim("") == "")
        #expect(HeaderValue.trim(" é ") == "é")
    }

    @Test(arguments: [
        ("echo", "echo"),
        (" echo ", "echo"),
        ("=?base64?ZWNobw==?=", "echo"),
        (" =?base64?ZWNobw==?= ", "echo"),
        ("=?base64?ZWNobw?=", "echo"),  // unpadded accepted
        ("=?base64?SGVsbG8sIOS4lueVjA==?=", "Hello, 世界"),  // spec examples
        ("=?base64?IHBhZGRlZCA=?=", " padded "),
        ("=?base64?bGluZTEKbGluZTI=?=", "line1\nline2"),
        ("=?base64?PT9iYXNlNjQ/bGl0ZXJhbD89?=", "=?base64?literal?="),
        ("=?base64??=", ""),
        ("=?BASE64?ZWNobw==?=", "=?BASE64?ZWNobw==?="),  // markers are case-sensitive: plain value
        ("=?base64?=", "=?base64?="),  // too short to hold both markers: plain value
        ("file:///a/b.json", "file:///a/b.json"),
    ])
    func decodes(_ raw: String, _ expected: String) {
        #expect(HeaderValue.decodeSentinel(raw) == expected)
    }

    @Test(arguments: [
        "=?base64?ZWNo!w==?=",  // bad alphabet
        "=?base64?ZWNobw=?=",  // wrong padding length
        "=?base64?ZWNobw===?=",
        "=?base64?Z?=",  // one leftover char cannot encode a byte
        "=?base64?ZWNob x==?=",  // inner space
        "=?base64?ZWNobx==?=",  // non-zero leftover bits (non-canonical)
        "=?base64?_-8=?=",  // URL-safe alphabet is not standard base64
        "=?base64?/w==?=",  // decodes to 0xFF, not UTF-8
        "=?base64?wK8=?=",  // overlong UTF-8
        "caf\u{E9}",  // raw non-ASCII must have been base64-encoded
        "a\u{1}b",  // control character
    ])
    func malformed(_ raw: String) {
        #expect(HeaderValue.decodeSentinel(raw) == nil, "accepted \(raw)")
    }

    @Test func base64RoundTripsAllByteValues() {
        // Encode with a tiny reference encoder and check the decoder inverts it.
        let table = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        for length in 0..<10 {
            let bytes = (0..<length).map { UInt8(($0 * 53 + 250) & 0xFF) }
            var enc: [UInt8] = []
            var i = 0
            while i < bytes.count {
                let chunk = Array(bytes[i..<min(i + 3, bytes.count)])
                let n = UInt32(chunk[0]) << 16 | UInt32(chunk.count > 1 ? chunk[1] : 0) << 8
                    | UInt32(chunk.count > 2 ? chunk[2] : 0)
                for k in 0..<4 {
                    enc.append(k <= chunk.count ? table[Int((n >> UInt32(18 - 6 * k)) & 63)] : UInt8(ascii: "="))
                }
                i += 3
            }
            #expect(HeaderValue.base64Decode(enc) == bytes, "length \(length)")
        }
    }
}
