// MCPDispatcher: MCP method → what to do, for one protocol version. Pure: it answers
// immediately (discover, tools/list, ping, errors) or says "run this tool" / "this was an
// initialize" / "set the log level" / "read this stored output", and the transports carry that
// out. Which methods exist depends on the era: 2026-07-28 has server/discover but no initialize,
// ping or logging/setLevel. tools/list shows what the caller's token allows (MCPToolAccess).
import Commands
import JSON
import MCPProtocol

struct MCPDispatcher {
    var serverName = ServerInfo.name
    var serverVersion = ServerInfo.version
    var instructions: String? = MCPDispatcher.defaultInstructions
    /// How long clients may cache tools/list and server/discover (modern `ttlMs`).
    var ttlMs = 300_000

    enum Decision: Equatable {
        /// A complete `result` object.
        case result(JSONValue)
        case error(RPCError)
        /// Legacy handshake: `version` is the negotiated one, `result` the InitializeResult.
        case initialize(version: String, result: JSONValue)
        /// Legacy logging/setLevel; answer with an empty result.
        case setLevel(LogLevel)
        case callTool(Tool, ToolCallParams)
        /// resources/read and resources/list on the OutputStore (MCPResources).
        case readResource(ReadResourceParams)
        case listResources
    }

    enum NoticeEffect: Equatable {
        case initialized
        case cancelled(RequestID)
        case ignored
    }

    static let defaultInstructions =
        "Runs kubectl, helm, istioctl and argocd commands on the server's behalf. Each tool takes the CLI's arguments in `command` (without the tool name); prefer `-o json` output. A failed command comes back with isError and its stderr in `error`."

    /// A request under `version` (modern when it is 2026-07-28). The modern validation ladder
    /// (envelope, headers, version) has already passed on the modern path.
    func request(method: String, params: JSONObject?, version: String, access: MCPToolAccess = .everything) -> Decision {
        let modern = MCPVersion.isModern(version)
        switch method {
        case "server/discover" where modern:
            return .result(MCPResults.discover(serverName: serverName, serverVersion: serverVersion,
                                               instructions: instructions, ttlMs: ttlMs))
        case "initialize" where !modern:
            do {
                let offered = try InitializeParams.parse(params)
                let negotiated = MCPVersion.negotiate(offered: offered.protocolVersion)
                return .initialize(version: negotiated, result: MCPResults.initialize(
                    version: negotiated, serverName: serverName, serverVersion: serverVersion, instructions: instructions))
            } catch {
                return .error(error)
            }
        case "ping" where !modern:
            return .result(MCPResults.empty(version: version))
        case "logging/setLevel" where !modern:
            do {
                return .setLevel(try SetLevelParams.parse(params).level)
            } catch {
                return .error(error)
            }
        case "tools/list":
            do {
                try ListParams.checkCursor(params)
                if modern { _ = try RequestMeta.parse(params) }
            } catch {
                return .error(error)
            }
            return .result(MCPResults.toolsList(MCPToolCatalog.descriptors(for: access), version: version, ttlMs: ttlMs,
                                                serverName: serverName, serverVersion: serverVersion, perCaller: access.perCaller))
        case "tools/call":
            let call: ToolCallParams
            do {
                call = try ToolCallParams.parse(params)
            } catch {
                return .error(error)
            }
            guard let tool = MCPToolCatalog.tool(named: call.name) else {
                return .error(.invalidParams("Unknown tool: \(call.name) (tools: \(Tool.allCases.map(\.rawValue).joined(separator: ", ")))"))
            }
            return .callTool(tool, call)
        case "resources/read":
            do {
                return .readResource(try ReadResourceParams.parse(params))
            } catch {
                return .error(error)
            }
        case "resources/list":
            do {
                try ListParams.checkCursor(params)
            } catch {
                return .error(error)
            }
            return .listResources
        case "resources/templates/list":
            do {
                try ListParams.checkCursor(params)
            } catch {
                return .error(error)
            }
            return .result(MCPResults.listResourceTemplates([MCPResources.template], version: version,
                                                           serverName: serverName, serverVersion: serverVersion))
        default:
            return .error(.methodNotFound(method))
        }
    }

    /// A notification: nothing is ever answered; malformed cancellations are ignored.
    func notification(method: String, params: JSONObject?) -> NoticeEffect {
        switch method {
        case "notifications/initialized":
            return .initialized
        case "notifications/cancelled":
            guard let id = CancelledParams.parse(params).requestId else { return .ignored }
            return .cancelled(id)
        default:
            return .ignored
        }
    }
}
