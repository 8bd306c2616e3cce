// The tool catalog: fixed order, input/output schemas, annotations, and descriptions that
// teach the command format.
import Commands
import MCPProtocol
import Testing
@testable import Gateway

@Suite struct MCPToolCatalogTests {
    @Test func fixedOrderAndNames() {
        #expect(MCPToolCatalog.descriptors.map(\.name) == ["kubectl", "helm", "istioctl", "argocd"])
        #expect(MCPToolCatalog.tool(named: "argocd") == .argocd)
        #expect(MCPToolCatalog.tool(named: "KUBECTL") == nil)
    }

    @Test func inputSchema() {
        for d in MCPToolCatalog.descriptors {
            #expect(d.inputSchema["type"] == "object")
            let props = d.inputSchema["properties"]?.objectValue
            #expect(props?.keys == ["command", "args", "namespace", "kubeconfig", "stdin", "timeout_seconds"])
            // Nullable, so that OpenAI strict mode (every property required) can send null.
            for (name, value) in props ?? [:] {
                #expect(value["type"]?.arrayValue?.last == "null", "\(name)")
                #expect(value["description"]?.stringValue?.isEmpty == false, "\(name)")
            }
            #expect(props?["command"]?["type"] == ["string", "null"])
            #expect(props?["args"]?["type"] == ["array", "null"])
            #expect(props?["timeout_seconds"]?["type"] == ["number", "null"])
            #expect(props?["timeout_seconds"]?["minimum"] == 0)
            #expect(props?["args"]?["items"] == .object(["type": "string"]))
            #expect(props?["kubeconfig"]?["description"]?.stringValue?.hasPrefix("Discouraged") == true)
            // Either command or args is enough: nothing is required by the schema itself.
            #expect(d.inputSchema["required"] == nil)
        }
    }

    @Test func outputSchemaMatchesResultJSON() {
        let schema = MCPToolCatalog.outputSchema
        #expect(schema["type"] == "object")
        #expect(schema["required"] == ["success", "output", "error", "exit_code"])
        let props = schema["properties"]?.objectValue
        let refusal = ResultJSON.refusal(CommandFailure(message: "no", kind: .refused(.readOnly)))
        for key in ResultJSON.failure("x").keys + refusal.keys { #expect(props?[key] != nil, "\(key)") }
        #expect(props?["error"]?["type"] == ["string", "null"])
    }

    @Test func annotationsAndTitles() {
        for d in MCPToolCatalog.descriptors {
            #expect(d.annotations?["readOnlyHint"] == false)
            #expect(d.annotations?["destructiveHint"] == true)
            #expect(d.annotations?["idempotentHint"] == false)
            #expect(d.annotations?["openWorldHint"] == true)
            #expect(d.annotations?["title"] == d.title.map { .string($0) })
        }
    }

    @Test func readOnlyCallersGetReadOnlyAnnotationsAndTheirToolsOnly() {
        var policy = PolicySettings()
        let reader = Principal(name: "r", role: .readOnly, tools: [.kubectl, .helm])
        let access = MCPToolAccess(principal: reader, policy: policy)
        #expect(access == MCPToolAccess(tools: [.kubectl, .helm], readOnly: true, perCaller: true))
        let seen = MCPToolCatalog.descriptors(for: access)
        #expect(seen.map(\.name) == ["kubectl", "helm"])
        for d in seen {
            #expect(d.annotations?["readOnlyHint"] == true)
            #expect(d.annotations?["destructiveHint"] == false)
            #expect(d.annotations?["idempotentHint"] == true)
            #expect(d.description.contains("only read commands"))
        }
        let admin = MCPToolAccess(principal: Principal(name: "a", role: .admin), policy: policy)
        #expect(MCPToolCatalog.descriptors(for: admin) == MCPToolCatalog.descriptors)
        #expect(admin.perCaller && !admin.readOnly)
        // The server-wide switch makes everyone read-only; with the policy off nothing is refused.
        policy.readOnly = true
        #expect(MCPToolAccess(principal: nil, policy: policy).readOnly)
        policy.enabled = false
        #expect(!MCPToolAccess(principal: reader, policy: policy).readOnly)
        policy = PolicySettings()
        policy.anonymousRole = .readOnly
        #expect(MCPToolAccess(principal: nil, policy: policy) == MCPToolAccess(tools: nil, readOnly: true, perCaller: false))
    }

    @Test func descriptionsTeachTheCommandFormat() {
        for d in MCPToolCatalog.descriptors {
            #expect(d.description.contains("`-o json`"))
            #expect(d.description.contains("Quoting works like sh"))
            #expect(d.description.contains("`args`"))
            #expect(d.description.contains("following `\(d.name)`") || d.description.contains("follows `\(d.name)`"))
        }
        #expect(MCPToolCatalog.descriptor(for: .kubectl).description.contains("Set `namespace`"))
        #expect(!MCPToolCatalog.descriptor(for: .argocd).description.contains("Set `namespace`"))
    }

    @Test func perVersionShape() {
        let d = MCPToolCatalog.descriptor(for: .kubectl)
        #expect(d.json(version: "2025-06-18")["outputSchema"] != nil)
        #expect(d.json(version: "2025-03-26")["outputSchema"] == nil)
        #expect(d.json(version: "2025-03-26")["annotations"] != nil)
        #expect(d.json(version: "2024-11-05")["annotations"] == nil)
    }
}
