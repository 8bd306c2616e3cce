// MCPEndpoint: Streamable HTTP at /mcp for both eras. POST routes each message by era
// (EraRouter): the modern path runs the 2026-07-28 validation ladder and is stateless; the
// legacy path mints a session at `initialize` and requires it afterwards (missing → 400,
// unknown → 404), accepts batches only under 2025-03-26, and answers notifications with 202.
// GET: 2026 header → 405; a session id → 405 (no standalone stream: the gateway never sends
// server-initiated messages); neither → the legacy HTTP+SSE stream (MCPLegacySSE). DELETE ends
// a session.
import HTTP1
import JSON
import MCPProtocol

final class MCPEndpoint {
    let service: MCPService
    let legacy: MCPLegacySSE
    static let sessionHeader = "Mcp-Session-Id"
    static let kubeconfigHeader = "X-Kubeconfig"

    init(service: MCPService, legacy: MCPLegacySSE) {
        self.service = service
        self.legacy = legacy
    }

    private var context: GatewayContext { service.context }

    // MARK: POST

    func post(_ exchange: Exchange) {
        let headers = exchange.head.headers
        let incoming: JSONRPCIncoming
        do {
            incoming = try JSONRPCIncoming.parse(bytes: exchange.request.body)
        } catch {
            exchange.respondJSON(status: 400, JSONRPC.error(id: nil, error, version: Self.claimedVersion(exchange)))
            return
        }
        switch incoming {
        case .batch(let items):
            postBatch(items, exchange)
        case .invalid(let id, let error):
            exchange.respondJSON(status: 400, JSONRPC.error(id: id, error, version: Self.claimedVersion(exchange)))
        case .single(.response):
            Self.accepted(exchange)   // we never send requests; nothing to match
        case .single(.notification(let method, let params)):
            let era = EraRouter.classify(versionHeader: headers[ModernValidator.versionHeader], sessionID: headers[Self.sessionHeader],
                                         method: method, hasEnvelope: Self.hasEnvelope(params))
            if case .legacy = era {
                guard let session = legacySession(exchange, id: nil, era: era) else { return }
                service.handleNotification(method: method, params: params, scope: scope(exchange, session: session))
            }
            // Modern: the 2026 core defines no client notifications over HTTP; accept and ignore.
            Self.accepted(exchange)
        case .single(.request(let id, let method, let params)):
            let era = EraRouter.classify(versionHeader: headers[ModernValidator.versionHeader], sessionID: headers[Self.sessionHeader],
                                         method: method, hasEnvelope: Self.hasEnvelope(params))
            switch era {
            case .modern, .unsupported:
                postModern(id: id, method: method, params: params, exchange)
            case .legacy(let version):
                postLegacy(id: id, method: method, params: params, headerVersion: version, era: era, exchange)
            }
        }
    }

    private func postModern(id: RequestID, method: String, params: JSONObject?, _ exchange: Exchange) {
        let headers = exchange.head.headers
        if let error = ModernValidator.validate(method: method, params: params, header: { headers[$0] }) {
            exchange.respondJSON(status: error.httpStatus(modern: true), JSONRPC.error(id: id, error))
            return
        }
        let scope = MCPScope(version: MCPVersion.modern, transport: "http", kubeconfig: headers[Self.kubeconfigHeader],
                             principal: exchange.principal, requestID: exchange.requestID, calls: nil, session: nil, client: exchange.clientAddress)
        run(id: id, method: method, params: params, scope: scope, exchange)
    }

    private func postLegacy(id: RequestID, method: String, params: JSONObject?, headerVersion: String, era: Era, _ exchange: Exchange) {
        let headers = exchange.head.headers
        if method == "initialize" {
            // A new session each time: a client re-initializes after a 404 (session gone).
            let kubeconfig = headers[Self.kubeconfigHeader]
            let scope = MCPScope(version: headerVersion, transport: "http", kubeconfig: kubeconfig,
                                 principal: exchange.principal, requestID: exchange.requestID, calls: nil, session: nil, client: exchange.clientAddress)
            let reply = MCPHTTPReply(exchange: exchange, context: context)
            service.handle(id: id, method: method, params: params, scope: scope, outlet: reply) { [service, context] version in
                guard let session = service.sessions.create(kind: .streamableHTTP, version: version, now: context.loop.now) else {
                    context.logger.error("could not mint an MCP session id (getrandom failed)")
                    return []
                }
                session.kubeconfig = kubeconfig
                session.principal = exchange.principal
                service.armSweep()
                return [(Self.sessionHeader, session.id)]
            }
            return
        }
        guard let session = legacySession(exchange, id: id, era: era) else { return }
        run(id: id, method: method, params: params, scope: scope(exchange, session: session), exchange)
    }

    /// Answers through an MCPHTTPReply; a tool call with a progressToken switches to SSE, and
    /// a client that goes away cancels the call.
    private func run(id: RequestID, method: String, params: JSONObject?, scope: MCPScope, _ exchange: Exchange) {
        let reply = MCPHTTPReply(exchange: exchange, context: context)
        guard let run = service.handle(id: id, method: method, params: params, scope: scope, outlet: reply) else { return }
        exchange.onCancel = { run.cancel() }
        if run.progressToken != nil { reply.beginStreaming() }
    }

    private func postBatch(_ items: [JSONValue], _ exchange: Exchange) {
        let headers = exchange.head.headers
        let era = EraRouter.classify(versionHeader: headers[ModernValidator.versionHeader], sessionID: headers[Self.sessionHeader],
                                     method: nil, hasEnvelope: false)
        guard case .legacy = era else {
            exchange.respondJSON(status: 400, JSONRPC.error(id: nil, .invalidRequest(
                "Invalid Request: JSON-RPC batches are not accepted in protocol version 2026-07-28"), version: MCPVersion.modern))
            return
        }
        guard let session = legacySession(exchange, id: nil, era: era) else { return }
        guard MCPVersion.allowsBatch(session.version) else {
            exchange.respondJSON(status: 400, JSONRPC.error(id: nil, .invalidRequest(
                "Invalid Request: JSON-RPC batches are accepted only in protocol version 2025-03-26 (this session uses \(session.version))"),
                version: session.version))
            return
        }
        let runs = service.handleBatch(items, scope: scope(exchange, session: session)) { responses in
            if responses.isEmpty {
                Self.accepted(exchange)
            } else {
                exchange.respondJSON(.array(responses))
            }
        }
        if !runs.isEmpty { exchange.onCancel = { for run in runs { run.cancel() } } }
    }

    // MARK: sessions

    /// The session a legacy request belongs to, or nil after answering 400 (no id) / 404
    /// (unknown, ended, or another caller's) / 400 (version header not the negotiated one).
    private func legacySession(_ exchange: Exchange, id: RequestID?, era: Era) -> MCPSession? {
        let headers = exchange.head.headers
        guard let raw = headers[Self.sessionHeader] else {
            exchange.respondJSON(status: 400, JSONRPC.error(id: id, .invalidRequest(
                "Bad Request: missing Mcp-Session-Id header (send initialize first, or use MCP-Protocol-Version: 2026-07-28 with per-request _meta)"),
                version: Self.claimedVersion(exchange)))
            return nil
        }
        let sid = HeaderValue.trim(raw)
        guard let session = service.sessions.find(sid), session.kind == .streamableHTTP,
              session.principal?.name == exchange.principal?.name
        else {
            exchange.respondJSON(status: 404, JSONRPC.error(id: id, .invalidRequest("Session not found: initialize a new session"),
                                                            version: Self.claimedVersion(exchange)))
            return nil
        }
        if let raw = headers[ModernValidator.versionHeader], MCPVersion.isLegacy(HeaderValue.trim(raw)),
           case .legacy(let version) = era, version != session.version {
            exchange.respondJSON(status: 400, JSONRPC.error(id: id, .invalidRequest(
                "Bad Request: MCP-Protocol-Version \(version) does not match the session's negotiated version \(session.version)"),
                version: session.version))
            return nil
        }
        session.lastUsed = context.loop.now
        return session
    }

    private func scope(_ exchange: Exchange, session: MCPSession) -> MCPScope {
        MCPScope(version: session.version, transport: "http",
                 kubeconfig: exchange.head.headers[Self.kubeconfigHeader] ?? session.kubeconfig,
                 principal: exchange.principal, requestID: exchange.requestID, calls: session.calls, session: session, client: exchange.clientAddress)
    }

    // MARK: GET / DELETE

    func get(_ exchange: Exchange) {
        guard Self.notHead(exchange) else { return }
        let headers = exchange.head.headers
        if let version = headers[ModernValidator.versionHeader], !MCPVersion.isLegacy(HeaderValue.trim(version)) {
            exchange.respond(error: .methodNotAllowed(allow: ["POST"]))   // 2026-07-28: POST only
            return
        }
        if headers[Self.sessionHeader] != nil {
            // No standalone stream: everything we send answers a request, on that request's response.
            exchange.respond(error: .methodNotAllowed(allow: ["POST", "DELETE"]))
            return
        }
        legacy.open(exchange, messagesPath: "/mcp/messages/")
    }

    func delete(_ exchange: Exchange) {
        let headers = exchange.head.headers
        if let version = headers[ModernValidator.versionHeader], !MCPVersion.isLegacy(HeaderValue.trim(version)) {
            exchange.respond(error: .methodNotAllowed(allow: ["POST"]))   // 2026-07-28 has no sessions
            return
        }
        guard let raw = headers[Self.sessionHeader] else {
            exchange.respondJSON(status: 400, JSONRPC.error(id: nil, .invalidRequest("Bad Request: missing Mcp-Session-Id header"),
                                                            version: Self.claimedVersion(exchange)))
            return
        }
        let sid = HeaderValue.trim(raw)
        guard let session = service.sessions.find(sid), session.kind == .streamableHTTP,
              session.principal?.name == exchange.principal?.name
        else {
            exchange.respondJSON(status: 404, JSONRPC.error(id: nil, .invalidRequest("Session not found"), version: Self.claimedVersion(exchange)))
            return
        }
        service.sessions.end(session.id)
        exchange.respond(status: 200, contentType: "text/plain", body: [])
    }

    // MARK: helpers

    /// The version the request's header names (else 2025-03-26): shapes errors sent before a
    /// session or the body could tell (an unknown id is omitted from 2025-11-25 on, else null).
    static func claimedVersion(_ exchange: Exchange) -> String {
        exchange.head.headers[ModernValidator.versionHeader].map { HeaderValue.trim($0) } ?? MCPVersion.defaultLegacy
    }

    /// The router serves HEAD through GET handlers; a stream cannot answer HEAD (no body).
    static func notHead(_ exchange: Exchange) -> Bool {
        guard exchange.head.method == "HEAD" else { return true }
        exchange.respond(error: .methodNotAllowed(allow: ["GET", "POST", "DELETE"]))
        return false
    }

    static func accepted(_ exchange: Exchange) {
        exchange.respond(status: 202, contentType: "text/plain", body: [])
    }

    /// Either envelope key marks a request as modern (a half envelope then fails with -32602,
    /// which says more than treating it as a legacy request without a session).
    static func hasEnvelope(_ params: JSONObject?) -> Bool {
        guard let meta = params?["_meta"]?.objectValue else { return false }
        return meta[RequestMeta.protocolVersionKey] != nil || meta[RequestMeta.clientCapabilitiesKey] != nil
    }
}
