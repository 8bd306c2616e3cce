// ExecCredential: what an exec credential plugin prints (client.authentication.k8s.io v1 or
// v1beta1): a bearer token and/or a client certificate and key, and when they expire. Pure:
// the bytes of the plugin's stdout in, the credential or the reason out.
import Glibc
import JSON

struct ExecCredential: Equatable {
    var token: String?
    var clientCertificatePEM: [UInt8]?
    var clientKeyPEM: [UInt8]?
    /// Seconds since the epoch; nil: valid until the API server says otherwise (a 401).
    var expiresAt: Int?

    static let apiVersions: Set<String> = ["client.authentication.k8s.io/v1", "client.authentication.k8s.io/v1beta1"]

    static func parse(_ stdout: [UInt8]) -> Result<ExecCredential, FileProblem> {
        func fail(_ why: String) -> Result<ExecCredential, FileProblem> { .failure(FileProblem(description: why)) }
        let value: JSONValue
        do { value = try JSONParser.parse(stdout) } catch { return fail("the plugin printed no JSON: \(error.message)") }
        guard value["kind"]?.stringValue == "ExecCredential" else { return fail("the plugin's output is not an ExecCredential") }
        guard let version = value["apiVersion"]?.stringValue, apiVersions.contains(version) else {
            return fail("unsupported ExecCredential apiVersion")
        }
        guard let status = value["status"]?.objectValue else { return fail("the ExecCredential has no status") }
        var out = ExecCredential()
        out.token = status["token"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        out.clientCertificatePEM = status["clientCertificateData"]?.stringValue.map { Array($0.utf8) }
        out.clientKeyPEM = status["clientKeyData"]?.stringValue.map { Array($0.utf8) }
        if (out.clientCertificatePEM == nil) != (out.clientKeyPEM == nil) {
            return fail("the ExecCredential has a client certificate without its key, or a key without its certificate")
        }
        if out.token == nil && out.clientCertificatePEM == nil { return fail("the ExecCredential holds no token and no certificate") }
        if let token = out.token, !token.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) {
            return fail("the ExecCredential's token is not a valid header value")
        }
        if let stamp = status["expirationTimestamp"]?.stringValue {
            guard let seconds = rfc3339(stamp) else { return fail("unreadable expirationTimestamp") }
            out.expiresAt = seconds
        }
        return .success(out)
    }

    /// `2026-12-08T10:00:00Z`, with optional fractional seconds and a `+hh:mm` offset.
    static func rfc3339(_ text: String) -> Int? {
        let b = Array(text.utf8)
        func digits(_ from: Int, _ count: Int) -> Int? {
            guard from + count <= b.count else { return nil }
            var n = 0
            for c in b[from..<(from + count)] {
                guard c >= 0x30 && c <= 0x39 else { return nil }
                n = n * 10 + Int(c - 0x30)
            }
            return n
        }
        guard b.count >= 20, b[4] == 0x2D, b[7] == 0x2D, b[10] == 0x54 || b[10] == 0x74, b[13] == 0x3A, b[16] == 0x3A,
              let year = digits(0, 4), let month = digits(5, 2), let day = digits(8, 2),
              let hour = digits(11, 2), let minute = digits(14, 2), let second = digits(17, 2),
              (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61 else { return nil }
        var i = 19
        if b[i] == 0x2E {
            i += 1
            while i < b.count, b[i] >= 0x30 && b[i] <= 0x39 { i += 1 }
        }
        guard i < b.count else { return nil }
        var offset = 0
        if b[i] == 0x5A || b[i] == 0x7A {
            guard i + 1 == b.count else { return nil }
        } else {
            guard b[i] == 0x2B || b[i] == 0x2D, i + 6 == b.count, b[i + 3] == 0x3A,
                  let oh = digits(i + 1, 2), let om = digits(i + 4, 2), oh < 24, om < 60 else { return nil }
            offset = (oh * 3600 + om * 60) * (b[i] == 0x2B ? 1 : -1)
        }
        var parts = tm()
        parts.tm_year = Int32(year - 1900)
        parts.tm_mon = Int32(month - 1)
        parts.tm_mday = Int32(day)
        parts.tm_hour = Int32(hour)
        parts.tm_min = Int32(minute)
        parts.tm_sec = Int32(second)
        return Int(timegm(&parts)) - offset
    }
}
