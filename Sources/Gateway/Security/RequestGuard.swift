// RequestGuard: the pipeline stage that applies the browser rules to every route before
// anything else answers (metrics, authentication, handlers): the Host and Origin rules of
// OriginPolicy (421, 403) and `Content-Type: application/json` for every request that carries
// a body or names another type (415) — a cross-origin "simple" request can only say
// text/plain, multipart/form-data or application/x-www-form-urlencoded, so a JSON-only server
// cannot be driven by one. The allow-lists are read per request, so a SIGHUP reload applies to the next.
// Each refusal is logged and audited (GatewayEvents.requestRefused).
import HTTP1
import JSON
import MCPProtocol

struct RequestGuard {
    let context: GatewayContext

    var stage: RequestStage {
        RequestStage(name: "browser rules") { exchange in admit(exchange) ? .next : .answered }
    }

    /// False after answering the request with a refusal.
    func admit(_ exchange: Exchange) -> Bool {
        let head = exchange.head
        // Two Origin fields are no browser's; joined, they match no allowed origin.
        let origins = head.headers.values("Origin")
        let origin = origins.isEmpty ? nil : origins.joined(separator: ", ")
        if let refusal = OriginPolicy(context.config).check(host: head.headers["Host"], origin: origin) {
            switch refusal {
            case .host(let host):
                refuse(exchange, status: 421, rule: refusal.rule, reason: "Misdirected Request: Host \(quoted(host)) is not served here")
            case .origin(let origin):
                refuse(exchange, status: 403, rule: refusal.rule, reason: "Forbidden: Origin \(quoted(origin)) not allowed")
            }
            return false
        }
        let types = head.headers.values("Content-Type")
        if Self.needsJSON(head) || !types.isEmpty, !Self.isJSON(types) {
            refuse(exchange, status: 415, rule: "content_type",
                   reason: "Unsupported Media Type: send the body with 'Content-Type: application/json'")
            return false
        }
        return true
    }

    /// A request with a body (a body-less request that names a type must name JSON too).
    static func needsJSON(_ head: RequestHead) -> Bool {
        switch head.framing {
        case .none: return false
        case .length(let n): return n > 0
        case .chunked: return true
        }
    }

    /// Exactly one Content-Type whose media type is application/json (parameters allowed).
    static func isJSON(_ values: [String]) -> Bool {
        guard values.count == 1, let value = values.first else { return false }
        let type = value.prefix { $0 != ";" }
        return HeaderValue.trim(String(type)).lowercased() == "application/json"
    }

    private func refuse(_ exchange: Exchange, status: Int, rule: String, reason: String) {
        let head = exchange.head
        exchange.route = "refused"
        context.logger.info("request refused", metadata: [
            "request_id": .string(exchange.requestID), "rule": .string(rule), "status": .stringConvertible(status),
            "path": .string(head.path), "origin": .string(head.headers["Origin"] ?? ""), "host": .string(head.headers["Host"] ?? ""),
        ])
        let refused = RefusedRequest(requestID: exchange.requestID, method: head.method, path: head.path, status: status,
                                     rule: rule, reason: reason, principal: nil)
        for observer in context.events.requestRefused { observer(refused) }
        // MCP routes: a JSON-RPC error an MCP client can show (MCPAuthReply); REST: FastAPI's
        // `{"detail": ...}` with the rule.
        if MCPAuthReply.isMCPPath(head.path) {
            MCPAuthReply.respond(exchange, status: status, message: reason)
        } else {
            exchange.respondJSON(status: status, .object(JSONObject([("detail", .string(reason)), ("rule", .string(rule))])))
        }
    }

    private func quoted(_ s: String) -> String {
        "'" + String(s.prefix(200)) + "'"
    }
}
