// UpstreamRequest: one HTTP request to an upstream (a Kubernetes API server): method, absolute
// URL, headers, body, TLS and timeouts. Pure data; RequestSetup.swift turns it into easy-handle
// options.
public struct UpstreamRequest: Sendable {
    public enum Body: Sendable, Equatable {
        case none
        /// The whole body up front (kubectl's bodies are small).
        case bytes([UInt8])
        /// Fed by the caller through `UpstreamTransfer.sendBody` / `finishBody`, with backpressure.
        /// nil length: chunked on HTTP/1.1 (HTTP/2 frames it natively).
        case streamed(length: Int?)
    }

    /// Stall detection: fail when fewer than `bytesPerSecond` move for `seconds` in a row.
    public struct LowSpeedLimit: Sendable, Equatable {
        public var bytesPerSecond: Int
        public var seconds: Int
        public init(bytesPerSecond: Int, seconds: Int) {
            self.bytesPerSecond = bytesPerSecond
            self.seconds = seconds
        }
    }

    public var method: String
    /// Absolute http(s) URL including path and query, already percent-encoded.
    public var url: String
    /// Sent in order. Hop-by-hop headers and Content-Length are dropped (this layer owns framing);
    /// an empty value is sent as an empty header, not a removal.
    public var headers: [(String, String)]
    public var body: Body
    public var tls: TLSSettings
    public var connectTimeoutMs: Int
    /// 0 = none: watches and `logs -f` stream for as long as they like.
    public var totalTimeoutMs: Int
    public var lowSpeedLimit: LowSpeedLimit?

    public init(method: String, url: String, headers: [(String, String)] = [], body: Body = .none,
                tls: TLSSettings = TLSSettings(), connectTimeoutMs: Int = 10_000, totalTimeoutMs: Int = 0,
                lowSpeedLimit: LowSpeedLimit? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.tls = tls
        self.connectTimeoutMs = connectTimeoutMs
        self.totalTimeoutMs = totalTimeoutMs
        self.lowSpeedLimit = lowSpeedLimit
    }
}

/// Header and method checks shared by requests and tunnels. Pure.
enum HTTPSyntax {
    /// Connection-level headers: meaningless (or forbidden, in HTTP/2) on the upstream hop.
    static let hopByHop: Set<String> = [
        "connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "upgrade",
        "content-length", "expect", "trailer",
    ]

    static func isToken(_ s: String) -> Bool {
        !s.isEmpty && s.utf8.allSatisfy { c in
            switch c {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"):
                return true
            default:
                return "!#$%&'*+-.^_`|~".utf8.contains(c)
            }
        }
    }

    /// Field values may not carry CR, LF or NUL (header injection into the upstream request).
    static func isFieldValue(_ s: String) -> Bool {
        !s.utf8.contains { $0 == 0x0D || $0 == 0x0A || $0 == 0 }
    }

    /// The header lines for CURLOPT_HTTPHEADER, plus the lines that switch off libcurl's own
    /// defaults the caller did not ask for. `Name;` is libcurl's spelling of an empty header
    /// (`Name:` alone would remove it).
    static func curlHeaderLines(_ headers: [(String, String)], hasBody: Bool) throws(UpstreamError) -> [String] {
        var lines: [String] = []
        var seen: Set<String> = []
        for (name, value) in headers {
            guard isToken(name) else { throw .invalidRequest("bad header name \(name.debugDescription)") }
            guard isFieldValue(value) else { throw .invalidRequest("bad value for header \(name)") }
            let lower = name.lowercased()
            if hopByHop.contains(lower) { continue }
            seen.insert(lower)
            let trimmed = value.trimmingSpaces
            lines.append(trimmed.isEmpty ? "\(name);" : "\(name): \(trimmed)")
        }
        if !seen.contains("accept") { lines.append("Accept:") }
        // libcurl adds Expect: 100-continue to bodies over 1 MB and then waits up to a second.
        lines.append("Expect:")
        if hasBody && !seen.contains("content-type") { lines.append("Content-Type:") }
        return lines
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return String(s)
    }
}
