// ExposureCheck: refuses to serve without tokens on a non-loopback address unless the operator
// said so (--insecure-no-auth) — at start and again for a reload that would remove every token.
import Commands

enum ExposureCheck {
    static func atStart(host: String, tokens: [TokenEntry], security: SecurityConfig) throws {
        if tokens.isEmpty && !SecurityConfig.isLoopback(host) && !security.insecureNoAuth {
            throw AuthConfigError("""
                refusing to listen on \(host) without authentication: configure tokens \
                (--tokens-file, K8S_MCP_TOKENS or K8S_MCP_TOKEN), bind to 127.0.0.1, or pass --insecure-no-auth
                """)
        }
    }

    static func onReload(host: String, hadTokens: Bool, next tokens: [TokenEntry], security: SecurityConfig) throws {
        if tokens.isEmpty && hadTokens && !SecurityConfig.isLoopback(host) && !security.insecureNoAuth {
            throw AuthConfigError("refusing to remove every token on \(host); restart with --insecure-no-auth to serve without")
        }
    }
}
