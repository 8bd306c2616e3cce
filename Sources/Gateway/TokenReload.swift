// TokenReload: lets SIGHUP change the accepted bearer tokens. SecuritySetup installs a token
// guard built once at start; this puts a switch in its place that delegates to a guard rebuilt
// from the reloaded configuration (tokens file re-read), so tokens can be added, rotated or
// revoked without a restart. Removing every token on a non-loopback address is refused.
import Logging

final class TokenReload {
    private var current: AuthGuard?
    /// False when the guards SecuritySetup installed are not the one token guard we expect;
    /// then tokens keep their start-up values and a reload that changes them is refused.
    let isActive: Bool

    /// Call right after SecuritySetup.install with the guard count before it.
    init(server: Server, guardsBefore: Int, logger: Logger) {
        let added = server.router.guards.count - guardsBefore
        let tokens = (try? AuthTokens.load(server.config.security)) ?? []
        guard added == (tokens.isEmpty ? 0 : 1) else {
            isActive = false
            logger.warning("token reload unavailable: unexpected guards from the security setup")
            return
        }
        isActive = true
        current = tokens.isEmpty ? nil : AuthGuard(tokens: tokens)
        let check: (Exchange) -> Bool = { [unowned self] exchange in current?.check(exchange) ?? true }
        if added == 1 {
            server.router.guards[guardsBefore] = check
        } else {
            server.router.guards.append(check)
        }
    }

    /// Validates the reloaded tokens; returns what applies them, or throws to refuse the reload.
    func prepare(_ next: GatewayConfig, running: GatewayConfig) throws -> () -> Void {
        let tokens = try AuthTokens.load(next.security)
        guard isActive else {
            if next.security != running.security, (try? AuthTokens.load(running.security)) != tokens {
                throw AuthConfigError("tokens cannot be reloaded in this build; restart to change them")
            }
            return {}
        }
        if tokens.isEmpty && current != nil && !SecurityConfig.isLoopback(running.host) && !next.security.insecureNoAuth {
            throw AuthConfigError("refusing to remove every token on \(running.host); restart with --insecure-no-auth to serve without")
        }
        return { [self] in current = tokens.isEmpty ? nil : AuthGuard(tokens: tokens) }
    }
}
