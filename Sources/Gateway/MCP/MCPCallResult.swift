// MCPCallResult: a finished command as the CallToolResult message — structuredContent (the REST
// result object) mirrored as JSON text, isError unless it succeeded — within the message budget.
// When the result does not fit, the whole stdout is kept in the OutputStore first, the result
// names it (`output_uri`, `output_url`, and a `resource_link` block where the version has one),
// and then the output is cut head and tail (MCPMessageBudget) until the message fits.
import JSON
import MCPProtocol

enum MCPCallResult {
    static func message(id: RequestID, structured: JSONObject, version: String, stored: StoredOutput? = nil) -> JSONValue {
        let text = String(decoding: JSONWriter.encode(.object(structured)), as: UTF8.self)
        let isError = structured["success"] != .bool(true)
        let links = stored.map { [link(for: $0)] } ?? []
        return JSONRPC.result(id: id, MCPResults.callTool(
            text: text, structured: structured, isError: isError, version: version,
            serverName: ServerInfo.name, serverVersion: ServerInfo.version, links: links))
    }

    static func fitted(id: RequestID, structured: JSONObject, version: String, budget: Int,
                       keep: () -> StoredOutput?) -> JSONValue {
        let copies = MCPMessageBudget.Copies(plain: MCPVersion.hasStructuredContent(version) ? 1 : 0, nested: 1)
        let whole = message(id: id, structured: structured, version: version)
        guard JSONWriter.encode(whole).count > budget - MCPMessageBudget.framingBytes else { return whole }
        var annotated = structured
        let stored = keep()
        stored?.annotate(&annotated)
        let (cut, _) = MCPMessageBudget.fit(annotated, budget: budget, copies: copies) {
            message(id: id, structured: $0, version: version, stored: stored)
        }
        return message(id: id, structured: cut, version: version, stored: stored)
    }

    /// The resource_link block: what it is, how big, and how to page through it.
    static func link(for stored: StoredOutput) -> JSONValue {
        var description = "The whole standard output (\(stored.bytes) bytes); the result shows its head and tail. "
        description += "Read it with resources/read in pages: \(stored.uri)?offset=N (each page's _meta \"k8s-mcp/page\" names the next offset)."
        if !stored.complete { description += " Only the first \(stored.bytes) bytes could be kept." }
        return MCPResults.resourceLink(uri: stored.uri, name: "stdout-\(stored.id)", mimeType: stored.mimeType,
                                       size: stored.bytes, description: description)
    }
}
