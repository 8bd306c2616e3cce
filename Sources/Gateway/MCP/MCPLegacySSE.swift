// MCPLegacySSE: the deprecated 2024-11-05 HTTP+SSE transport at the paths the seed served
// (fastapi-mcp `mount()`): GET /mcp (or /sse) opens the session's event stream, whose first
// event is `endpoint` naming `/mcp/messages/?session_id=<hex>` (or `/messages/?...`); POSTs
// there get 202 and every answer travels as `event: message` on the stream. Comment
// keep-alives hold idle streams open; closing the stream ends the session and cancels its calls.
import HTTP1
import JSON
import MCPProtocol

final class MCPLegacySSE {
    let service: MCPService

    init(service: MCPService) {
        self.service = service
    }

    private var context: GatewayContext { service.context }

    /// GET: a new session and its stream. The caller checked Origin and the era headers.
    func open(_ exchange: Exchange, messagesPath: String) {
        if !AcceptHeader(exchange.head.headers["Accept"]).allows("text/event-stream") {
            exchange.respondJSON(status: 406, .object(["detail": "Not Acceptable: this endpoint serves text/event-stream"]))
            return
        }
        guard let session = service.sessions.create(kind: .sse, version: "2024-11-05", now: context.loop.now) else {
            exchange.respond(error: .internalError("could not create a session id"))
            return
        }
        session.kubeconfig = exchange.head.headers[MCPEndpoint.kubeconfigHeader]
        session.principal = exchange.principal
        session.messagesPath = messagesPath
        let stream = EventStream(exchange: exchange, format: .sse, loop: context.loop)
        session.stream = stream
        stream.open(heartbeatSeconds: context.config.heartbeatSeconds)
        stream.send(event: "endpoint", .string("\(messagesPath)?session_id=\(session.id)"))
        let id = session.id
        exchange.onCancel = { [weak service] in service?.sessions.end(id) }
    }

    /// GET /sse (the same transport at fastapi-mcp's `mount_sse()` default path).
    func openAtSSEPath(_ exchange: Exchange) {
        guard MCPEndpoint.notHead(exchange) else { return }
        open(exchange, messagesPath: "/messages/")
    }

    /// POST /mcp/messages/?session_id=… and /messages/?session_id=…
    func post(_ exchange: Exchange) {
        guard let sid = exchange.head.queryItem("session_id"), !sid.isEmpty else {
            exchange.respondJSON(status: 400, .object(["detail": "session_id is required"]))
            return
        }
        guard MCPSessions.isWellFormed(sid) else {
            exchange.respondJSON(status: 400, .object(["detail": "Invalid session ID"]))
            return
        }
        guard let session = service.sessions.find(sid), session.kind == .sse, session.stream?.isOpen == true,
              session.principal?.name == exchange.principal?.name
        else {
            exchange.respondJSON(status: 404, .object(["detail": "Could not find session"]))
            return
        }
        let incoming: JSONRPCIncoming
        do {
            incoming = try JSONRPCIncoming.parse(bytes: exchange.request.body)
        } catch {
            exchange.respondJSON(status: 400, JSONRPC.error(id: nil, error, version: session.version))
            return
        }
        session.lastUsed = context.loop.now
        exchange.respond(status: 202, contentType: "text/plain", body: Array("Accepted".utf8))
        let outlet = MCPSessionOutlet(session: session, service: service)
        let headerKubeconfig = exchange.head.headers[MCPEndpoint.kubeconfigHeader]
        let scope = MCPScope(version: session.version, transport: "sse", kubeconfig: headerKubeconfig ?? session.kubeconfig,
                             principal: exchange.principal, requestID: exchange.requestID, calls: session.calls, session: session, client: exchange.clientAddress)
        switch incoming {
        case .single(.request(let id, let method, let params)):
            service.handle(id: id, method: method, params: params, scope: scope, outlet: outlet) { version in
                session.version = version
                if let headerKubeconfig { session.kubeconfig = headerKubeconfig }
                return []
            }
        case .single(.notification(let method, let params)):
            service.handleNotification(method: method, params: params, scope: scope)
        case .single(.response):
            break
        case .invalid(let id, let error):
            outlet.reply(JSONRPC.error(id: id, error, version: session.version), status: 400, headers: [])
        case .batch(let items):
            guard MCPVersion.allowsBatch(session.version) else {
                outlet.reply(JSONRPC.error(id: nil, .invalidRequest(
                    "Invalid Request: JSON-RPC batches are accepted only in protocol version 2025-03-26"), version: session.version),
                             status: 400, headers: [])
                return
            }
            service.handleBatch(items, scope: scope) { responses in
                if !responses.isEmpty { outlet.reply(.array(responses), status: 200, headers: []) }
            }
        }
    }
}

/// Every message of an HTTP+SSE session goes out on its GET stream.
final class MCPSessionOutlet: MCPOutlet {
    private weak var session: MCPSession?
    private unowned let service: MCPService

    init(session: MCPSession, service: MCPService) {
        self.session = session
        self.service = service
    }

    var carriesNotifications: Bool { true }

    func notify(_ message: JSONValue) {
        guard let stream = session?.stream, stream.isOpen else { return }
        stream.send(message: message)
    }

    func reply(_ message: JSONValue, status: Int, headers: [(String, String)]) {
        notify(message)
        endIfDrained()
    }

    func abandon() { endIfDrained() }

    /// During shutdown a stream stays open only until its last call has answered.
    private func endIfDrained() {
        if service.draining, let session, session.calls.isEmpty { service.sessions.end(session.id) }
    }
}
