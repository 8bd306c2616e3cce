// OriginPolicy: the browser rules of every route, pure. A web page the operator visits can send
// "simple" cross-origin requests (no preflight) to a loopback gateway, and DNS rebinding (a
// name the attacker controls, re-resolved to 127.0.0.1) lets it read the answers. So:
//
// - `Host` must be a loopback name (`localhost`, `*.localhost`), an IP literal (rebinding needs a
//   name: a literal cannot be re-pointed) or one of `http.allowed_hosts`; absent only on
//   HTTP/1.0, which no browser sends. Otherwise 421.
// - `Origin`, when present, must be a loopback origin (localhost, *.localhost, 127.0.0.0/8,
//   [::1]; http or https, any port) or one of `http.allowed_origins` (exact; `*` allows any).
//   Not every IP literal: a page served from any address would then pass. `null` (sandboxed
//   frames, file: pages) is refused. Otherwise 403. CLI clients send no Origin.
import Commands
import MCPProtocol

struct OriginPolicy: Equatable {
    enum Refusal: Equatable {
        case host(String)
        case origin(String)

        var rule: String {
            switch self {
            case .host: "host_not_allowed"
            case .origin: "origin_not_allowed"
            }
        }
    }

    var allowedOrigins: [String]
    var allowedHosts: [String]

    init(allowedOrigins: [String], allowedHosts: [String] = []) {
        self.allowedOrigins = allowedOrigins.map { Self.normalize($0) }
        self.allowedHosts = allowedHosts.map { Self.normalizeHost(Substring($0)) }
    }

    init(_ config: GatewayConfig) {
        self.init(allowedOrigins: config.allowedOrigins, allowedHosts: config.allowedHosts)
    }

    /// nil: the request may go on.
    func check(host: String?, origin: String?) -> Refusal? {
        if let host, !allowsHost(host) { return .host(host) }
        if let origin, !allows(origin) { return .origin(origin) }
        return nil
    }

    /// A `Host` field value (`name[:port]`, `[v6][:port]`).
    func allowsHost(_ value: String) -> Bool {
        guard let name = Self.hostName(ofAuthority: Self.trim(Substring(value))) else { return false }
        if Self.isLoopbackName(name) || Self.isIPLiteral(name) { return true }
        return HostPattern.matchesAny(name, allowedHosts)
    }

    /// nil (absent) is allowed: only browsers send the header, and only they can be tricked.
    func allows(_ origin: String?) -> Bool {
        guard let raw = origin else { return true }
        let origin = Self.normalize(raw)
        if Self.isLocalhost(origin) { return true }
        return allowedOrigins.contains("*") || allowedOrigins.contains(origin)
    }

    /// `scheme://host[:port]` with a loopback host (http or https).
    static func isLocalhost(_ origin: String) -> Bool {
        let rest: Substring
        if origin.hasPrefix("http://") {
            rest = origin.dropFirst(7)
        } else if origin.hasPrefix("https://") {
            rest = origin.dropFirst(8)
        } else {
            return false
        }
        guard let name = hostName(ofAuthority: rest) else { return false }
        return isLoopbackName(name) || isLoopbackIP(name)
    }

    /// The lower-cased host of `host[:port]` or `[v6][:port]` (brackets kept), trailing dot
    /// removed; nil when malformed (a path, user info, an empty name, a bad port).
    static func hostName(ofAuthority authority: Substring) -> String? {
        let host: Substring
        var port: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return nil }
            host = authority[authority.startIndex...close]
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.first == ":" else { return nil }
                port = after.dropFirst()
            }
        } else if let colon = authority.firstIndex(of: ":") {
            host = authority[..<colon]
            port = authority[authority.index(after: colon)...]
        } else {
            host = authority
        }
        if let port {
            guard !port.isEmpty, port.count <= 5, port.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), (Int(port) ?? 65536) <= 65535 else {
                return nil
            }
        }
        let name = normalizeHost(host)
        guard !name.isEmpty, name.utf8.allSatisfy(isHostByte) else { return nil }
        return name
    }

    static func isLoopbackName(_ name: String) -> Bool {
        name == "localhost" || name.hasSuffix(".localhost")
    }

    static func isLoopbackIP(_ name: String) -> Bool {
        name == "[::1]" || (isIPv4(name) && name.hasPrefix("127."))
    }

    /// A dotted quad of decimal octets, or a bracketed IPv6 literal.
    static func isIPLiteral(_ name: String) -> Bool {
        if name.hasPrefix("[") {
            return name.hasSuffix("]") && name.count > 2
                && name.utf8.dropFirst().dropLast().allSatisfy { $0 == 0x3A || $0 == 0x2E || isHexDigit($0) }
        }
        return isIPv4(name)
    }

    static func isIPv4(_ name: String) -> Bool {
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { part in
            !part.isEmpty && part.count <= 3 && part.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } && (Int(part) ?? 256) <= 255
        }
    }

    /// Lower-cased, surrounding whitespace and one trailing slash removed (origins have no path,
    /// but configuration files often carry `https://example.com/`).
    static func normalize(_ value: String) -> String {
        var s = String(trim(Substring(value))).lowercased()
        if s.hasSuffix("/") { s.removeLast() }
        return s
    }

    private static func normalizeHost(_ host: Substring) -> String {
        var s = String(trim(host)).lowercased()
        if s.hasSuffix(".") { s.removeLast() }
        return s
    }

    private static func trim(_ s: Substring) -> Substring {
        Substring(HeaderValue.trim(String(s)))
    }

    /// Letters, digits, '-', '.', '_', and the ':' '[' ']' of IPv6 literals.
    private static func isHostByte(_ b: UInt8) -> Bool {
        (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) || b == 0x2D || b == 0x2E || b == 0x5F
            || b == 0x3A || b == 0x5B || b == 0x5D
    }

    private static func isHexDigit(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x61 && b <= 0x66)
    }
}
