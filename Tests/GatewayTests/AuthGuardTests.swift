// AuthGuard without sockets: open routes, the bearer scheme, unknown and valid tokens, and the
// SIGHUP path — new tokens apply only after commit, a tokens file that does not load refuses
// the reload and keeps the old tokens, removing every token on a public address is refused.
import Commands
import Glibc
import HTTP1
import Testing
@testable import Gateway

@Suite struct AuthGuardTests {
    static let aliceToken = "alice-secret-token"
    static func entry(_ name: String, _ token: String, role: Role = .operator) -> TokenEntry {
        TokenEntry(digest: SHA256.hash(Array(token.utf8)), principal: Principal(name: name, role: role))
    }

    func head(_ path: String, method: String = "GET", authorization: String? = nil) -> RequestHead {
        var headers: HTTPHeaders = ["Host": "x"]
        if let authorization { headers.add("Authorization", authorization) }
        return RequestHead(method: method, target: path, headers: headers)
    }

    @Test func noTokensMeansEveryRequestPassesAnonymously() {
        let guardian = AuthGuard(tokens: [])
        #expect((try? guardian.authenticate(head("/tools/kubectl", method: "POST")).get()) == .some(nil))
    }

    @Test func tokensAreRequiredExceptForHealthAndPreflights() {
        let guardian = AuthGuard(tokens: [Self.entry("alice", Self.aliceToken)])
        for (path, method) in [("/tools/kubectl", "POST"), ("/mcp", "POST"), ("/metrics", "GET"), ("/tools/status", "GET")] {
            guard case .failure(.unauthorized(let message)) = guardian.authenticate(head(path, method: method)) else {
                Issue.record("\(method) \(path) passed without a token")
                continue
            }
            #expect(message.contains("Bearer"))
        }
        #expect((try? guardian.authenticate(head("/health")).get()) == .some(nil))
        #expect((try? guardian.authenticate(head("/mcp", method: "OPTIONS")).get()) == .some(nil))
    }

    @Test(arguments: ["Bearer wrong", "Basic YWxpY2U6eA==", "Bearer", "bearer  ", "alice-secret-token", "Bearer alice-secret-tokenX"])
    func wrongCredentialsAreRefused(authorization: String) {
        let guardian = AuthGuard(tokens: [Self.entry("alice", Self.aliceToken)])
        guard case .failure(.unauthorized) = guardian.authenticate(head("/tools/kubectl", authorization: authorization)) else {
            Issue.record("'\(authorization)' was accepted")
            return
        }
    }

    @Test(arguments: ["Bearer alice-secret-token", "bearer alice-secret-token", "BEARER   alice-secret-token"])
    func theRightTokenNamesItsPrincipal(authorization: String) {
        let guardian = AuthGuard(tokens: [Self.entry("bob", "b"), Self.entry("alice", Self.aliceToken, role: .readOnly)])
        let result = guardian.authenticate(head("/tools/kubectl", authorization: authorization))
        guard case .success(let principal?) = result else {
            Issue.record("refused: \(result)")
            return
        }
        #expect(principal.name == "alice")
        #expect(principal.role == .readOnly)
    }

    @Test func reloadAppliesNewTokensOnlyWhenCommitted() throws {
        let guardian = AuthGuard(tokens: [Self.entry("alice", Self.aliceToken)])
        var next = GatewayConfig()
        next.security.plainToken = "rotated"
        let commit = try guardian.prepareReload(next, running: GatewayConfig())
        #expect(guardian.principal(for: Self.aliceToken)?.name == "alice")   // not yet
        commit()
        #expect(guardian.principal(for: Self.aliceToken) == nil)
        #expect(guardian.principal(for: "rotated")?.name == "default")
    }

    @Test func reloadWithAnUnreadableTokensFileIsRefused() {
        let guardian = AuthGuard(tokens: [Self.entry("alice", Self.aliceToken)])
        var next = GatewayConfig()
        next.security.tokensFile = "/nonexistent/tokens.yaml"
        #expect(throws: (any Error).self) { _ = try guardian.prepareReload(next, running: GatewayConfig()) }
        #expect(guardian.principal(for: Self.aliceToken)?.name == "alice")
    }

    @Test func removingEveryTokenOnAPublicAddressIsRefused() throws {
        let guardian = AuthGuard(tokens: [Self.entry("alice", Self.aliceToken)])
        var running = GatewayConfig()
        running.host = "0.0.0.0"
        #expect(throws: (any Error).self) { _ = try guardian.prepareReload(running, running: running) }
        var insecure = running
        insecure.security.insecureNoAuth = true
        try guardian.prepareReload(insecure, running: running)()
        #expect((try? guardian.authenticate(head("/tools/kubectl")).get()) == .some(nil))
        // On loopback an empty token list is fine (authentication off).
        let local = AuthGuard(tokens: [Self.entry("alice", Self.aliceToken)])
        try local.prepareReload(GatewayConfig(), running: GatewayConfig())()
    }
}
