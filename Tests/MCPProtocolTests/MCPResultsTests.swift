// MCPResults / ToolDescriptor / MCPNotifications: result shapes per protocol version.
import JSON
import MCPProtocol
import Testing

@Suite struct MCPResultsTests {
    static let tool = ToolDescriptor(
        name: "kubectl_get", title: "Get resources", description: "kubectl get",
        inputSchema: ["type": "object", "properties": ["resource": ["type": "string"]]],
        outputSchema: ["type": "object", "properties": ["exitCode": ["type": "integer"]]],
        annotations: ["readOnlyHint": true, "openWorldHint": true])

    func list(_ version: String) -> JSONValue {
        MCPResults.toolsList([Self.tool], version: version, ttlMs: 5000, serverName: "k8s", serverVersion: "1.2")
    }

    @Test func toolsListModern() {
        #expect(
            text(list("2026-07-28"))
                == #"{"tools":[{"name":"kubectl_get","title":"Get resources","description":"kubectl get","#
                + #""inputSchema":{"type":"object","properties":{"resource":{"type":"string"}}},"#
                + #""outputSchema":{"type":"object","properties":{"exitCode":{"type":"integer"}}},"#
                + #""annotations":{"readOnlyHint":true,"openWorldHint":true}}],"resultType":"complete","#
                + #""ttlMs":5000,"cacheScope":"public","_meta":{"io.modelcontextprotocol/serverInfo":{"name":"k8s","version":"1.2"}}}"#)
    }

    @Test(arguments: [
        ("2025-11-25", ["name", "title", "description", "inputSchema", "outputSchema", "annotations"]),
        ("2025-06-18", ["name", "title", "description", "inputSchema", "outputSchema", "annotations"]),
        ("2025-03-26", ["name", "description", "inputSchema", "annotations"]),
        ("2024-11-05", ["name", "description", "inputSchema"]),
    ])
    func toolsListLegacyFields(_ version: String, _ toolKeys: [String]) {
        let v = list(version)
        #expect(v.objectValue?.keys == ["tools"])  // no resultType / ttlMs / cacheScope / _meta
        #expect(v["tools"]?.arrayValue?.first?.objectValue?.keys == toolKeys)
    }

    @Test func optionalToolFieldsAbsentWhenNil() {
        let bare = ToolDescriptor(name: "t", description: "d", inputSchema: ["type": "object", "additionalProperties": false])
        #expect(bare.json(version: "2026-07-28").objectValue?.keys == ["name", "description", "inputSchema"])
    }

    @Test func callToolPerVersion() {
        let structured: JSONObject = ["exitCode": 0, "stdout": "ok\n", "stderr": ""]
        func call(_ v: String, isError: Bool = false) -> JSONValue {
            MCPResults.callTool(text: "ok\n", structured: structured, isError: isError, version: v,
                                serverName: "k8s", serverVersion: "1.2")
        }
        #expect(
            text(call("2026-07-28"))
                == #"{"content":[{"type":"text","text":"ok\n"}],"structuredContent":{"exitCode":0,"stdout":"ok\n","stderr":""},"#
                + #""isError":false,"resultType":"complete","_meta":{"io.modelcontextprotocol/serverInfo":{"name":"k8s","version":"1.2"}}}"#)
        #expect(call("2025-11-25").objectValue?.keys == ["content", "structuredContent", "isError"])
        #expect(call("2025-06-18").objectValue?.keys == ["content", "structuredContent", "isError"])
        #expect(text(call("2025-03-26", isError: true)) == #"{"content":[{"type":"text","text":"ok\n"}],"isError":true}"#)
        #expect(call("2024-11-05").objectValue?.keys == ["content", "isError"])
        #expect(call("2026-07-28")["ttlMs"] == nil)  // tool results are not cacheable
    }

    @Test func resourceLinksOnlyWhereTheVersionHasThem() {
        let link = MCPResults.resourceLink(uri: "k8s-mcp://jobs/x/stdout", name: "stdout-x", mimeType: "application/json",
                                           size: 9, description: "d")
        func blocks(_ v: String) -> [String] {
            MCPResults.callTool(text: "t", structured: nil, isError: false, version: v, serverName: "k", serverVersion: "1",
                                links: [link])["content"]?.arrayValue?.compactMap { $0["type"]?.stringValue } ?? []
        }
        #expect(blocks("2026-07-28") == ["text", "resource_link"])
        #expect(blocks("2025-06-18") == ["text", "resource_link"])
        #expect(blocks("2025-03-26") == ["text"])
        #expect(link["size"] == 9 && link["mimeType"] == "application/json")
    }

    @Test func resourceResultsPerVersion() {
        let modern = MCPResults.readResource(uri: "u", mimeType: "text/plain", text: "abc", meta: ["k8s-mcp/page": ["offset": 0]],
                                             ttlMs: 5, version: "2026-07-28", serverName: "k", serverVersion: "1")
        #expect(modern["contents"]?.arrayValue?.first?["text"] == "abc")
        #expect(modern["cacheScope"] == "private" && modern["ttlMs"] == 5 && modern["resultType"] == "complete")
        #expect(modern["_meta"]?["k8s-mcp/page"]?["offset"] == 0)
        #expect(modern["_meta"]?["io.modelcontextprotocol/serverInfo"] != nil)
        let legacy = MCPResults.readResource(uri: "u", mimeType: "text/plain", text: "abc", meta: ["k8s-mcp/page": ["offset": 0]],
                                             ttlMs: 5, version: "2024-11-05", serverName: "k", serverVersion: "1")
        #expect(legacy.objectValue?.keys == ["contents", "_meta"])
        #expect(MCPResults.resourceNotFound(uri: "u", version: "2026-07-28").code == RPCError.invalidParams)
        #expect(MCPResults.resourceNotFound(uri: "u", version: "2025-11-25").code == -32002)
        #expect(MCPResults.listResources([], version: "2026-07-28", serverName: "k", serverVersion: "1")["cacheScope"] == "private")
        #expect(MCPResults.listResourceTemplates([], version: "2025-06-18", serverName: "k", serverVersion: "1").objectValue?.keys
                == ["resourceTemplates"])
    }

    @Test func discover() {
        let d = MCPResults.discover(serverName: "k8s", serverVersion: "1.2", instructions: "Use kubectl_get.")
        #expect(d["supportedVersions"] == .array(MCPVersion.all.map { .string($0) }))
        #expect(d["capabilities"] == ["tools": ["listChanged": false], "resources": ["subscribe": false, "listChanged": false]])
        #expect(d["instructions"] == "Use kubectl_get.")
        #expect(d["resultType"] == "complete")
        #expect(d["ttlMs"]?.intValue.map { $0 >= 0 } == true)
        #expect(d["cacheScope"] == "public")
        #expect(d["_meta"]?["io.modelcontextprotocol/serverInfo"] == ["name": "k8s", "version": "1.2"])
        #expect(MCPResults.discover(serverName: "a", serverVersion: "b", instructions: nil)["instructions"] == nil)
    }

    @Test func initialize() {
        let r = MCPResults.initialize(version: "2025-06-18", serverName: "k8s", serverVersion: "1.2", instructions: "hi")
        #expect(
            text(r)
                == #"{"protocolVersion":"2025-06-18","capabilities":{"tools":{"listChanged":false},"#
                + #""resources":{"subscribe":false,"listChanged":false},"logging":{}},"#
                + #""serverInfo":{"name":"k8s","version":"1.2"},"instructions":"hi"}"#)
        #expect(r["resultType"] == nil)
    }

    @Test func empty() {
        #expect(text(MCPResults.empty(version: "2025-11-25")) == "{}")
        #expect(text(MCPResults.empty(version: "2024-11-05")) == "{}")
        #expect(text(MCPResults.empty(version: "2026-07-28")) == #"{"resultType":"complete"}"#)
    }

    @Test func progressNotification() {
        let modern = MCPNotifications.progress(token: "tok", progress: 2, total: 10, message: "step 2", version: "2026-07-28")
        #expect(
            text(modern)
                == #"{"jsonrpc":"2.0","method":"notifications/progress","params":{"progressToken":"tok","progress":2,"total":10,"message":"step 2"}}"#)
        let old = MCPNotifications.progress(token: 7, progress: 0.5, total: nil, message: "ignored", version: "2024-11-05")
        #expect(text(old) == #"{"jsonrpc":"2.0","method":"notifications/progress","params":{"progressToken":7,"progress":0.5}}"#)
        let m = MCPNotifications.progress(token: 7, progress: 1, total: nil, message: "m", version: "2025-03-26")
        #expect(m["params"]?["message"] == "m")
    }

    @Test func logMessage() {
        let n = MCPNotifications.logMessage(level: .warning, logger: "job", data: ["line": "x"])
        #expect(text(n) == #"{"jsonrpc":"2.0","method":"notifications/message","params":{"level":"warning","logger":"job","data":{"line":"x"}}}"#)
    }
}
