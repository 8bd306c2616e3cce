// RequestSetup: turns an UpstreamRequest into easy-handle options — URL (with the TLS server-name
// override), method and body framing, headers, timeouts, TLS, protocol version. The transfer's
// callbacks are set by UpstreamTransfer itself.
import CCurl

/// Where libcurl connects and what it verifies. With a `serverName`, the URL's host is replaced by
/// that name (so SNI and certificate checks use it) and CURLOPT_CONNECT_TO sends the connection
/// to the real host; the Host header keeps the original authority.
struct UpstreamTarget {
    let url: String
    let connectTo: String?
    let authority: String
    let isHTTPS: Bool

    init(url: String, serverName: String?) throws(UpstreamError) {
        guard let handle = curl_url() else { throw .other(code: -1, message: "curl_url failed") }
        defer { curl_url_cleanup(handle) }
        func get(_ part: CURLUPart, _ flags: UInt32 = 0) -> String? {
            var out: UnsafeMutablePointer<CChar>?
            guard curl_url_get(handle, part, &out, flags) == CURLUE_OK, let out else { return nil }
            defer { curl_free(out) }
            return String(cString: out)
        }
        guard curl_url_set(handle, CURLUPART_URL, url, 0) == CURLUE_OK,
              let scheme = get(CURLUPART_SCHEME), scheme == "http" || scheme == "https",
              let host = get(CURLUPART_HOST), let port = get(CURLUPART_PORT, UInt32(CURLU_DEFAULT_PORT)) else {
            throw .invalidRequest("not an absolute http(s) URL: \(url.debugDescription)")
        }
        isHTTPS = scheme == "https"
        authority = get(CURLUPART_PORT).map { "\(host):\($0)" } ?? host
        guard let serverName, serverName != host else {
            self.url = url
            connectTo = nil
            return
        }
        guard UpstreamTarget.isHostName(serverName),
              curl_url_set(handle, CURLUPART_HOST, serverName, 0) == CURLUE_OK,
              let rewritten = get(CURLUPART_URL) else {
            throw .invalidRequest("bad TLS server name \(serverName.debugDescription)")
        }
        self.url = rewritten
        connectTo = "\(serverName):\(port):\(host):\(port)"
    }

    /// DNS names only: the value ends up inside a CONNECT_TO line, where ':' would split fields.
    static func isHostName(_ s: String) -> Bool {
        !s.isEmpty && s.utf8.count <= 253 && s.utf8.allSatisfy { c in
            (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) || (c >= 0x30 && c <= 0x39) || c == 0x2E || c == 0x2D
        }
    }
}

extension UpstreamRequest {
    func configure(_ easy: CurlEasy, _ options: CurlMulti.Options) throws(UpstreamError) {
        guard HTTPSyntax.isToken(method) else { throw .invalidRequest("bad method \(method.debugDescription)") }
        let target = try UpstreamTarget(url: url, serverName: tls.serverName)
        try easy.set(CURLOPT_URL, target.url)
        try easy.set(CURLOPT_PROTOCOLS_STR, "http,https")
        if let connectTo = target.connectTo { try easy.set(CURLOPT_CONNECT_TO, list: [connectTo]) }

        var hasBody = false
        switch method {
        case "GET": try easy.set(CURLOPT_HTTPGET, 1)
        case "HEAD": try easy.set(CURLOPT_NOBODY, 1)
        default: try easy.set(CURLOPT_CUSTOMREQUEST, method)
        }
        switch body {
        case .bytes(let bytes):
            hasBody = true
            try easy.setBody(bytes)
        case .none where ["POST", "PUT", "PATCH"].contains(method):
            // An explicit Content-Length: 0 rather than a body-less POST.
            hasBody = true
            try easy.setBody([])
        case .none:
            break
        case .streamed(let length):
            hasBody = true
            try easy.set(CURLOPT_POST, 1)
            // -1: unknown, which libcurl sends chunked on HTTP/1.1.
            try easy.set(CURLOPT_POSTFIELDSIZE_LARGE, offset: Int64(length ?? -1))
        }
        if case .streamed = body, method == "GET" || method == "HEAD" {
            throw .invalidRequest("\(method) with a streamed body")
        }

        var fields = headers
        if target.connectTo != nil && !headers.contains(where: { $0.0.lowercased() == "host" }) {
            fields.append(("Host", target.authority))
        }
        try easy.set(CURLOPT_HTTPHEADER, list: HTTPSyntax.curlHeaderLines(fields, hasBody: hasBody))

        try easy.set(CURLOPT_CONNECTTIMEOUT_MS, max(connectTimeoutMs, 1))
        try easy.set(CURLOPT_TIMEOUT_MS, max(totalTimeoutMs, 0))
        if let lowSpeedLimit {
            try easy.set(CURLOPT_LOW_SPEED_LIMIT, lowSpeedLimit.bytesPerSecond)
            try easy.set(CURLOPT_LOW_SPEED_TIME, lowSpeedLimit.seconds)
        }
        try options.applyConnectionOptions(easy, tunnel: false)
        if target.isHTTPS { try tls.apply(to: easy) }
    }
}
