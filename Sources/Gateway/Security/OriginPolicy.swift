// OriginPolicy: the DNS-rebinding guard of the MCP endpoints (checklist §6). A request whose
// `Origin` header is present and not allowed gets 403 with a JSON-RPC error body without id.
// Allowed: no Origin at all (CLI clients never send one), localhost origins on any port, and
// the configured `mcp.allowed_origins` (exact, case-insensitive; `*` allows every origin).
import JSON
import JSON
import MCPProtocol

struct OriginPolicy: Equatable {
    var configured: [String]

    init(configured: [String]) {
        self.configured = configured.map { Self.normalize($0) }
    }

    /// nil (absent) is allowed: the header is what browsers send, and only browsers can be
    /// tricked into reaching a loopback service from a foreign page.
    func allows(_ origin: String?) -> Bool {
        guard let raw = origin else { return true }
        let origin = Self.normalize(raw)
        if Self.isLocalhost(origin) { return true }
        return configured.contains("*") || configured.contains(origin)
    }

    /// `scheme://host[:port]` with host localhost, 127.0.0.1 or [::1] (http or https).
    static func isLocalhost(_ origin: String) -> Bool {
        let rest: Substring
        if origin.hasPrefix("http://") {
            rest = origin.dropFirst(7)
        } else if origin.hasPrefix("https://") {
            rest = origin.dropFirst(8)
        } else {
            return false
        }
        let host: Substring
        let port: Substring?
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { return false }
            host = rest[rest.startIndex...close]
            let after = rest[rest.index(after: close)...]
            if after.isEmpty {
                port = nil
            } else {
                guard after.first == ":" else { return false }
                port = after.dropFirst()
            }
        } else if let colon = rest.firstIndex(of: ":") {
            host = rest[..<colon]
            port = rest[rest.index(after: colon)...]
        } else {
            host = rest
            port = nil
        }
        if let port {
            guard !port.isEmpty, port.count <= 5, port.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return false }
        }
        return host == "localhost" || host == "127.0.0.1" || host == "[::1]"
    }

    /// Lower-cased, surrounding whitespace and one trailing slash removed (origins have no path,
    /// but configuration files often carry `https://example.com/`).
    static func normalize(_ value: String) -> String {
        var s = HeaderValue.trim(value).lowercased()
        if s.hasSuffix("/") { s.removeLast() }
        return s
    }

    /// The 403 body: a JSON-RPC error without id (the request was not read).
    static let forbiddenBody: JSONValue = .object([
        "jsonrpc": "2.0",
        "error": .object(["code": .int(Int64(RPCError.invalidRequest)), "message": "Forbidden: Origin not allowed"]),
    ])
}

extension OriginPolicy {
    /// False after answering 403 for a disallowed Origin. The allow-list is read per request, so
    /// a SIGHUP reload applies to the next one.
    static func admit(_ exchange: Exchange, context: GatewayContext) -> Bool {
        let origin = exchange.head.headers["Origin"]
        guard OriginPolicy(configured: context.config.allowedOrigins).allows(origin) else {
            context.logger.info("MCP request refused: Origin not allowed", metadata: [
                "request_id": .string(exchange.requestID), "origin": .string(origin ?? "")])
            exchange.respondJSON(status: 403, forbiddenBody)
            return false
        }
        return true
    }
}
