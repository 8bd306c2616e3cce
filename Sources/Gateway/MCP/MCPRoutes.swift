// MCPRoutes: the MCP front door's HTTP routes — Streamable HTTP (both eras) at /mcp, the legacy
// HTTP+SSE transport at GET /mcp + POST /mcp/messages/ and GET /sse + POST /messages/ — on the
// process's one MCPService.
struct MCPRoutes {
    let service: MCPService

    func register(on router: Router) {
        let legacy = MCPLegacySSE(service: service)
        let endpoint = MCPEndpoint(service: service, legacy: legacy)
        router.add("POST", "/mcp") { endpoint.post($0) }
        router.add("GET", "/mcp") { endpoint.get($0) }
        router.add("DELETE", "/mcp") { endpoint.delete($0) }
        router.add("GET", "/sse") { legacy.openAtSSEPath($0) }
        // fastapi-mcp answered both spellings (Starlette redirects the one without the slash).
        for path in ["/mcp/messages/", "/mcp/messages"] {
            router.add("POST", path, route: "/mcp/messages/") { legacy.post($0) }
        }
        for path in ["/messages/", "/messages"] {
            router.add("POST", path, route: "/messages/") { legacy.post($0) }
        }
    }
}
