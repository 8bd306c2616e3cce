// AuthSetup: puts the security parts on a new server — refuses to start without tokens on a
// non-loopback address (unless --insecure-no-auth), installs the bearer-token guard when tokens
// are configured, and the audit log. Called by Launcher before the server listens.
import Commands
import Logging

enum SecuritySetup {
    /// Installs exactly one router guard when tokens are configured, none otherwise
    /// (TokenReload relies on that to swap the guard on SIGHUP).
    static func install(on server: Server, logger: Logger) throws {
        let security = server.config.security
        let tokens = try AuthTokens.load(security)
        try checkExposure(host: server.config.host, tokens: tokens, security: security)
        if !tokens.isEmpty {
            let guardian = AuthGuard(tokens: tokens)
            server.router.guards.append { guardian.check($0) }
        } else if !SecurityConfig.isLoopback(server.config.host) {
            logger.warning("authentication is off on a non-loopback address (--insecure-no-auth)")
        }
        if let audit = try AuditLog.open(security.auditLog) {
            audit.install(on: server)
        }
        defer { logger.info("security", metadata: [
            "tokens": .stringConvertible(tokens.count), "policy": .stringConvertible(security.policy.enabled),
            "read_only": .stringConvertible(security.policy.readOnly), "audit_log": .string(security.auditLog),
        ]) }
    }

    static func checkExposure(host: String, tokens: [TokenEntry], security: SecurityConfig) throws {
        if tokens.isEmpty && !SecurityConfig.isLoopback(host) && !security.insecureNoAuth {
            throw AuthConfigError("""
                refusing to listen on \(host) without authentication: configure tokens \
                (--tokens-file, K8S_MCP_TOKENS or K8S_MCP_TOKEN), bind to 127.0.0.1, or pass --insecure-no-auth
                """)
        }
    }
}
