// AuthGuard: the Router guard that authenticates every HTTP request with a bearer token
// (REST and the MCP HTTP transports; stdio never passes through the Router). /health stays
// open; /metrics is answered before this guard when metrics.require_auth is false. The token
// is hashed and compared with every entry in constant time, so timing tells nothing.
import Commands

final class AuthGuard {
    /// Empty: authentication is off (loopback, or --insecure-no-auth) and every request passes.
    private let tokens: [TokenEntry]

    init(tokens: [TokenEntry]) {
        self.tokens = tokens
    }

    /// Router guard: true lets the request through (with `exchange.principal` set).
    func check(_ exchange: Exchange) -> Bool {
        guard !tokens.isEmpty else {
            return true
        }
        let head = exchange.head
        // CORS preflights carry no credentials by design; they run no command.
        if head.path == "/health" || head.method == "OPTIONS" {
            return true
        }
        guard let presented = Self.bearerToken(head.headers["Authorization"]) else {
            exchange.route = "unauthorized"
            exchange.respond(error: .unauthorized("Not authenticated: send 'Authorization: Bearer <token>'"))
            return false
        }
        guard let principal = principal(for: presented) else {
            exchange.route = "unauthorized"
            exchange.respond(error: .unauthorized("Invalid bearer token"))
            return false
        }
        exchange.principal = principal
        return true
    }

    func principal(for token: String) -> Principal? {
        let digest = SHA256.hash(Array(token.utf8))
        var match: Principal?
        for entry in tokens where ConstantTime.equals(entry.digest, digest) {
            match = entry.principal   // no early exit: every entry is compared
        }
        return match
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
