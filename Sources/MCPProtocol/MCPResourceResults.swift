// MCPResourceResults: the results of the resources methods — resources/read (one page of a
// stored output), resources/list and resources/templates/list — per protocol version. These
// depend on who asks, so modern results say `cacheScope: "private"`; a page never changes, so it
// may be cached for the rest of its output's lifetime.
import JSON

extension MCPResults {
    /// One TextResourceContents; `meta` goes into the result's `_meta` (every era has it there,
    /// while contents items have `_meta` only from 2025-06-18).
    public static func readResource(
        uri: String, mimeType: String, text: String, meta: JSONObject, ttlMs: Int, version: String,
        serverName: String, serverVersion: String
    ) -> JSONValue {
        var o: JSONObject = ["contents": .array([.object(["uri": .string(uri), "mimeType": .string(mimeType), "text": .string(text)])])]
        if MCPVersion.hasResultType(version) {
            addModern(&o, serverName: serverName, serverVersion: serverVersion, ttlMs: ttlMs, scope: "private", meta: meta)
        } else {
            o["_meta"] = .object(meta)
        }
        return .object(o)
    }

    /// Resource objects: `{uri, name, mimeType, size, description}` each.
    public static func listResources(_ resources: [JSONValue], version: String, serverName: String, serverVersion: String) -> JSONValue {
        var o: JSONObject = ["resources": .array(resources)]
        if MCPVersion.hasResultType(version) {
            addModern(&o, serverName: serverName, serverVersion: serverVersion, ttlMs: 0, scope: "private")
        }
        return .object(o)
    }

    public static func listResourceTemplates(_ templates: [JSONValue], version: String, serverName: String,
                                             serverVersion: String) -> JSONValue {
        var o: JSONObject = ["resourceTemplates": .array(templates)]
        if MCPVersion.hasResultType(version) {
            addModern(&o, serverName: serverName, serverVersion: serverVersion, ttlMs: 300_000, scope: "public")
        }
        return .object(o)
    }

    /// Not found (unknown, expired, or another caller's): -32602 in 2026-07-28 (the spec dropped
    /// -32002), the legacy eras' -32002 before.
    public static func resourceNotFound(uri: String, version: String) -> RPCError {
        RPCError(code: MCPVersion.isModern(version) ? RPCError.invalidParams : RPCError.resourceNotFound,
                 message: "Resource not found: \(uri) (stored outputs expire, end with their session, and are visible only to the caller that ran the command)",
                 data: .object(["uri": .string(uri)]))
    }
}
