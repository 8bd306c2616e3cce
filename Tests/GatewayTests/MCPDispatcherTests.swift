// MCPDispatcher decisions per era: which methods exist, initialize negotiation, tools/call
// parsing (unknown tool → -32602), notifications, and the result shapes per version.
import Commands
import JSON
import MCPProtocol
import Testing
@testable import Gateway

@Suite struct MCPDispatcherTests {
    let d = MCPDispatcher()
    let modernMeta: JSONObject = ["_meta": .object([
        RequestMeta.protocolVersionKey: "2026-07-28", RequestMeta.clientCapabilitiesKey: .object([:]),
    ])]

    private func code(_ decision: MCPDispatcher.Decision) -> Int? {
        if case .error(let e) = decision { return e.code }
        return nil
    }

    private func result(_ decision: MCPDispatcher.Decision) -> JSONValue? {
        if case .result(let r) = decision { return r }
        return nil
    }

    @Test func modernHasDiscoverButNoHandshakeMethods() {
        let discover = result(d.request(method: "server/discover", params: modernMeta, version: "2026-07-28"))
        #expect(discover?["supportedVersions"] == .array(MCPVersion.all.map { .string($0) }))
        #expect(discover?["resultType"] == "complete")
        for method in ["initialize", "ping", "logging/setLevel", "prompts/list", "tasks/get"] {
            #expect(code(d.request(method: method, params: modernMeta, version: "2026-07-28")) == RPCError.methodNotFound, "\(method)")
        }
    }

    @Test func legacyHasHandshakeMethodsButNoDiscover() {
        #expect(code(d.request(method: "server/discover", params: nil, version: "2025-11-25")) == RPCError.methodNotFound)
        #expect(result(d.request(method: "ping", params: nil, version: "2025-06-18")) == .object([:]))
        #expect(d.request(method: "logging/setLevel", params: ["level": "error"], version: "2025-03-26") == .setLevel(.error))
        #expect(code(d.request(method: "logging/setLevel", params: ["level": "loud"], version: "2025-03-26")) == RPCError.invalidParams)
    }

    @Test func initializeEchoesKnownVersionsAndCounterOffersOthers() {
        for (offered, expected) in [("2025-06-18", "2025-06-18"), ("2024-11-05", "2024-11-05"),
                                    ("2026-07-28", "2025-11-25"), ("1999-01-01", "2025-11-25")] {
            let decision = d.request(method: "initialize", params: ["protocolVersion": .string(offered), "capabilities": .object([:])],
                                     version: "2025-03-26")
            guard case .initialize(let version, let r) = decision else {
                Issue.record("not an initialize decision for \(offered)")
                continue
            }
            #expect(version == expected)
            #expect(r["protocolVersion"] == .string(expected))
            #expect(r["serverInfo"]?["name"] == "k8s-mcp-server")
            #expect(r["capabilities"]?["tools"] != nil)
        }
        #expect(code(d.request(method: "initialize", params: [:], version: "2025-03-26")) == RPCError.invalidParams)
    }

    @Test func toolsListShapePerVersion() {
        let modern = result(d.request(method: "tools/list", params: modernMeta, version: "2026-07-28"))
        #expect(modern?["ttlMs"] != nil && modern?["cacheScope"] == "public" && modern?["resultType"] == "complete")
        let names = modern?["tools"]?.arrayValue?.compactMap { $0["name"]?.stringValue }
        #expect(names == ["kubectl", "helm", "istioctl", "argocd"])
        let old = result(d.request(method: "tools/list", params: nil, version: "2024-11-05"))
        #expect(old?["resultType"] == nil && old?["ttlMs"] == nil)
        let tool = old?["tools"]?.arrayValue?.first
        #expect(tool?["annotations"] == nil && tool?["outputSchema"] == nil && tool?["title"] == nil)
        #expect(code(d.request(method: "tools/list", params: ["cursor": "abc"], version: "2025-11-25")) == RPCError.invalidParams)
    }

    @Test func toolsListIsPerCallerWhenATokenAsks() {
        let access = MCPToolAccess(tools: [.argocd], readOnly: true, perCaller: true)
        let modern = result(d.request(method: "tools/list", params: modernMeta, version: "2026-07-28", access: access))
        #expect(modern?["cacheScope"] == "private")
        #expect(modern?["tools"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == ["argocd"])
        #expect(modern?["tools"]?.arrayValue?.first?["annotations"]?["readOnlyHint"] == true)
    }

    @Test func resourcesMethodsInEveryEra() {
        for version in MCPVersion.all {
            let params: JSONObject? = MCPVersion.isModern(version) ? modernMeta : nil
            #expect(d.request(method: "resources/list", params: params, version: version) == .listResources, "\(version)")
            var read = params ?? [:]
            read["uri"] = "k8s-mcp://jobs/x/stdout"
            #expect(d.request(method: "resources/read", params: read, version: version) == .readResource(ReadResourceParams(uri: "k8s-mcp://jobs/x/stdout")))
            #expect(code(d.request(method: "resources/read", params: params, version: version)) == RPCError.invalidParams)
            let templates = result(d.request(method: "resources/templates/list", params: params, version: version))
            #expect(templates?["resourceTemplates"]?.arrayValue?.first?["uriTemplate"] == "k8s-mcp://jobs/{id}/stdout")
        }
    }

    @Test func toolsCallDecisions() {
        let call = d.request(method: "tools/call", params: ["name": "helm", "arguments": ["command": "list"]], version: "2025-11-25")
        guard case .callTool(let tool, let params) = call else {
            Issue.record("expected a tool call")
            return
        }
        #expect(tool == .helm)
        #expect(params.arguments["command"] == "list")
        #expect(code(d.request(method: "tools/call", params: ["name": "bash"], version: "2025-11-25")) == RPCError.invalidParams)
        #expect(code(d.request(method: "tools/call", params: ["name": "Kubectl"], version: "2025-11-25")) == RPCError.invalidParams)
        #expect(code(d.request(method: "tools/call", params: ["name": "helm", "arguments": "x"], version: "2025-11-25")) == RPCError.invalidParams)
        #expect(code(d.request(method: "tools/call", params: nil, version: "2026-07-28")) == RPCError.invalidParams)
    }

    @Test func notifications() {
        #expect(d.notification(method: "notifications/initialized", params: nil) == .initialized)
        #expect(d.notification(method: "notifications/cancelled", params: ["requestId": 4]) == .cancelled(.int(4)))
        #expect(d.notification(method: "notifications/cancelled", params: ["requestId": "a"]) == .cancelled(.string("a")))
        #expect(d.notification(method: "notifications/cancelled", params: ["requestId": 1.5]) == .ignored)
        #expect(d.notification(method: "notifications/cancelled", params: nil) == .ignored)
        #expect(d.notification(method: "notifications/roots/list_changed", params: nil) == .ignored)
    }
}
