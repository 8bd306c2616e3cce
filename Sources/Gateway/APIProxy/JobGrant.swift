// JobGrant and JobGrants: what one running job may do through the API proxy, found by the
// random bearer token in the job's kubeconfig. A grant is issued when the job starts and revoked
// when it ends, so a token copied out of a job (`config view --flatten`) is worth nothing after
// it; it names the principal, the rule set and namespace scope decided for it, the upstream
// that holds the real credentials, and collects the refusals the tool result reports.
import Commands
import KubeAPI

/// One API request the proxy refused for a job, as the tool result and the audit log show it.
struct APIRefusal: Equatable {
    var rule: String
    var reason: String
    var verb: String
    var resource: String
    var namespace: String
    var name: String
}

final class JobGrant {
    let token: String
    let requestID: String
    let tool: Tool
    /// "gateway:<token name>", or "gateway:anonymous": the user named in Forbidden messages.
    let user: String
    let principalName: String?
    let rules: APIRuleSet
    let scope: KubeAPI.NamespaceScope
    let upstream: Upstream?
    /// helm reads its own release records (Secrets of type helm.sh/release.v1) unmasked.
    var helmJob: Bool { tool == .helm }
    private(set) var refusals: [APIRefusal] = []
    private(set) var requestCount = 0
    private(set) var revoked = false

    init(token: String, requestID: String, tool: Tool, principalName: String?, rules: APIRuleSet,
         scope: KubeAPI.NamespaceScope, upstream: Upstream?) {
        self.token = token
        self.requestID = requestID
        self.tool = tool
        self.principalName = principalName
        user = "gateway:" + (principalName ?? "anonymous")
        self.rules = rules
        self.scope = scope
        self.upstream = upstream
    }

    private(set) var maskedValues = 0

    func countRequest() { requestCount += 1 }
    func countMasked(_ values: Int) { maskedValues += values }

    /// Kept bounded: a command looping over refused requests must not grow memory.
    func record(_ refusal: APIRefusal) {
        if refusals.count < 32 { refusals.append(refusal) }
    }

    fileprivate func markRevoked() { revoked = true }
}

/// The live grants by token. Tokens are 256 random bits: guessing one is not a concern, and a
/// hash lookup keeps the proxy's per-request cost flat.
final class JobGrants {
    private var byToken: [String: JobGrant] = [:]

    var count: Int { byToken.count }

    func issue(requestID: String, tool: Tool, principalName: String?, rules: APIRuleSet,
               scope: KubeAPI.NamespaceScope, upstream: Upstream?) -> JobGrant? {
        guard let token = RandomID.hex(byteCount: 32) else { return nil }
        let grant = JobGrant(token: token, requestID: requestID, tool: tool, principalName: principalName,
                             rules: rules, scope: scope, upstream: upstream)
        byToken[token] = grant
        return grant
    }

    func find(token: String) -> JobGrant? { byToken[token] }

    func revoke(_ grant: JobGrant) {
        grant.markRevoked()
        if byToken[grant.token] === grant { byToken[grant.token] = nil }
    }
}
