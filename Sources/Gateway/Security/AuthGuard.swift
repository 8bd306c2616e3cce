// AuthGuard: the pipeline stage that authenticates every HTTP request with a bearer token
// (REST and the MCP HTTP transports; stdio has no HTTP requests; MCP paths get their refusal as
// a JSON-RPC error, MCPAuthReply). /health stays open; /metrics
// may be answered before this stage (metrics.require_auth false). The token is hashed and
// compared with every entry in constant time, so timing tells nothing. SIGHUP replaces the
// tokens (file re-read) through `prepareReload`; no tokens means authentication is off.
import Commands
import HTTP1

final class AuthGuard {
    private var tokens: [TokenEntry]

    init(tokens: [TokenEntry]) {
        self.tokens = tokens
    }

    var stage: RequestStage {
        RequestStage(name: "authentication") { [unowned self] exchange in check(exchange) ? .next : .answered }
    }

    /// True lets the request through (with `exchange.principal` set when tokens are configured).
    func check(_ exchange: Exchange) -> Bool {
        switch authenticate(exchange.head) {
        case .success(let principal):
            exchange.principal = principal
            return true
        case .failure(let error):
            exchange.route = "unauthorized"
            // MCP clients show a JSON-RPC error; REST keeps FastAPI's shape.
            if MCPAuthReply.isMCPPath(exchange.head.path) {
                MCPAuthReply.respond(exchange, error)
            } else {
                exchange.respond(error: error)
            }
            return false
        }
    }

    /// The caller of a request: nil when authentication is off or the route is open.
    func authenticate(_ head: RequestHead) -> Result<Principal?, GatewayError> {
        guard !tokens.isEmpty else { return .success(nil) }
        // CORS preflights carry no credentials by design; they run no command.
        if head.path == "/health" || head.method == "OPTIONS" { return .success(nil) }
        guard let presented = Self.bearerToken(head.headers["Authorization"]) else {
            return .failure(.unauthorized("Not authenticated: send 'Authorization: Bearer <token>'"))
        }
        guard let principal = principal(for: presented) else { return .failure(.unauthorized("Invalid bearer token")) }
        return .success(principal)
    }

    func principal(for token: String) -> Principal? {
        let digest = SHA256.hash(Array(token.utf8))
        var match: Principal?
        for entry in tokens where ConstantTime.equals(entry.digest, digest) {
            match = entry.principal   // no early exit: every entry is compared
        }
        return match
    }

    /// Reload participant: loads the next tokens (refusing the reload when they do not load, or
    /// when they would leave a non-loopback address without any) and returns how to apply them.
    func prepareReload(_ next: GatewayConfig, running: GatewayConfig) throws -> () -> Void {
        let fresh = try AuthTokens.load(next.security)
        try ExposureCheck.onReload(host: running.host, hadTokens: !tokens.isEmpty, next: fresh, security: next.security)
        return { [self] in tokens = fresh }
    }

    /// "Bearer <token>" (scheme case-insensitive, RFC 6750); nil when absent or another scheme.
    static func bearerToken(_ header: String?) -> String? {
        guard let header else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let token = parts[1].drop { $0 == " " }
        return token.isEmpty ? nil : String(token)
    }
}
