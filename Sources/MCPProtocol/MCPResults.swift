// MCPResults: the `result` objects the server returns (server/discover, initialize, tools/list,
// tools/call, empty; the resources ones are in MCPResourceResults), shaped per protocol version. Modern (2026-07-28) results carry
// `resultType: "complete"` and `_meta["io.modelcontextprotocol/serverInfo"]`; cacheable ones
// (discover, tools/list) also `ttlMs` and `cacheScope`. Legacy results carry none of these.
import JSON

public enum MCPResults {
    /// `server/discover` (modern only).
    public static func discover(
        serverName: String, serverVersion: String, instructions: String?, ttlMs: Int = 60_000
    ) -> JSONValue {
        var o: JSONObject = [
            "supportedVersions": .array(MCPVersion.all.map { .string($0) }),
            "capabilities": capabilities(logging: false),
        ]
        if let instructions { o["instructions"] = .string(instructions) }
        addModern(&o, serverName: serverName, serverVersion: serverVersion, ttlMs: ttlMs)
        return .object(o)
    }

    /// Legacy `initialize`; `version` is the negotiated one (MCPVersion.negotiate).
    public static func initialize(
        version: String, serverName: String, serverVersion: String, instructions: String?
    ) -> JSONValue {
        var o: JSONObject = [
            "protocolVersion": .string(version),
            "capabilities": capabilities(logging: true),
            "serverInfo": serverInfo(serverName, serverVersion),
        ]
        if let instructions { o["instructions"] = .string(instructions) }
        return .object(o)
    }

    /// `tools/list`, one page (no `nextCursor`). `cacheScope` is "public" when the list does not
    /// vary per caller, "private" when it depends on the caller's token.
    public static func toolsList(
        _ tools: [ToolDescriptor], version: String, ttlMs: Int, serverName: String, serverVersion: String,
        perCaller: Bool = false
    ) -> JSONValue {
        var o: JSONObject = ["tools": .array(tools.map { $0.json(version: version) })]
        if MCPVersion.hasResultType(version) {
            addModern(&o, serverName: serverName, serverVersion: serverVersion, ttlMs: ttlMs, scope: perCaller ? "private" : "public")
        }
        return .object(o)
    }

    /// `tools/call`: the text as one text block, `structured` as structuredContent where the
    /// version has it (the text block mirrors it for older clients), `isError` for tool failures.
    /// `links` (resource_link blocks) follow the text where the version has them (2025-06-18+).
    public static func callTool(
        text: String, structured: JSONObject?, isError: Bool, version: String,
        serverName: String, serverVersion: String, links: [JSONValue] = []
    ) -> JSONValue {
        var content: [JSONValue] = [.object(["type": "text", "text": .string(text)])]
        if MCPVersion.hasResourceLinks(version) { content += links }
        var o: JSONObject = ["content": .array(content)]
        if MCPVersion.hasStructuredContent(version), let structured { o["structuredContent"] = .object(structured) }
        o["isError"] = .bool(isError)
        if MCPVersion.hasResultType(version) {
            addModern(&o, serverName: serverName, serverVersion: serverVersion, ttlMs: nil)
        }
        return .object(o)
    }

    /// `{}` (ping, logging/setLevel, notifications acknowledged...); modern adds resultType.
    public static func empty(version: String) -> JSONValue {
        MCPVersion.hasResultType(version) ? .object(["resultType": "complete"]) : .object([:])
    }

    public static func serverInfo(_ name: String, _ version: String) -> JSONValue {
        .object(["name": .string(name), "version": .string(version)])
    }

    /// A `resource_link` content block (2025-06-18+).
    public static func resourceLink(uri: String, name: String, mimeType: String, size: Int, description: String) -> JSONValue {
        .object(["type": "resource_link", "uri": .string(uri), "name": .string(name), "description": .string(description),
                 "mimeType": .string(mimeType), "size": .int(Int64(size))])
    }

    /// Every era has `resources` (read-only here: no subscriptions, no list notifications).
    private static func capabilities(logging: Bool) -> JSONValue {
        var c: JSONObject = ["tools": .object(["listChanged": false]),
                             "resources": .object(["subscribe": false, "listChanged": false])]
        if logging { c["logging"] = .object([:]) }
        return .object(c)
    }

    /// resultType, then (cacheable results) ttlMs + cacheScope, then _meta serverInfo (merged
    /// into `meta`, the result's own `_meta` members).
    static func addModern(_ o: inout JSONObject, serverName: String, serverVersion: String, ttlMs: Int?,
                          scope: String = "public", meta: JSONObject = [:]) {
        o["resultType"] = "complete"
        if let ttlMs {
            o["ttlMs"] = .int(Int64(max(0, ttlMs)))
            o["cacheScope"] = .string(scope)
        }
        var m = meta
        m[RequestMeta.serverInfoKey] = serverInfo(serverName, serverVersion)
        o["_meta"] = .object(m)
    }
}
