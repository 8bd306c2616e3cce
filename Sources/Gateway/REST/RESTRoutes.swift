// RESTRoutes: the seed's REST API — POST /tools/{tool}, GET /health, GET /tools/status — on the
// shared tool-call path, and GET /jobs/<id>/stdout (JobOutputRoute) for outputs kept whole.
// The answer's shape (JSON or a stream) is RESTToolReply's business.
import Commands
import HTTP1
import JSON

struct RESTRoutes {
    let toolCalls: ToolCalls

    /// The seed's health answer never changes while the server runs: encoded once.
    static let healthBody = JSONWriter.encode(.object(JSONObject([("status", .string("healthy")),
                                                                  ("version", .string(ServerInfo.version))])))

    func register(on router: Router) {
        router.add("GET", "/health") { exchange in
            exchange.respond(status: 200, body: Self.healthBody)
        }
        let runner = toolCalls.runner
        router.add("GET", "/tools/status") { exchange in ToolStatus.respond(runner: runner, exchange: exchange) }
        JobOutputRoute(store: runner.outputs).register(on: router)
        for tool in Tool.allCases {
            router.add("POST", "/tools/\(tool.rawValue)", route: "/tools/{tool}") { [toolCalls] exchange in
                Self.runTool(tool, exchange, toolCalls)
            }
        }
    }

    private static func runTool(_ tool: Tool, _ exchange: Exchange, _ toolCalls: ToolCalls) {
        let body: JSONValue
        do {
            body = try JSONParser.parse(exchange.request.body)
        } catch {
            exchange.respond(error: .validation([FieldError(loc: ["body"], msg: "JSON decode error: \(error.message)", type: "json_invalid", input: nil)]))
            return
        }
        let format = EventStream.Format(AcceptHeader(exchange.head.headers["Accept"]))
        let reply = RESTToolReply(exchange: exchange, format: format, context: toolCalls.context)
        let call = toolCalls.start(tool, arguments: body, loc: ["body"], headerKubeconfig: exchange.head.headers["X-Kubeconfig"],
                                   requestID: exchange.requestID, principal: exchange.principal, frontDoor: "rest", outlet: reply,
                                   client: exchange.clientAddress)
        reply.running(call)
    }
}
