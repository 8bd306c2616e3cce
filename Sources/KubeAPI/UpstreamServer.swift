// UpstreamServer: a kubeconfig's `server` URL, parsed once into scheme, host, port and base
// path so the gateway never re-reads a string that could mean two things. Refused: user
// information (`https://good@evil`), queries, fragments, percent-escapes, backslashes,
// whitespace, empty or dot path segments, and hosts that are not plain DNS names or IP
// literals. Host allow-lists match the lowercased host exactly or, for `*.example.com`, any
// name under it (not example.com itself).

public struct UpstreamServer: Sendable, Equatable {
    public enum Scheme: String, Sendable, Equatable {
        case https, http
    }

    public var scheme: Scheme
    /// Lowercased; an IPv6 literal without brackets.
    public var host: String
    public var port: Int
    /// "" or "/prefix" (no trailing slash): API paths are appended to it.
    public var basePath: String

    public init(scheme: Scheme, host: String, port: Int, basePath: String = "") {
        self.scheme = scheme
        self.host = host
        self.port = port
        self.basePath = basePath
    }

    /// `https://host:port/base` (IPv6 hosts in brackets).
    public var url: String {
        let h = host.contains(":") ? "[\(host)]" : host
        return "\(scheme.rawValue)://\(h):\(port)\(basePath)"
    }

    /// The failure is a reason; `allowHTTP` only for the administrator's own kubeconfig.
    static func parse(_ text: String, allowHTTP: Bool, path at: String) -> Result<UpstreamServer, KubeconfigRefusal> {
        func bad(_ reason: String) -> Result<UpstreamServer, KubeconfigRefusal> {
            .failure(KubeconfigRefusal(.badServer, at, "\(quoted(text)): \(reason)"))
        }
        let lower = text.lowercased()
        let scheme: Scheme
        if lower.hasPrefix("https://") {
            scheme = .https
        } else if lower.hasPrefix("http://") && allowHTTP {
            scheme = .http
        } else {
            return bad("only https:// servers are accepted")
        }
        let rest = text.dropFirst(scheme.rawValue.count + 3)
        for c in rest.unicodeScalars {
            switch c {
            case "@": return bad("user information in the server URL is not accepted")
            case "?", "#": return bad("a query or fragment in the server URL is not accepted")
            case "%", "\\": return bad("escapes and backslashes in the server URL are not accepted")
            default:
                if c.value <= 0x20 || c.value >= 0x7F { return bad("the server URL has a space, control or non-ASCII character") }
            }
        }
        let authority = rest.prefix { $0 != "/" }
        var path = String(rest.dropFirst(authority.count))
        while path.hasSuffix("/") { path.removeLast() }
        let segments = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        if segments.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }) {
            return bad("the server URL path has an empty or dot segment")
        }
        let host: String
        var portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return bad("unterminated IPv6 literal") }
            host = authority[authority.index(after: authority.startIndex)..<close].lowercased()
            let after = authority[authority.index(after: close)...]
            guard after.isEmpty || after.hasPrefix(":") else { return bad("unexpected text after the IPv6 literal") }
            if !after.isEmpty { portText = after.dropFirst() }
            guard !host.isEmpty, host.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }) else {
                return bad("the IPv6 literal is malformed")
            }
        } else {
            let parts = authority.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count <= 2 else { return bad("the server URL authority is malformed") }
            host = parts[0].lowercased()
            if parts.count == 2 { portText = parts[1] }
            guard isDNSName(host) else { return bad("the server host \(quoted(host)) is not a DNS name or IP address") }
        }
        var port = scheme == .https ? 443 : 80
        if let portText {
            guard portText.allSatisfy({ $0.isASCII && $0.isNumber }), let p = Int(portText), (1...65535).contains(p) else {
                return bad("the server port is not a number from 1 to 65535")
            }
            port = p
        }
        return .success(UpstreamServer(scheme: scheme, host: host, port: port, basePath: path))
    }

    /// Letters, digits, hyphens and dots; no empty label.
    static func isDNSName(_ host: String) -> Bool {
        guard !host.isEmpty, host.utf8.count <= 253 else { return false }
        return host.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { label in
            !label.isEmpty && label.count <= 63 && label.utf8.allSatisfy {
                (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == UInt8(ascii: "-")
            }
        }
    }
}
