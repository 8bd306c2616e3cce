// ProxyHandler: one API request from a child, decided where it is unambiguous. In order: whose
// job it is (the bearer token in the job's kubeconfig), what it does (the API server's own
// request attributes, impersonation included), whether the job's rules allow it — a refusal is
// answered as the API server would (403 Status naming the gateway rule) and remembered for the
// tool result — then the upstream with the gateway's real credentials (discovery from the
// cache when fresh), and the answer with Secret values masked. Every request ends in one audit
// line; no credential ever reaches it.
import Commands
import HTTP1
import JSON
import KubeAPI
import UpstreamHTTP

final class ProxyHandler {
    private let context: GatewayContext
    private let grants: JobGrants
    private let multi: CurlMulti
    private let caches: DiscoveryCaches
    private let resolver = RequestInfoResolver()

    init(context: GatewayContext, grants: JobGrants, multi: CurlMulti, caches: DiscoveryCaches) {
        self.context = context
        self.grants = grants
        self.multi = multi
        self.caches = caches
    }

    func handle(_ exchange: Exchange) {
        let started = context.loop.now
        var line = APIAuditLine(requestID: nil, principal: nil, method: exchange.head.method)
        func finish(_ status: Int, decision: String, rule: String? = nil, bytes: Int = 0, error: String? = nil) {
            line.status = status
            line.decision = decision
            line.rule = rule
            line.bytes = bytes
            line.error = error
            line.durationMs = Int(context.loop.now &- started)
            for observer in context.events.apiRequest { observer(line) }
        }
        guard let token = AuthGuard.bearerToken(exchange.head.headers["Authorization"]), let grant = grants.find(token: token) else {
            Self.respond(exchange, 401, KubeStatus.unauthorized("this token belongs to no running job"))
            return finish(401, decision: "unauthenticated")
        }
        grant.countRequest()
        line.requestID = grant.requestID
        line.principal = grant.principalName
        let attributes: RequestAttributes
        switch resolver.resolve(method: exchange.head.method, target: exchange.head.target) {
        case .success(let a): attributes = a
        case .failure(let refusal):
            Self.respond(exchange, 400, KubeStatus.badRequest(refusal))
            return finish(400, decision: "invalid", error: "\(refusal)")
        }
        line.attributes = attributes
        let scopes = caches.cache(for: grant.upstream)
        // Impersonation is an action of its own (verb impersonate), checked before the request.
        let headerPairs = exchange.head.headers.map { (name: $0.name, value: $0.value) }
        let impersonation: [RequestAttributes]
        switch ImpersonationAttributes.from(headers: headerPairs) {
        case .success(let list): impersonation = list
        case .failure(let malformed):
            Self.respond(exchange, 400, KubeStatus.status(code: 400, reason: "BadRequest", message: malformed.description))
            return finish(400, decision: "invalid", error: malformed.description)
        }
        for checked in impersonation + [attributes] {
            let decision = grant.rules.decide(checked, scope: grant.scope, resources: scopes)
            guard case .deny(let rule, let reason) = decision else { continue }
            grant.record(APIRefusal(rule: rule, reason: reason, verb: checked.verb, resource: checked.combinedResource,
                                    namespace: checked.namespace, name: checked.name))
            Self.respond(exchange, 403, KubeStatus.forbidden(attributes: checked, user: grant.user, decision: decision))
            return finish(403, decision: "deny", rule: rule)
        }
        if attributes.isSecretRequest, ["create", "update", "patch"].contains(attributes.verb),
           SecretMasker.containsMarker(exchange.request.body) || Self.containsOutputMask(exchange.request.body) {
            // `get secret -o yaml | kubectl apply -f -` would write the marker over the real values.
            Self.respond(exchange, 422, KubeStatus.status(code: 422, reason: "Invalid", message:
                "k8s-mcp-server API proxy: the Secret holds values masked by the gateway; writing them back would destroy the real ones"))
            return finish(422, decision: "invalid", rule: "masked-secret-write")
        }
        guard let upstream = grant.upstream else {
            Self.respondFailure(exchange, 503, "no cluster is configured (cluster.kubeconfig, KUBECONFIG, or a request kubeconfig)")
            return finish(503, decision: "allow", error: "no upstream")
        }
        line.credentialSource = upstream.credentialSource
        line.upstreamHost = upstream.server.host
        let accept = exchange.head.headers["Accept"]
        let cacheable = DiscoveryCache.isCacheable(method: exchange.head.method, attributes: attributes)
        let cacheKey = DiscoveryCache.key(target: exchange.head.target, accept: accept)
        let ttlMs = UInt64(context.config.apiDiscoveryTTLSeconds * 1000)
        if cacheable, let entry = scopes.lookup(cacheKey, nowMs: context.loop.now, ttlMs: ttlMs) {
            exchange.respond(status: entry.status, contentType: entry.contentType ?? "application/json", body: entry.body)
            line.cached = true
            return finish(entry.status, decision: "allow", bytes: entry.body.count)
        }
        let upgrade = Self.isUpgrade(exchange.head)
        UpstreamSession.credentials(for: upstream, nowMs: context.loop.now) { [self] result in
            guard exchange.state == .pending else { return }
            switch result {
            case .failure(let problem):
                Self.respondFailure(exchange, 502, problem.description)
                finish(502, decision: "allow", error: problem.description)
            case .success(let credentials) where upgrade:
                // exec, attach, port-forward: a rule allowed it, so it is relayed byte for byte.
                let relay = TunnelRelay(exchange: exchange) { status, bytes, error in
                    finish(status, decision: "allow", bytes: bytes, error: error)
                }
                relay.start(multi: multi, upstream: upstream, credentials: credentials,
                            connectTimeoutMs: Int(self.context.config.apiConnectTimeoutSeconds * 1000))
            case .success(let credentials):
                forward(exchange, attributes, grant: grant, upstream: upstream, credentials: credentials) { held, summary in
                    if summary.status == 401 { UpstreamSession.unauthorized(upstream) }
                    if let held {
                        if DiscoveryCache.meansStale(status: summary.status, body: held) { scopes.invalidate() }
                        if cacheable, summary.status == 200 {
                            scopes.store(cacheKey, .init(status: 200, contentType: summary.contentType, body: held,
                                                         storedAt: self.context.loop.now), path: attributes.path)
                        }
                    }
                    line.maskedValues = summary.maskedValues
                    grant.countMasked(summary.maskedValues)
                    finish(summary.status, decision: "allow", bytes: summary.bytes, error: summary.error)
                }
            }
        }
    }

    private func forward(_ exchange: Exchange, _ attributes: RequestAttributes, grant: JobGrant, upstream: Upstream,
                         credentials: UpstreamSession.Credentials, done: @escaping ([UInt8]?, ProxiedResponse.Summary) -> Void) {
        var headers: [(String, String)] = []
        for field in exchange.head.headers {
            let lower = field.name.lowercased()
            // The child's token, impersonation, framing and encodings are the proxy's business.
            if lower.hasPrefix("impersonate-") || Self.requestFieldsNotForwarded.contains(lower) { continue }
            headers.append((field.name, field.value))
        }
        headers.append(("Accept", AcceptRewrite.jsonOnly(exchange.head.headers["Accept"])))
        headers.append(("Accept-Encoding", "identity"))
        if let authorization = credentials.authorization { headers.append(("Authorization", authorization)) }
        let body: UpstreamRequest.Body = exchange.request.body.isEmpty ? .none : .bytes(exchange.request.body)
        let request = UpstreamRequest(method: exchange.head.method, url: upstream.server.url + exchange.head.target,
                                      headers: headers, body: body, tls: credentials.tls,
                                      connectTimeoutMs: Int(context.config.apiConnectTimeoutSeconds * 1000))
        let response = ProxiedResponse(exchange: exchange, attributes: attributes, masker: SecretMasker(helmJob: grant.helmJob),
                                       maxHeldBytes: context.config.apiMaxHeldBytes)
        response.onDone = done
        do {
            let transfer = try multi.start(request, response.handler)
            response.transfer = transfer
            exchange.onCancel = { transfer.cancel() }
        } catch {
            Self.respondFailure(exchange, 502, "\(error)")
            done(nil, ProxiedResponse.Summary(status: 502, error: "\(error)"))
        }
    }

    static let requestFieldsNotForwarded: Set<String> = [
        "authorization", "host", "accept", "accept-encoding", "connection", "keep-alive", "proxy-connection",
        "transfer-encoding", "content-length", "expect", "te", "trailer", "upgrade", "proxy-authorization",
    ]

    /// The proxy's own 5xx answers are text: client-go shows a text body on every path
    /// (discovery included), while a JSON Status on a discovery request prints as "unknown".
    static func respondFailure(_ exchange: Exchange, _ status: Int, _ message: String) {
        exchange.respond(status: status, contentType: "text/plain; charset=utf-8",
                         body: Array(("k8s-mcp-server API proxy: " + message).utf8))
    }

    static func respond(_ exchange: Exchange, _ status: Int, _ body: JSONValue) {
        exchange.respond(status: status, contentType: "application/json", body: JSONWriter.encode(body))
    }

    /// The output redactor's mask (kubectl's JSON and YAML pass it too): a Secret written back
    /// from such output carries it where the values were.
    /// Go's JSON writes `<` and `>` as \u003c and \u003e, so both spellings are looked for.
    static func containsOutputMask(_ body: [UInt8]) -> Bool {
        let plain = SecretRedactor.mask
        let escaped = plain.replacingOccurrences(of: "<", with: "\\u003c").replacingOccurrences(of: ">", with: "\\u003e")
        return [plain, escaped].contains { mask in
            let needle = Array("\"\(mask)\"".utf8)
            guard body.count >= needle.count else { return false }
            return (0...(body.count - needle.count)).contains { body[$0..<($0 + needle.count)].elementsEqual(needle) }
        }
    }

    static func isUpgrade(_ head: RequestHead) -> Bool {
        head.headers["Upgrade"] != nil || head.headers.values("connection").contains { $0.lowercased().contains("upgrade") }
    }
}
