// MCPAuthReply: a refused credential on the MCP paths (/mcp, /sse, the HTTP+SSE message paths)
// as something an MCP client can show — a JSON-RPC error naming the problem, with the request's
// id when the body has one (mcp 2.x surfaces such an error; for any other 4xx body it prints only
// "Server returned an error response"), shaped for the era the request speaks, and the RFC 6750
// `WWW-Authenticate` challenge. REST keeps FastAPI's `{"detail": ...}`.
import JSON
import MCPProtocol

enum MCPAuthReply {
    static let paths: Set<String> = ["/mcp", "/mcp/messages/", "/mcp/messages", "/sse", "/messages/", "/messages"]

    static func isMCPPath(_ path: String) -> Bool { paths.contains(path) }

    /// Answers `error` (401 or 403) in the MCP shape.
    static func respond(_ exchange: Exchange, _ error: GatewayError) {
        let status = error.httpStatus
        let reason = status == 403 ? "Forbidden" : "Unauthorized"
        respond(exchange, status: status, message: "\(reason) (HTTP \(status)): \(error.message)",
                headers: [("WWW-Authenticate", challenge(exchange, status: status))])
    }

    /// Any refusal of an MCP request (a credential, or the browser rules: Host, Origin, content
    /// type) as a JSON-RPC error in the request's era, with its id when it has one.
    static func respond(_ exchange: Exchange, status: Int, message: String, headers: [(String, String)] = []) {
        let (id, version) = identify(exchange)
        let rpc = RPCError(code: RPCError.invalidRequest, message: message, data: .object(["httpStatus": .int(Int64(status))]))
        exchange.respondJSON(status: status, JSONRPC.error(id: id, rpc, version: version), headers: headers)
    }

    /// RFC 6750 §3: no error code when no token came, `invalid_token` for a wrong one.
    static func challenge(_ exchange: Exchange, status: Int) -> String {
        var value = "Bearer realm=\"\(ServerInfo.name)\""
        if status == 403 {
            value += ", error=\"insufficient_scope\""
        } else if exchange.head.headers["Authorization"] != nil {
            value += ", error=\"invalid_token\""
        }
        return value
    }

    /// The request id when the body is one JSON-RPC request, and the version it speaks: the
    /// header, else the body's `_meta` or `initialize` offer; the HTTP+SSE paths are 2024-11-05.
    static func identify(_ exchange: Exchange) -> (RequestID?, String) {
        let head = exchange.head
        var version = head.headers[ModernValidator.versionHeader].map { HeaderValue.trim($0) }
        var id: RequestID?
        if head.method == "POST", case .single(.request(let rid, let method, let params))? = try? JSONRPCIncoming.parse(bytes: exchange.request.body) {
            id = rid
            if version == nil {
                version = params?["_meta"]?[RequestMeta.protocolVersionKey]?.stringValue
                    ?? (method == "initialize" ? params?["protocolVersion"]?.stringValue : nil)
            }
        }
        let isSSE = head.method == "GET" || head.path.hasSuffix("messages/") || head.path.hasSuffix("messages")
        let fallback = isSSE ? "2024-11-05" : MCPVersion.defaultLegacy
        return (id, version.flatMap { MCPVersion.isSupported($0) ? $0 : nil } ?? fallback)
    }
}
