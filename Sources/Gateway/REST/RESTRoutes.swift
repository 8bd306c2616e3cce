// RESTRoutes: the seed's REST API — POST /tools/{tool}, GET /health, GET /tools/status — on the
// shared ToolCall → JobRunner path. Streaming answers are in RESTStreaming.swift.
import Commands
import HTTP1
import JSON
import MCPProtocol

struct RESTRoutes {
    unowned let server: Server

    /// The seed's health answer never changes while the server runs: encoded once.
    static let healthBody = JSONWriter.encode(.object(JSONObject([("status", .string("healthy")),
                                                                  ("version", .string(ServerInfo.version))])))

    func register(on router: Router) {
        router.add("GET", "/health") { exchange in
            exchange.respond(status: 200, body: Self.healthBody)
        }
        router.add("GET", "/tools/status") { [server] exchange in ToolStatus.respond(server: server, exchange: exchange) }
        for tool in Tool.allCases {
            router.add("POST", "/tools/\(tool.rawValue)", route: "/tools/{tool}") { [server] exchange in
                RESTRoutes(server: server).runTool(tool, exchange)
            }
        }
    }

    func runTool(_ tool: Tool, _ exchange: Exchange) {
        let body: JSONValue
        do {
            body = try JSONParser.parse(exchange.request.body)
        } catch {
            exchange.respond(error: .validation([FieldError(loc: ["body"], msg: "JSON decode error: \(error.message)", type: "json_invalid", input: nil)]))
            return
        }
        let arguments: ToolArguments
        switch ToolArguments.parse(body, loc: ["body"]) {
        case .success(let a): arguments = a
        case .failure(let error): exchange.respond(error: error); return
        }
        let builder = ToolCallBuilder(server: server)
        let request: JobRequest
        switch builder.request(tool: tool, arguments: arguments, headerKubeconfig: exchange.head.headers["X-Kubeconfig"],
                               requestID: exchange.requestID, principal: exchange.principal, frontDoor: "rest") {
        case .success(let r): request = r
        case .failure(let failure) where failure.isRefusal:
            exchange.respondJSON(status: 403, .object(ResultJSON.refusal(failure)))
            return
        case .failure(let failure):
            let body = JSONValue.object(ResultJSON.failure(failure.message))
            if let format = RESTStreaming.Format(accept: exchange.head.headers["Accept"]) {
                RESTStreaming(server: server, exchange: exchange, format: format).respondResultOnly(body)
            } else {
                exchange.respondJSON(body)
            }
            return
        }
        let security = server.config.security
        if let format = RESTStreaming.Format(accept: exchange.head.headers["Accept"]) {
            // Output that may hold Secret values is redacted as a whole, so only the final
            // (redacted) result is streamed, never the raw chunks.
            let forward = ResultJSON.redactionPlan(request, security) == nil
            RESTStreaming(server: server, exchange: exchange, format: format).run(request, forwardOutput: forward)
            return
        }
        do {
            let ticket = try server.runner.submit(request) { outcome in
                switch outcome {
                case .finished(let result): exchange.respondJSON(.object(ResultJSON.object(result, for: request, security: security)))
                case .rejected(let error): exchange.respond(error: error)
                }
            }
            exchange.onCancel = { ticket.cancel() }
        } catch {
            exchange.respond(error: error)
        }
    }
}
