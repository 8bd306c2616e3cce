// MCPService: the transport-independent part of the MCP front door. Given one decoded request
// or notification and its scope (version, transport, credentials, where cancellable calls
// register, the message budget), it runs the dispatcher's decision: immediate answers go to the
// outlet, tool calls go through the shared ToolCall path (the same as REST) as an MCPToolRun,
// resources/read and resources/list to the stored outputs (MCPResources). Also JSON-RPC batches
// (2025-03-26) through MCPBatchCollector, whose answers share one budget.
import Commands
import JSON
import MCPProtocol
import UVKit

/// Everything about a request that is not in its JSON-RPC message.
struct MCPScope {
    var version: String
    /// "http", "sse" or "stdio": names the front door in job contexts, audit and metrics.
    var transport: String
    /// X-Kubeconfig of this request, else the session's (base64 kubeconfig).
    var kubeconfig: String?
    /// The authenticated caller (nil: authentication off, or stdio).
    var principal: Principal?
    /// Names the job in logs (the HTTP X-Request-Id, or a stdio counter).
    var requestID: String
    /// Where calls register for `notifications/cancelled` (nil: modern HTTP, cancelled by
    /// closing the response instead).
    var calls: MCPCallTable?
    var session: MCPSession?
    /// Bytes one answer may take (mcp.max_message_bytes, a share of it in a batch); 0: the setting.
    var messageBudget = 0
    /// The peer address of the HTTP request (nil on stdio): names an anonymous caller's fair share.
    var client: String? = nil

    var isModern: Bool { MCPVersion.isModern(version) }
    var frontDoor: String { "mcp/\(version)/\(transport)" }
}

final class MCPService {
    let context: GatewayContext
    let toolCalls: ToolCalls
    let dispatcher: MCPDispatcher
    let sessions = MCPSessions()
    private var sweepTimer: Timer?

    init(toolCalls: ToolCalls, dispatcher: MCPDispatcher = MCPDispatcher()) {
        self.context = toolCalls.context
        self.toolCalls = toolCalls
        self.dispatcher = dispatcher
        let outputs = toolCalls.runner.outputs
        sessions.onEnd = { [unowned outputs] id in outputs.removeSession(id) }
    }

    private var resources: MCPResources { MCPResources(store: toolCalls.runner.outputs) }

    private func budget(_ scope: MCPScope) -> Int {
        scope.messageBudget > 0 ? scope.messageBudget : context.config.maxMessageBytes
    }

    /// HTTP+SSE streams close once their calls have answered while the process drains.
    var draining: Bool { context.shutdown.isDraining }

    /// Expires forgotten Streamable HTTP sessions; started with the first one (never in stdio).
    func armSweep() {
        guard sweepTimer == nil, !draining else { return }
        let timer = Timer(loop: context.loop)
        sweepTimer = timer
        timer.start(after: 60_000, repeat: 60_000) { [unowned self] in sessions.sweep(now: context.loop.now) }
        timer.unref()
    }

    /// Drain: calls in flight finish (the runner drains them); HTTP+SSE streams with nothing
    /// running close now so their connections do not hold the drain open.
    func joinShutdown(_ shutdown: Shutdown) {
        shutdown.onDrain { [unowned self] _ in
            sweepTimer?.close()
            sweepTimer = nil
            sessions.endIdle()
        }
    }

    /// Handles one request. `onInitialize(version)` lets the transport bind the negotiated
    /// version (new session, stdio era) and returns headers for the answer (Mcp-Session-Id).
    /// Returns the run when a tool call is in flight (the caller wires cancellation/streaming).
    @discardableResult
    func handle(id: RequestID, method: String, params: JSONObject?, scope: MCPScope, outlet: MCPOutlet,
                onInitialize: (String) -> [(String, String)] = { _ in [] }) -> MCPToolRun? {
        context.metrics?.mcpRequest(method: method, version: scope.version)
        let access = MCPToolAccess(principal: scope.principal, policy: context.config.security.policy)
        switch dispatcher.request(method: method, params: params, version: scope.version, access: access) {
        case .result(let result):
            outlet.reply(JSONRPC.result(id: id, result), status: 200, headers: [])
        case .error(let error):
            outlet.reply(JSONRPC.error(id: id, error), status: error.httpStatus(modern: scope.isModern), headers: [])
        case .initialize(let version, let result):
            let headers = onInitialize(version)
            outlet.reply(JSONRPC.result(id: id, result), status: 200, headers: headers)
        case .setLevel(let level):
            scope.session?.logLevel = level
            outlet.reply(JSONRPC.result(id: id, MCPResults.empty(version: scope.version)), status: 200, headers: [])
        case .callTool(let tool, let call):
            return startCall(tool: tool, call: call, id: id, scope: scope, outlet: outlet)
        case .readResource(let read):
            switch resources.read(id: id, uri: read.uri, principal: scope.principal?.name, version: scope.version,
                                  budget: budget(scope)) {
            case .success(let message): outlet.reply(message, status: 200, headers: [])
            case .failure(let error): outlet.reply(JSONRPC.error(id: id, error), status: error.httpStatus(modern: scope.isModern), headers: [])
            }
        case .listResources:
            outlet.reply(JSONRPC.result(id: id, resources.list(principal: scope.principal?.name, version: scope.version)),
                         status: 200, headers: [])
        }
        return nil
    }

    func handleNotification(method: String, params: JSONObject?, scope: MCPScope) {
        switch dispatcher.notification(method: method, params: params) {
        case .initialized: scope.session?.initialized = true
        case .cancelled(let id): scope.calls?.cancel(id)
        case .ignored: break
        }
    }

    private func startCall(tool: Tool, call: ToolCallParams, id: RequestID, scope: MCPScope, outlet: MCPOutlet) -> MCPToolRun? {
        let run = MCPToolRun(id: id, version: scope.version, progressToken: call.meta.progressToken, loop: context.loop, outlet: outlet,
                             budget: budget(scope), heartbeatMs: UInt64(context.config.progressHeartbeatSeconds * 1000))
        if let calls = scope.calls {
            guard !calls.contains(id) else {
                outlet.reply(JSONRPC.error(id: id, .invalidRequest("Invalid Request: id \(id) is already in use by a running request")),
                             status: 200, headers: [])
                return nil
            }
            calls.add(run)
        }
        run.start(tool, arguments: call.arguments, scope: scope, toolCalls: toolCalls)
        return run.isActive ? run : nil
    }

    // MARK: batches (2025-03-26)

    /// Runs every element; `complete` gets the responses (empty when the batch held only
    /// notifications) once the last call has answered. Returns the runs still in flight.
    @discardableResult
    func handleBatch(_ items: [JSONValue], scope: MCPScope, complete: @escaping ([JSONValue]) -> Void) -> [MCPToolRun] {
        let collector = MCPBatchCollector(complete: complete)
        var runs: [MCPToolRun] = []
        // The answers travel as one array: each gets its share of the budget.
        var scope = scope
        let requests = items.filter { $0["id"] != nil && $0["method"] != nil }.count
        scope.messageBudget = max(4096, budget(scope) / max(1, requests))
        for item in items {
            let message: JSONRPCMessage
            do {
                message = try JSONRPCMessage.decode(item)
            } catch {
                collector.expect()
                collector.reply(JSONRPC.error(id: JSONRPCMessage.readableID(item), error), status: 400, headers: [])
                continue
            }
            switch message {
            case .request(let id, let method, let params):
                collector.expect()
                if method == "initialize" {
                    collector.reply(JSONRPC.error(id: id, .invalidRequest("Invalid Request: initialize must not be part of a batch")),
                                    status: 200, headers: [])
                } else if let run = handle(id: id, method: method, params: params, scope: scope, outlet: collector) {
                    runs.append(run)
                }
            case .notification(let method, let params):
                handleNotification(method: method, params: params, scope: scope)
            case .response:
                break   // we never send requests, so there is nothing to match
            }
        }
        collector.seal()
        return runs
    }
}
